package triplicate.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import triplicate.core.Id;

/**
 * An immutable record of backed-up paths at a moment. {@code tree} is the root tree, whose entries are the backed-up
 * paths (named by their last element); {@code paths} are the absolute paths as given. {@code warnings} lists files
 * that could not be read or changed while being read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(
        int version,
        Instant time,
        String host,
        String username,
        List<String> paths,
        List<String> tags,
        Id tree,
        Id parent,
        Summary summary,
        List<Warning> warnings,
        String program) {

    public Snapshot {
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** What a backup did. */
    public record Summary(long filesNew, long filesChanged, long filesUnmodified, long dirs, long bytesRead,
                          long bytesTotal, long blobsAdded, long bytesAdded, long bytesStored, double seconds) {
    }

    /** A path the backup could not read fully, and why. */
    public record Warning(String path, String message) {
    }
}
