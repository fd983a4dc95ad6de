package triplicate.backend.wrap;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import triplicate.backend.Backend;
import triplicate.backend.ColdState;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.ThawEstimate;
import triplicate.backend.ThawTier;
import triplicate.core.FileType;

/**
 * Passes every call of the {@link Backend} interface to an inner backend, including the default methods a backend
 * may implement for itself ({@link #removeStaleTemporaries}, {@link #parallelism}): a decorator extends it and
 * overrides only the calls it changes, so a call it does not mean to change can never be dropped by mistake.
 *
 * <p>The conveniences built on other calls ({@code load}, {@code exists}) are not forwarded but keep their
 * default, which goes through this wrapper's {@link #open} and {@link #stat}: a decorator that changes those
 * (to retry, limit, count or damage reads) changes the conveniences with them.
 */
public abstract class ForwardingBackend implements Backend {
    /** The backend every call goes to. */
    protected final Backend inner;

    protected ForwardingBackend(Backend inner) {
        this.inner = inner;
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        inner.save(handle, source);
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        return inner.open(handle, offset, length);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return inner.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return inner.list(type);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        inner.remove(handle);
    }

    @Override
    public int removeStaleTemporaries(Instant cutoff) throws IOException {
        return inner.removeStaleTemporaries(cutoff);
    }

    @Override
    public boolean mayHoldColdFiles() {
        return inner.mayHoldColdFiles();
    }

    @Override
    public ColdState coldState(Handle handle) throws IOException {
        return inner.coldState(handle);
    }

    @Override
    public boolean requestThaw(Handle handle, int days, ThawTier tier) throws IOException {
        return inner.requestThaw(handle, days, tier);
    }

    @Override
    public ThawEstimate estimateThaw(String storageClass, ThawTier tier, int files, long bytes) {
        return inner.estimateThaw(storageClass, tier, files, bytes);
    }

    @Override
    public int parallelism() {
        return inner.parallelism();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
