package triplicate.importer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A file that is now in the library, copied and verified, as handed to {@link ImportLedger#recordImported}.
 *
 * @param path   where it is, relative to the library root
 * @param size   its size in bytes
 * @param sha256 SHA-256 of its content, lower-case hex
 * @param mtime  its modification time as the library's file system reports it (the copy is given the source
 *               file's; a file system with coarser times rounds it)
 * @param shoot  the shoot it was imported into ({@code --shoot}), or null
 * @param group  the asset group it belongs to, named by the library-relative path of the group's primary file (the
 *               RAW of a RAW + JPEG + XMP group, the HEIC of a Live Photo); equal to {@code path} for the primary
 * @param source where it was imported from (absolute)
 */
public record ImportedFile(Path path, long size, String sha256, Instant mtime, String shoot, Path group, Path source) {
    public ImportedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(group, "group");
        if (path.isAbsolute() || group.isAbsolute()) {
            throw new IllegalArgumentException("library paths are relative to the library: " + path + ", " + group);
        }
    }
}
