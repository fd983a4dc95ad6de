package triplicate.maintenance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Tree;

/** Lists the entries of a snapshot, depth first, with their paths relative to the snapshot root. */
public final class TreeWalker {
    /** One entry and its path ("lib/2024/a.jpg"). */
    public record Entry(String path, Node node) {
    }

    private final Repository repo;

    public TreeWalker(Repository repo) {
        this.repo = repo;
    }

    /** Everything under {@code path} ("" for the whole snapshot), including the entry at {@code path} itself. */
    public List<Entry> list(Id rootTree, String path, boolean recursive) throws IOException {
        List<Entry> out = new ArrayList<>();
        String clean = path == null ? "" : path.replaceAll("^/+|/+$", "");
        if (clean.isEmpty()) {
            walk(rootTree, "", recursive, out);
            return out;
        }
        String[] parts = clean.split("/+");
        Tree t = repo.loadTree(rootTree);
        Node n = null;
        String prefix = "";
        for (int i = 0; i < parts.length; i++) {
            n = t.node(parts[i]);
            if (n == null) {
                throw new TriplicateException("no '" + clean + "' in this snapshot");
            }
            prefix = prefix.isEmpty() ? parts[i] : prefix + "/" + parts[i];
            if (i < parts.length - 1) {
                if (n.type() != NodeType.DIR) {
                    throw new TriplicateException("'" + prefix + "' is not a folder");
                }
                t = repo.loadTree(n.subtree());
            }
        }
        out.add(new Entry(prefix, n));
        if (n.type() == NodeType.DIR) {
            walk(n.subtree(), prefix, recursive, out);
        }
        return out;
    }

    private void walk(Id tree, String prefix, boolean recursive, List<Entry> out) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            String p = prefix.isEmpty() ? n.name() : prefix + "/" + n.name();
            out.add(new Entry(p, n));
            if (recursive && n.type() == NodeType.DIR && n.subtree() != null) {
                walk(n.subtree(), p, true, out);
            }
        }
    }
}
