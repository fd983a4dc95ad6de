package triplicate.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import triplicate.core.FileType;

/**
 * Stores and retrieves opaque files. This is the whole contract every backend (local disk, memory, SFTP, S3, …)
 * honours; the shared contract test in core's test tree ({@code triplicate.backend.testkit.BackendContractTest})
 * checks it.
 *
 * <ul>
 *   <li><b>Write-once, atomic.</b> {@link #save} makes a file visible only once all its bytes are durably stored;
 *       a reader never sees a partial file, even after a crash. Saving over an existing file fails with
 *       {@link java.nio.file.FileAlreadyExistsException} and leaves the existing file untouched; of several
 *       concurrent saves of one name, exactly one succeeds.</li>
 *   <li><b>Read after write.</b> Once {@link #save} returns, the file is visible to {@link #open}, {@link #stat}
 *       and {@link #list}.</li>
 *   <li><b>Missing files.</b> {@link #open}, {@link #stat} and {@link #remove} throw
 *       {@link java.nio.file.NoSuchFileException} for a file that does not exist.</li>
 *   <li><b>Errors.</b> Every other failure is an {@link IOException} whose message names the location and the
 *       file, and never contains credentials. A {@link TransientBackendException} marks failures worth retrying.
 *       Invalid arguments (a negative offset, a name the backend cannot store) throw
 *       {@link IllegalArgumentException}.</li>
 *   <li><b>Threads.</b> All methods may be called concurrently from several threads.</li>
 * </ul>
 *
 * <p>Backends do not retry; retrying is a decorator over any backend.
 */
public interface Backend extends AutoCloseable {

    /** Where this backend stores files, for messages (no credentials). */
    String location();

    /**
     * Stores {@code source} under {@code handle}, atomically and durably; fails with
     * {@link java.nio.file.FileAlreadyExistsException} if the file exists. The backend may open the source more
     * than once (to retry a transfer), and fails if it delivers fewer bytes than {@link Source#length()} (a longer
     * source is refused too where the backend can tell). If this throws, the file is absent, unless the failure came after the bytes were
     * stored (a lost response): then it is present and complete, never partial.
     */
    void save(Handle handle, Source source) throws IOException;

    /**
     * Opens {@code length} bytes of the file starting at {@code offset} (not negative); {@code length < 0} means to
     * the end. Reading past the end of the file yields fewer bytes, or none (the caller checks lengths). A missing
     * file fails here, not at the first read. The caller closes the stream; several streams may be open at once.
     */
    InputStream open(Handle handle, long offset, long length) throws IOException;

    /** Reads the whole file. */
    default byte[] load(Handle handle) throws IOException {
        try (InputStream in = open(handle, 0, -1)) {
            return in.readAllBytes();
        }
    }

    /** Reads {@code length} bytes at {@code offset}; fails with {@link java.io.EOFException} if the file is shorter. */
    default byte[] load(Handle handle, long offset, int length) throws IOException {
        try (InputStream in = open(handle, offset, length)) {
            byte[] b = in.readNBytes(length);
            if (b.length != length) {
                throw new java.io.EOFException(location() + ": " + handle + " is shorter than expected ("
                        + (offset + b.length) + " bytes, wanted " + (offset + length) + ")");
            }
            return b;
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst} from {@code dstOff}, so a caller can reuse one
     * buffer for many reads; fails with {@link java.io.EOFException} if the file is shorter.
     */
    default void load(Handle handle, long offset, byte[] dst, int dstOff, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(dstOff, length, dst.length);
        try (InputStream in = open(handle, offset, length)) {
            int n = in.readNBytes(dst, dstOff, length);
            if (n != length) {
                throw new java.io.EOFException(location() + ": " + handle + " is shorter than expected ("
                        + (offset + n) + " bytes, wanted " + (offset + length) + ")");
            }
        }
    }

    /** Size and name of the file. */
    FileInfo stat(Handle handle) throws IOException;

    /** Whether the file exists. */
    default boolean exists(Handle handle) throws IOException {
        try {
            stat(handle);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Every file of {@code type}, in no particular order: for {@link FileType#CONFIG} the config file if it exists.
     * Temporary files a backend uses while saving are never listed.
     */
    List<FileInfo> list(FileType type) throws IOException;

    /**
     * Deletes the file. A removal need not survive a crash: callers must accept that a removed file may come back
     * (prune deletes only what is unreferenced, so doing it again is harmless). After a removal the name may be
     * saved again. A removal the storage refuses for lack of permission (an append-only credential: it may add files
     * but not delete them) throws {@link java.nio.file.AccessDeniedException}, so callers can tell it from other
     * failures.
     */
    void remove(Handle handle) throws IOException;

    /**
     * Deletes what saves interrupted by a crash left behind (temporary files, unfinished uploads), when it was last
     * written before {@code cutoff} by the storage's clock; returns how many were deleted. Such leftovers are never
     * listed and never read, but each may be as large as a pack, and nothing else removes them. Since another
     * process may be saving to the same vault right now, choose a cutoff well before any save could have started.
     * Backends that leave nothing behind keep the default, which deletes nothing. Wrappers pass it through.
     */
    default int removeStaleTemporaries(java.time.Instant cutoff) throws IOException {
        return 0;
    }

    /**
     * Whether this backend may hold files in a cold class (one that refuses reads until a thaw): true when its
     * location asks for such a class. Commands that read packs ask {@link #coldState} first only then. Wrappers pass
     * it through.
     */
    default boolean mayHoldColdFiles() {
        return false;
    }

    /**
     * Whether the file can be read at once, and if not whether a thaw is under way. Backends without cold classes
     * keep the default: {@link ColdState#HOT}, without a request. Fails with
     * {@link java.nio.file.NoSuchFileException} for a missing file where the backend looks it up.
     */
    default ColdState coldState(Handle handle) throws IOException {
        return ColdState.HOT;
    }

    /**
     * Asks the storage to make a cold file readable for {@code days} days, at {@code tier}'s speed and price. Returns
     * true if a new request was sent, false if a thaw is already under way or done (then nothing is billed again).
     * Backends without cold classes refuse.
     */
    default boolean requestThaw(Handle handle, int days, ThawTier tier) throws IOException {
        throw new IOException(location() + ": this storage has no cold class; " + handle + " needs no thaw");
    }

    /**
     * How long a thaw of {@code files} files of {@code bytes} bytes in {@code storageClass} takes at {@code tier}, and
     * what it costs (indicative, from public list prices). Pure: sends no request.
     */
    default ThawEstimate estimateThaw(String storageClass, ThawTier tier, int files, long bytes) {
        return ThawEstimate.UNKNOWN;
    }

    /**
     * How many calls this backend serves well at once (for a network backend, its connection count); upload pools
     * size themselves by it. Wrappers pass it through.
     */
    default int parallelism() {
        return 2;
    }

    /** Releases connections and other resources; the backend is unusable afterwards. Closing twice is harmless. */
    @Override
    void close() throws IOException;
}
