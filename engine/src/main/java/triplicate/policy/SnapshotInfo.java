package triplicate.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What a retention policy looks at in a snapshot: its id (as shown), time, host, paths and tags. */
public record SnapshotInfo(String id, Instant time, String host, List<String> paths, List<String> tags) {
    public SnapshotInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
