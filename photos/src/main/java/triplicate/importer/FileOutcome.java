package triplicate.importer;

import java.nio.file.Path;

/**
 * What became of one source file. Library paths are relative to the library root; source paths are absolute.
 */
public sealed interface FileOutcome {
    /** The file on the source. */
    Path source();

    /** Copied, synced, read back, compared and renamed into place: the library now holds it. */
    record Imported(Path source, Path target, long size, String sha256) implements FileOutcome {
    }

    /** The library already holds this content (at {@code existing}); nothing was copied. */
    record Duplicate(Path source, Path existing, long size, String sha256) implements FileOutcome {
    }

    /** Dry run: would be copied to {@code target}. */
    record Planned(Path source, Path target, long size) implements FileOutcome {
    }

    /** Not a photo, video or sidecar, or not a regular file: left alone. */
    record Skipped(Path source, String reason) implements FileOutcome {
    }

    /** Could not be imported (the reason says why); nothing of it was left in the library. */
    record Failed(Path source, String reason) implements FileOutcome {
    }

    /** Not tried: the import stopped before (see {@link ImportReport#stopped()}). */
    record Left(Path source) implements FileOutcome {
    }
}
