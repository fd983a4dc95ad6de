package triplicate.maintenance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Map;
import triplicate.core.Id;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;

/** The differences between two snapshots; identical subtrees are skipped without being read. */
public final class SnapshotDiff {
    /** {@code +} added, {@code -} removed, {@code M} content changed, {@code T} type changed, {@code U} metadata only. */
    public record Change(char kind, String path) {
    }

    private final Repository repo;

    public SnapshotDiff(Repository repo) {
        this.repo = repo;
    }

    public List<Change> diff(Id treeA, Id treeB) throws IOException {
        List<Change> out = new ArrayList<>();
        compare(treeA, treeB, "", out);
        return out;
    }

    private void compare(Id a, Id b, String prefix, List<Change> out) throws IOException {
        if (Objects.equals(a, b)) {
            return;
        }
        Map<String, Node> left = new TreeMap<>();
        Map<String, Node> right = new TreeMap<>();
        if (a != null) {
            repo.loadTree(a).nodes().forEach(n -> left.put(n.name(), n));
        }
        if (b != null) {
            repo.loadTree(b).nodes().forEach(n -> right.put(n.name(), n));
        }
        java.util.TreeSet<String> names = new java.util.TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            Node l = left.get(name);
            Node r = right.get(name);
            String p = prefix.isEmpty() ? name : prefix + "/" + name;
            if (l == null) {
                out.add(new Change('+', p + (r.type() == NodeType.DIR ? "/" : "")));
                if (r.type() == NodeType.DIR) {
                    compare(null, r.subtree(), p, out);
                }
            } else if (r == null) {
                out.add(new Change('-', p + (l.type() == NodeType.DIR ? "/" : "")));
                if (l.type() == NodeType.DIR) {
                    compare(l.subtree(), null, p, out);
                }
            } else if (l.type() != r.type()) {
                out.add(new Change('T', p));
            } else if (l.type() == NodeType.DIR) {
                compare(l.subtree(), r.subtree(), p, out);
            } else if (!Objects.equals(l.content(), r.content()) || !Objects.equals(l.linkTarget(), r.linkTarget())) {
                out.add(new Change('M', p));
            } else if (l.mode() != r.mode() || l.mtimeNanos() != r.mtimeNanos()) {
                out.add(new Change('U', p));
            }
        }
    }
}
