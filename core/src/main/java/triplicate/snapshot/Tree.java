package triplicate.snapshot;

import java.util.List;

/** The entries of one directory, sorted by name (so equal directories encode to equal bytes and deduplicate). */
public record Tree(List<Node> nodes) {
    public Tree {
        nodes = nodes.stream().sorted(java.util.Comparator.comparing(Node::name)).toList();
    }

    /** The entry named {@code name}, or null (a binary search: the entries are sorted by name). */
    public Node node(String name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = nodes.get(mid).name().compareTo(name);
            if (c == 0) {
                return nodes.get(mid);
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }
}
