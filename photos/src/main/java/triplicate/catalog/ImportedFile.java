package triplicate.catalog;

import java.time.Instant;
import java.util.Objects;
import triplicate.metadata.PhotoMetadata;

/**
 * A file just copied into the library, to record in the catalog ({@link Catalog#recordImported}).
 *
 * @param path     where it now is, relative to the library, with '/' between names
 * @param size     bytes
 * @param sha256   SHA-256 of the content as verified after the copy, 64 hex digits
 * @param mtime    the copy's modification time as the file system reports it ({@code Files.getLastModifiedTime}):
 *                 a later scan compares size and this time, to the nanosecond, to tell whether to read the file again
 * @param metadata what {@link triplicate.metadata.MetadataReader} read from it
 * @param shoot    the shoot it was imported into, or null
 */
public record ImportedFile(String path, long size, String sha256, Instant mtime, PhotoMetadata metadata, String shoot) {
    public ImportedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(metadata, "metadata");
        path = Catalog.checkPath(path);
        sha256 = Catalog.checkSha256(sha256);
        if (size < 0) {
            throw new IllegalArgumentException("size cannot be negative: " + size);
        }
    }
}
