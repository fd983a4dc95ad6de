package triplicate.archiver;

import java.time.InstantSource;
import java.util.List;
import triplicate.core.Id;

/**
 * What to back up and how. {@code excludes} are glob patterns: one without a '/' matches any file or folder name,
 * one with a '/' matches the whole absolute path. {@code parent} is the snapshot to compare with (null: the latest
 * snapshot of the same host and paths; {@code force} re-reads every file).
 */
public record BackupOptions(List<String> excludes, List<String> tags, String host, String username, Id parent,
                            boolean force, int workers, InstantSource clock) {
    public BackupOptions {
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (workers < 1) {
            workers = Math.max(2, Runtime.getRuntime().availableProcessors() + 1);
        }
        if (clock == null) {
            clock = InstantSource.system();
        }
    }
}
