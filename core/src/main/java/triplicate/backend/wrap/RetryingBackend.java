package triplicate.backend.wrap;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import triplicate.backend.Backend;
import triplicate.backend.BulkInputStream;
import triplicate.backend.ColdState;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.ThawTier;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * Retries transient failures ({@link TransientBackendException}, time-outs, reset connections) with exponential
 * backoff and jitter; every other failure passes through at once. Each pause is drawn between half its cap and the
 * cap ("equal jitter"): clients that failed together still spread out, and the patience never collapses to a few
 * milliseconds by chance, so a server that restarts within the documented patience is always waited for. Because a transient failure may hide a
 * success (the server stored the file, the answer was lost), a retried {@code save} that finds the file already
 * there with the right size counts as done, and a retried {@code remove} that finds it gone counts as done. Reads that
 * fail mid-stream resume where they stopped. A read of a cold file ({@link triplicate.core.ColdStorageException})
 * is not transient and passes through at once. {@code removeStaleTemporaries}, {@code parallelism} and {@code close}
 * pass through without retries.
 */
public final class RetryingBackend extends ForwardingBackend {
    /** How often and how patiently to retry. Delays grow from {@code initialDelay} by {@code multiplier}, capped. */
    public record Policy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {
        public Policy {
            if (maxAttempts < 1 || multiplier < 1 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("invalid retry policy");
            }
        }

        /** 8 attempts, 0.2 s growing ×2 up to 30 s: between 13 and 25 s of patience in all. */
        public static Policy defaults() {
            return new Policy(8, Duration.ofMillis(200), Duration.ofSeconds(30), 2.0);
        }
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Policy policy;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public RetryingBackend(Backend inner, Policy policy, Sleeper sleeper, RandomGenerator random) {
        super(inner);
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Default policy, real sleeping. */
    public static RetryingBackend wrap(Backend inner) {
        return new RetryingBackend(inner, Policy.defaults(), d -> Thread.sleep(d.toMillis()),
                RandomGenerator.getDefault());
    }

    /** Whether {@code e} is worth another attempt. */
    public static boolean isTransient(Throwable e) {
        return e instanceof TransientBackendException || e instanceof SocketTimeoutException
                || e instanceof SocketException;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(int attempt) throws IOException;
    }

    private <T> T retry(String what, Call<T> call) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            try {
                return call.run(attempt);
            } catch (IOException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                last = e;
                if (attempt < policy.maxAttempts()) {
                    pause(attempt);
                }
            }
        }
        throw new IOException(inner.location() + ": " + what + " failed " + policy.maxAttempts()
                + " times in a row, giving up: " + last.getMessage(), last);
    }

    private void pause(int attempt) throws IOException {
        double cap = Math.min(policy.maxDelay().toNanos(),
                policy.initialDelay().toNanos() * Math.pow(policy.multiplier(), attempt - 1));
        long nanos = (long) (cap / 2 + random.nextDouble() * cap / 2);
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        retry("saving " + handle, attempt -> {
            try {
                inner.save(handle, source);
            } catch (FileAlreadyExistsException e) {
                // an earlier attempt may have succeeded with its answer lost: then the file is ours
                if (attempt > 1 && inner.stat(handle).size() == source.length()) {
                    return null;
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        InputStream first = retry("opening " + handle, attempt -> inner.open(handle, offset, length));
        return new ResumingStream(first, handle, offset, length);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        return retry("reading the size of " + handle, attempt -> inner.stat(handle));
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return retry("listing " + type.folder(), attempt -> inner.list(type));
    }

    @Override
    public void remove(Handle handle) throws IOException {
        retry("removing " + handle, attempt -> {
            try {
                inner.remove(handle);
            } catch (NoSuchFileException e) {
                if (attempt == 1) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public ColdState coldState(Handle handle) throws IOException {
        return retry("looking up the storage class of " + handle, attempt -> inner.coldState(handle));
    }

    @Override
    public boolean requestThaw(Handle handle, int days, ThawTier tier) throws IOException {
        // a request whose answer was lost is met by its own thaw on the next attempt: then it reports false
        return retry("requesting a thaw of " + handle, attempt -> inner.requestThaw(handle, days, tier));
    }

    /** The backend whose calls this one retries. */
    public Backend inner() {
        return inner;
    }

    @Override
    public String toString() {
        return "RetryingBackend[" + inner + "]";
    }

    /** A stream that, when a read fails transiently, re-opens the file where it stopped. */
    private final class ResumingStream extends BulkInputStream {
        private InputStream in;
        private final Handle handle;
        private final long offset;
        private final long length;
        private long position;

        ResumingStream(InputStream in, Handle handle, long offset, long length) {
            this.in = in;
            this.handle = handle;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return retry("reading " + handle, attempt -> {
                if (attempt > 1) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // the broken stream's close may fail too
                    }
                    in = inner.open(handle, offset + position, length < 0 ? -1 : length - position);
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            });
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            position += s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
