package triplicate.backend.testkit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;

/**
 * Simulates the machine crashing in the middle of work, so tests can show that an interrupted backup or prune
 * leaves a consistent vault. Call {@link #crash()} at any moment (from a test, from another thread, from inside a
 * {@link Source} being read), or let it crash by itself {@link #crashingAfterSaves after N saves}. From then on
 * every operation, and every read of a stream opened before, fails with {@link SimulatedCrashException}.
 *
 * <p>After the crash, {@link #survivor()} is the storage as a restarted machine finds it: exactly the saves and
 * removals that returned normally before the crash. A save still reading its source when the crash comes leaves
 * nothing. To make that exact, this wrapper reads each source into memory and then commits saves and removals
 * to the inner backend one at a time; {@link #crash()} waits for a commit in progress, which then counts as done.
 * Reads run concurrently.
 */
public final class CrashingBackend extends ForwardingBackend {
    private final long crashAfterSaves;
    private final Object commit = new Object();
    private volatile boolean crashed;
    private long completedSaves;

    /** Wraps {@code inner}, which survives the crash; crashes only when {@link #crash()} is called. */
    public CrashingBackend(Backend inner) {
        this(inner, -1);
    }

    private CrashingBackend(Backend inner, long crashAfterSaves) {
        super(inner);
        this.crashAfterSaves = crashAfterSaves;
    }

    /** Wraps {@code inner} and crashes as soon as {@code saves} saves have completed (0: before the first). */
    public static CrashingBackend crashingAfterSaves(Backend inner, long saves) {
        if (saves < 0) {
            throw new IllegalArgumentException("a number of saves is not negative: " + saves);
        }
        CrashingBackend backend = new CrashingBackend(inner, saves);
        if (saves == 0) {
            backend.crashed = true;
        }
        return backend;
    }

    /** Crashes now; waits for a save or removal being committed to finish first. Idempotent. */
    public void crash() {
        synchronized (commit) {
            crashed = true;
        }
    }

    public boolean crashed() {
        return crashed;
    }

    /** Saves that returned normally. */
    public long completedSaves() {
        synchronized (commit) {
            return completedSaves;
        }
    }

    /** The inner backend: after a crash, the storage as found on restart. Not closed by {@link #close()} after a crash. */
    public Backend survivor() {
        return inner;
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        ensureUp(handle);
        byte[] bytes = read(handle, source);
        synchronized (commit) {
            ensureUp(handle);
            inner.save(handle, Source.of(bytes));
            completedSaves++;
            if (completedSaves == crashAfterSaves) {
                crashed = true;
            }
        }
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        ensureUp(handle);
        InputStream in = inner.open(handle, offset, length);
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                ensureUp(handle);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ensureUp(handle);
                return super.read(b, off, len);
            }

            @Override
            public long skip(long n) throws IOException {
                ensureUp(handle);
                return super.skip(n);
            }
        };
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        ensureUp(handle);
        return inner.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        ensureUp(type.folder());
        return inner.list(type);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        ensureUp(handle);
        synchronized (commit) {
            ensureUp(handle);
            inner.remove(handle);
        }
    }

    /** Cleans up like a removal: committed one at a time, and refused once the machine has crashed. */
    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        ensureUp("stale temporary files");
        synchronized (commit) {
            ensureUp("stale temporary files");
            return inner.removeStaleTemporaries(cutoff);
        }
    }

    /** Closes the inner backend, unless the machine crashed: then the storage outlives this wrapper. */
    @Override
    public void close() throws IOException {
        if (!crashed) {
            inner.close();
        }
    }

    @Override
    public String toString() {
        return (crashed ? "crashed " : "crashable ") + inner;
    }

    /** Reads the whole source, failing as soon as the machine has crashed. */
    private byte[] read(Handle handle, Source source) throws IOException {
        byte[] inMemory = source.bytesIfInMemory();
        if (inMemory != null) {
            return inMemory.clone();
        }
        if (source.length() > Integer.MAX_VALUE - 16) {
            throw new IOException(location() + ": " + handle + " is too large for a crash test");
        }
        byte[] bytes = new byte[(int) source.length()];
        int filled = 0;
        try (InputStream in = source.open()) {
            while (true) {
                ensureUp(handle);
                int n = in.read(bytes, filled, Math.min(bytes.length - filled, 1 << 16));
                if (n <= 0) {
                    if (n < 0 || filled == bytes.length) {
                        break;
                    }
                    continue;
                }
                filled += n;
            }
            if (filled == bytes.length && in.read() >= 0) {
                throw new IOException(location() + ": cannot save " + handle + ": the source is longer than announced");
            }
        }
        if (filled != bytes.length) {
            throw new IOException(location() + ": cannot save " + handle + ": the source delivered " + filled
                    + " bytes, not the " + bytes.length + " it announced");
        }
        return bytes;
    }

    private void ensureUp(Object target) throws SimulatedCrashException {
        if (crashed) {
            throw new SimulatedCrashException(location() + ": simulated crash; " + target + " was not reached");
        }
    }

    /** Thrown by every operation once a {@link CrashingBackend} has crashed. */
    public static final class SimulatedCrashException extends IOException {
        public SimulatedCrashException(String message) {
            super(message);
        }
    }
}
