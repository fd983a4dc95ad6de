package triplicate.backend.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;

/**
 * Counts the calls made to a backend, per {@link Operation}: the request counts that object stores bill, for
 * benchmarks and for tests such as "a second backup of an unchanged library uploads nothing". Every attempt counts,
 * whether it succeeds or not. {@code load} counts as an open, {@code exists} as a stat. Thread-safe.
 */
public final class CountingBackend extends ForwardingBackend {
    private final AtomicLongArray counts = new AtomicLongArray(Operation.values().length);

    public CountingBackend(Backend inner) {
        super(inner);
    }

    /** Calls of {@code operation} so far. */
    public long count(Operation operation) {
        return counts.get(operation.ordinal());
    }

    /** Calls of every operation so far. */
    public long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** A snapshot of the counts, in {@link Operation} order. */
    public Map<Operation, Long> counts() {
        Map<Operation, Long> result = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            result.put(operation, count(operation));
        }
        return result;
    }

    /** Sets every count back to zero. */
    public void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        counts.incrementAndGet(Operation.SAVE.ordinal());
        inner.save(handle, source);
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        counts.incrementAndGet(Operation.OPEN.ordinal());
        return inner.open(handle, offset, length);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        counts.incrementAndGet(Operation.STAT.ordinal());
        return inner.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        counts.incrementAndGet(Operation.LIST.ordinal());
        return inner.list(type);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        counts.incrementAndGet(Operation.REMOVE.ordinal());
        inner.remove(handle);
    }

    @Override
    public String toString() {
        return "counting " + inner + " " + counts();
    }
}
