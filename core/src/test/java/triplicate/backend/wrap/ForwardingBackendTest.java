package triplicate.backend.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import triplicate.backend.Backend;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.CorruptingBackend;
import triplicate.backend.testkit.CountingBackend;
import triplicate.backend.testkit.CrashingBackend;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.RefusingDeletesBackend;

/**
 * Every decorator passes the calls it does not change through to the backend it wraps, the {@link Backend}
 * default methods included: a backend's own cleanup of stale temporaries and its connection count must reach
 * the caller whatever wraps it.
 */
class ForwardingBackendTest {

    static Stream<Arguments> decorators() {
        AtomicLong clock = new AtomicLong();
        return Stream.of(
                Arguments.of("retrying", (UnaryOperator<Backend>) inner -> new RetryingBackend(inner,
                        RetryingBackend.Policy.defaults(), d -> { }, new SplittableRandom(1))),
                Arguments.of("rate limited", (UnaryOperator<Backend>) inner -> new RateLimitedBackend(inner,
                        1_000_000, 1_000_000, clock::get, clock::addAndGet)),
                Arguments.of("plain forwarding", (UnaryOperator<Backend>) inner -> new ForwardingBackend(inner) { }),
                Arguments.of("counting", (UnaryOperator<Backend>) CountingBackend::new),
                Arguments.of("corrupting", (UnaryOperator<Backend>) inner -> new CorruptingBackend(inner,
                        h -> true, CorruptingBackend.Damage.FLIP_BIT, 1)),
                Arguments.of("crashing", (UnaryOperator<Backend>) CrashingBackend::new),
                Arguments.of("fault injecting", (UnaryOperator<Backend>) inner -> FaultInjectingBackend.wrap(inner)
                        .build()),
                Arguments.of("refusing deletes", (UnaryOperator<Backend>) RefusingDeletesBackend::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decorators")
    void passesTheDefaultMethodsThrough(String name, UnaryOperator<Backend> decorate) throws IOException {
        Housekeeping inner = new Housekeeping();
        Instant cutoff = Instant.parse("2024-05-01T10:00:00Z");
        try (Backend decorated = decorate.apply(inner)) {
            assertThat(decorated.parallelism()).isEqualTo(13);
            assertThat(decorated.removeStaleTemporaries(cutoff)).isEqualTo(7);
            assertThat(inner.cutoff).isEqualTo(cutoff);
            assertThat(decorated.location()).isEqualTo("memory:housekeeping");
        }
        assertThat(inner.closed).isTrue();
    }

    /** A backend whose default methods answer what no default would, and which records the calls. */
    private static final class Housekeeping extends ForwardingBackend {
        Instant cutoff;
        boolean closed;

        Housekeeping() {
            super(new MemoryBackend("housekeeping"));
        }

        @Override
        public int removeStaleTemporaries(Instant cutoff) {
            this.cutoff = cutoff;
            return 7;
        }

        @Override
        public int parallelism() {
            return 13;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
