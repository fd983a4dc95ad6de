package triplicate.snapshot;

import java.util.List;

/** The entries of one directory, sorted by name (so equal directories encode to equal bytes and deduplicate). */
public record Tree(List<Node> nodes) {
    public Tree {
        nodes = nodes.stream().sorted(java.util.Comparator.comparing(Node::name)).toList();
    }
}
