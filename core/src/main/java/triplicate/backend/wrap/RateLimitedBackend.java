package triplicate.backend.wrap;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;

/**
 * Caps the bandwidth of uploads ({@code save}) and downloads ({@code open}) in bytes per second, shared by all
 * threads. Bytes are counted as the backend reads them from the source or the caller reads them from the stream,
 * so the cap holds whatever the backend does with them. A limit of 0 means no cap in that direction.
 */
public final class RateLimitedBackend extends ForwardingBackend {
    private final TokenBucket up;
    private final TokenBucket down;

    /** Waits; tests pass one that advances a fake clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** A nanosecond clock; {@code System::nanoTime} in production. */
    @FunctionalInterface
    public interface Ticker {
        long nanos();
    }

    public RateLimitedBackend(Backend inner, long uploadBytesPerSecond, long downloadBytesPerSecond, Ticker ticker,
                              Sleeper sleeper) {
        super(inner);
        this.up = uploadBytesPerSecond > 0 ? new TokenBucket(uploadBytesPerSecond, ticker, sleeper) : null;
        this.down = downloadBytesPerSecond > 0 ? new TokenBucket(downloadBytesPerSecond, ticker, sleeper) : null;
    }

    /** Real time; limits in KiB/s (0 = unlimited). */
    public static Backend wrap(Backend inner, long uploadKiBps, long downloadKiBps) {
        if (uploadKiBps <= 0 && downloadKiBps <= 0) {
            return inner;
        }
        return new RateLimitedBackend(inner, uploadKiBps * 1024, downloadKiBps * 1024, System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        if (up == null) {
            inner.save(handle, source);
            return;
        }
        inner.save(handle, new Source() {
            @Override
            public long length() {
                return source.length();
            }

            @Override
            public InputStream open() throws IOException {
                return new Limited(source.open(), up);
            }

            @Override
            public triplicate.backend.StorageHint storageHint() {
                return source.storageHint();
            }
        });
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        InputStream in = inner.open(handle, offset, length);
        return down == null ? in : new Limited(in, down);
    }

    /** A token bucket holding at most one second of bytes; {@link #take} blocks until the bytes may pass. */
    static final class TokenBucket {
        private final long rate;
        private final Ticker ticker;
        private final Sleeper sleeper;
        private double tokens;
        private long last;

        TokenBucket(long bytesPerSecond, Ticker ticker, Sleeper sleeper) {
            this.rate = bytesPerSecond;
            this.ticker = ticker;
            this.sleeper = sleeper;
            this.last = ticker.nanos();
        }

        void take(long bytes) throws InterruptedIOException {
            long waitNanos;
            synchronized (this) {
                long now = ticker.nanos();
                tokens = Math.min(rate, tokens + (now - last) * rate / 1e9);
                last = now;
                tokens -= bytes;
                waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
            }
            if (waitNanos > 0) {
                try {
                    sleeper.sleepNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while holding to the bandwidth limit");
                }
            }
        }
    }

    /** Reads through a bucket, in pieces of at most 64 KiB so the flow stays smooth. */
    private static final class Limited extends FilterInputStream {
        private final TokenBucket bucket;

        Limited(InputStream in, TokenBucket bucket) {
            super(in);
            this.bucket = bucket;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bucket.take(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, Math.min(len, 64 * 1024));
            if (n > 0) {
                bucket.take(n);
            }
            return n;
        }
    }
}
