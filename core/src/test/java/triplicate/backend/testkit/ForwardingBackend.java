package triplicate.backend.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * Passes every call to an inner backend: a test wrapper extends it and overrides only the calls it changes (one
 * that refuses deletes, one that lists in a chosen order…).
 */
public abstract class ForwardingBackend implements Backend {
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
    public int removeStaleTemporaries(java.time.Instant cutoff) throws IOException {
        return inner.removeStaleTemporaries(cutoff);
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
