package triplicate.backend.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;

/**
 * A backend that fails on purpose, so retries, error reporting and "nothing lost" are tested rather than hoped for.
 * Configured once through {@link #wrap}:
 *
 * <pre>{@code
 * FaultInjectingBackend faulty = FaultInjectingBackend.wrap(new MemoryBackend("t"))
 *         .seed(42)
 *         .failNth(Operation.SAVE, 3, Failure.TRANSIENT)        // the 3rd save fails, once
 *         .failRandomly(Operation.OPEN, 0.2, Failure.PERMANENT) // each open fails with probability 0.2
 *         .latency(Operation.LIST, Duration.ofMillis(5))
 *         .build();
 * }</pre>
 *
 * <p>Calls are numbered per operation from 1, failed ones included. Random faults come from one seeded
 * {@link Random}, so a single-threaded run fails the same calls every time. {@code load} is an open and
 * {@code exists} a stat. Messages say the fault was injected and name the location and the file. Thread-safe.
 */
public final class FaultInjectingBackend extends ForwardingBackend {

    /** What an injected fault looks like to the caller. */
    public enum Failure {
        /** A {@link TransientBackendException} before the call reaches storage: a retry may succeed. */
        TRANSIENT,
        /** A plain {@link IOException} before the call reaches storage: retrying will not help. */
        PERMANENT,
        /**
         * The call reaches storage and takes effect, then a {@link TransientBackendException} is thrown, as when a
         * response is lost on the network. A retried save then meets {@link java.nio.file.FileAlreadyExistsException}.
         */
        LOST_RESPONSE
    }

    private record Rule(Operation operation, long nth, double probability, Failure failure) {
    }

    private final List<Rule> rules;
    private final Map<Operation, Duration> latency;
    private final Random random;
    private final AtomicLongArray calls = new AtomicLongArray(Operation.values().length);
    private final AtomicInteger injected = new AtomicInteger();

    private FaultInjectingBackend(Builder builder) {
        super(builder.inner);
        this.rules = List.copyOf(builder.rules);
        this.latency = new EnumMap<>(builder.latency);
        this.random = new Random(builder.seed);
    }

    /** Starts configuring faults over {@code inner}, which the built backend owns (closing it closes inner). */
    public static Builder wrap(Backend inner) {
        return new Builder(inner);
    }

    /** How many faults were injected so far. */
    public int injected() {
        return injected.get();
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        String lost = before(Operation.SAVE, handle);
        inner.save(handle, source);
        after(lost);
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        String lost = before(Operation.OPEN, handle);
        InputStream in = inner.open(handle, offset, length);
        if (lost != null) {
            in.close();
            after(lost);
        }
        return in;
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        String lost = before(Operation.STAT, handle);
        FileInfo info = inner.stat(handle);
        after(lost);
        return info;
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        String lost = before(Operation.LIST, type.folder());
        List<FileInfo> files = inner.list(type);
        after(lost);
        return files;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        String lost = before(Operation.REMOVE, handle);
        inner.remove(handle);
        after(lost);
    }

    @Override
    public String toString() {
        return "faulty " + inner;
    }

    /**
     * Numbers the call, waits out the latency, and throws a fault due before storage is reached. Returns the message
     * of a {@link Failure#LOST_RESPONSE} fault due after the call, else {@code null}.
     */
    private String before(Operation operation, Object target) throws IOException {
        long call = calls.incrementAndGet(operation.ordinal());
        Duration delay = latency.get(operation);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location() + ": interrupted during injected latency on " + target);
            }
        }
        Failure failure = null;
        for (Rule rule : rules) {
            if (rule.operation == operation && (rule.nth == call || rule.nth == 0 && chance(rule.probability))) {
                failure = rule.failure;
                break;
            }
        }
        if (failure == null) {
            return null;
        }
        injected.incrementAndGet();
        String what = operation.name().toLowerCase(Locale.ROOT) + " #" + call + " of " + target;
        return switch (failure) {
            case TRANSIENT -> throw new TransientBackendException(location() + ": injected transient fault on " + what);
            case PERMANENT -> throw new IOException(location() + ": injected permanent fault on " + what);
            case LOST_RESPONSE -> location() + ": injected lost response after " + what + " (which took effect)";
        };
    }

    private static void after(String lostResponse) throws TransientBackendException {
        if (lostResponse != null) {
            throw new TransientBackendException(lostResponse);
        }
    }

    private boolean chance(double probability) {
        synchronized (random) {
            return random.nextDouble() < probability;
        }
    }

    /** Configures a {@link FaultInjectingBackend}; rules are checked in the order added, the first match wins. */
    public static final class Builder {
        private final Backend inner;
        private final List<Rule> rules = new ArrayList<>();
        private final Map<Operation, Duration> latency = new EnumMap<>(Operation.class);
        private long seed = 1;

        private Builder(Backend inner) {
            this.inner = inner;
        }

        /** Seeds the random faults (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The {@code n}th call of {@code operation} (counting from 1) fails with {@code failure}, once. */
        public Builder failNth(Operation operation, long n, Failure failure) {
            if (n < 1) {
                throw new IllegalArgumentException("calls are counted from 1, not " + n);
            }
            rules.add(new Rule(operation, n, 0, failure));
            return this;
        }

        /** Each call of {@code operation} fails with {@code failure} with the given probability (0 to 1). */
        public Builder failRandomly(Operation operation, double probability, Failure failure) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("a probability is between 0 and 1, not " + probability);
            }
            rules.add(new Rule(operation, 0, probability, failure));
            return this;
        }

        /** Every call of {@code operation} waits {@code delay} before anything else. */
        public Builder latency(Operation operation, Duration delay) {
            latency.put(operation, delay);
            return this;
        }

        public FaultInjectingBackend build() {
            return new FaultInjectingBackend(this);
        }
    }
}
