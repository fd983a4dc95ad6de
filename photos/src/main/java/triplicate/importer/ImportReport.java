package triplicate.importer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The result of an import.
 *
 * @param source  what was imported from
 * @param kind    what the source was recognised as
 * @param library the library imported into
 * @param dryRun  whether this was a dry run (nothing written)
 * @param files   what became of every file the import looked at, in the order they were planned
 * @param warnings problems worth the user's attention: files that failed, implausible capture dates, truncated
 *                 JPEGs, names taken, files that could not be erased
 * @param stopped why the import stopped before the end (the library disk filled up, the source stopped answering),
 *                or null if it went through every file
 * @param erased  source files deleted by {@code --erase-verified} (each after its verified copy was found in place)
 * @param bytesCopied bytes copied into the library
 * @param took    how long it took
 */
public record ImportReport(Path source, SourceKind kind, Path library, boolean dryRun, List<FileOutcome> files,
                           List<Warning> warnings, String stopped, List<Path> erased, long bytesCopied, Duration took) {
    /** Something worth the user's attention about one file (or the source, or the library). */
    public record Warning(Path path, String message) {
    }

    public ImportReport {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
        erased = List.copyOf(erased);
    }

    public long imported() {
        return count(FileOutcome.Imported.class);
    }

    public long duplicates() {
        return count(FileOutcome.Duplicate.class);
    }

    public long planned() {
        return count(FileOutcome.Planned.class);
    }

    public long skipped() {
        return count(FileOutcome.Skipped.class);
    }

    public long failed() {
        return count(FileOutcome.Failed.class);
    }

    public long left() {
        return count(FileOutcome.Left.class);
    }

    /** Whether every photo, video and sidecar of the source is now in the library (or would be, in a dry run). */
    public boolean complete() {
        return stopped == null && failed() == 0;
    }

    private long count(Class<? extends FileOutcome> type) {
        return files.stream().filter(type::isInstance).count();
    }
}
