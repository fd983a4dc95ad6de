package triplicate.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that stands still until a test moves it, so schedules, retention and lock staleness are
 * tested in milliseconds and the same way every run. Thread-safe.
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * Scheduler scheduler = new Scheduler(clock, ...);
 * clock.advance(Duration.ofDays(1));
 * }</pre>
 */
public final class FakeClock implements InstantSource {
    /** Where a {@link #FakeClock()} starts: a fixed instant, so results do not depend on the day tests run. */
    public static final Instant DEFAULT_START = Instant.parse("2024-06-01T12:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock standing at {@link #DEFAULT_START}. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(java.util.Objects.requireNonNull(start));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock to {@code instant}, forwards or backwards (to test clock skew). */
    public void set(Instant instant) {
        now.set(java.util.Objects.requireNonNull(instant));
    }

    /** Moves the clock forwards by {@code duration} and returns the new time; use {@link #set} to go back. */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("advance goes forwards; use set() to move back: " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + "]";
    }
}
