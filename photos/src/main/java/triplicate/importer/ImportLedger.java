package triplicate.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the library already holds, by content: the importer asks it before copying and tells it after. Implemented
 * over the catalog by the composition root; {@link MemoryLedger} is the in-memory one.
 *
 * <p>Contract: the importer calls it from one thread at a time (it holds a lock around every call), so an
 * implementation need not be thread-safe. {@link #recordImported} is called only once the file is durable in the
 * library (written, synced, read back, compared, renamed into place and its folder synced); a crash right after the
 * rename but before the record is healed by the next import, which finds the file at its name with the same content
 * and records it then. An exception from either method aborts the import: the library's record is broken.
 */
public interface ImportLedger {
    /**
     * The library-relative path of a file with this content already in the library, or empty.
     *
     * @param sha256 lower-case hex SHA-256 of the content
     */
    Optional<Path> knows(String sha256) throws IOException;

    /** Remembers a file that is now in the library. */
    void recordImported(ImportedFile file) throws IOException;
}
