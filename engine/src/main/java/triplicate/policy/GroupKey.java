package triplicate.policy;

import java.util.List;

/** What the snapshots of one group share; a field that is not grouped by is null. */
public record GroupKey(String host, List<String> paths, List<String> tags) {
    public GroupKey {
        paths = paths == null ? null : List.copyOf(paths);
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** {@code host=studio paths=/photos tags=-}, leaving out what is not grouped by; {@code (all)} for none. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (host != null) {
            b.append("host=").append(host.isEmpty() ? "-" : host);
        }
        if (paths != null) {
            b.append(b.isEmpty() ? "" : " ").append("paths=").append(paths.isEmpty() ? "-" : String.join(",", paths));
        }
        if (tags != null) {
            b.append(b.isEmpty() ? "" : " ").append("tags=").append(tags.isEmpty() ? "-" : String.join(",", tags));
        }
        return b.isEmpty() ? "(all)" : b.toString();
    }
}
