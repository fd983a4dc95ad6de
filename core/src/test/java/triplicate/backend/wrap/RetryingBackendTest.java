package triplicate.backend.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.BackendContractTest;
import triplicate.backend.testkit.CountingBackend;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.Operation;
import triplicate.core.FileType;

class RetryingBackendTest {
    private final List<Duration> sleeps = new ArrayList<>();

    private RetryingBackend retrying(Backend inner, int attempts) {
        return new RetryingBackend(inner, new RetryingBackend.Policy(attempts, Duration.ofMillis(100),
                Duration.ofSeconds(5), 2.0), sleeps::add, new SplittableRandom(1));
    }

    /**
     * The whole backend contract holds through retries while 30% of calls fail transiently. Removes are left out:
     * after a failed attempt, a retried remove cannot tell "already gone" from "removed by the lost attempt" and
     * counts both as done (tested below), which is what deleting callers need, but not the plain contract.
     */
    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            FaultInjectingBackend.Builder b = FaultInjectingBackend.wrap(new MemoryBackend("flaky")).seed(7);
            for (Operation op : Operation.values()) {
                if (op != Operation.REMOVE) {
                    b.failRandomly(op, 0.3, FaultInjectingBackend.Failure.TRANSIENT);
                }
            }
            return new RetryingBackend(b.build(), new RetryingBackend.Policy(30, Duration.ZERO, Duration.ZERO, 1.0),
                    d -> { }, new SplittableRandom(2));
        }
    }

    @Test
    void aSaveWhoseAnswerWasLostIsNotAnError() throws IOException {
        MemoryBackend mem = new MemoryBackend("m");
        Backend lossy = FaultInjectingBackend.wrap(mem)
                .failNth(Operation.SAVE, 1, FaultInjectingBackend.Failure.LOST_RESPONSE).build();
        Handle h = new Handle(FileType.PACK, "ab".repeat(32));
        retrying(lossy, 3).save(h, Source.of(new byte[] {1, 2, 3}));
        assertThat(mem.load(h)).containsExactly(1, 2, 3);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void aRemoveWhoseAnswerWasLostIsNotAnError() throws IOException {
        MemoryBackend mem = new MemoryBackend("m");
        Handle h = new Handle(FileType.LOCK, "ef".repeat(32));
        mem.save(h, Source.of(new byte[] {1}));
        Backend lossy = FaultInjectingBackend.wrap(mem)
                .failNth(Operation.REMOVE, 1, FaultInjectingBackend.Failure.LOST_RESPONSE).build();
        RetryingBackend r = retrying(lossy, 3);
        r.remove(h);
        assertThat(mem.exists(h)).isFalse();
        assertThatThrownBy(() -> r.remove(h)).as("a first attempt that finds nothing is still an error")
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void permanentErrorsAreNotRetried() throws IOException {
        CountingBackend counting = new CountingBackend(FaultInjectingBackend.wrap(new MemoryBackend("m"))
                .failNth(Operation.LIST, 1, FaultInjectingBackend.Failure.PERMANENT).build());
        assertThatThrownBy(() -> retrying(counting, 5).list(FileType.PACK)).isInstanceOf(IOException.class)
                .isNotInstanceOf(TransientBackendException.class);
        assertThat(counting.count(Operation.LIST)).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheLocationAndTheCause() {
        Backend down = new FailingBackend(new TransientBackendException("connection reset by peer"));
        assertThatThrownBy(() -> retrying(down, 4).stat(Handle.config()))
                .hasMessageContaining("down-server").hasMessageContaining("4 times")
                .hasMessageContaining("connection reset by peer");
        assertThat(sleeps).hasSize(3);
        // exponential with equal jitter: each pause is between half its cap of 100 ms × 2^(n-1) and the cap
        for (int i = 0; i < sleeps.size(); i++) {
            assertThat(sleeps.get(i)).isLessThanOrEqualTo(Duration.ofMillis(100L << i))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50L << i));
        }
    }

    @Test
    void aReadThatBreaksMidStreamResumesWhereItStopped() throws IOException {
        MemoryBackend mem = new MemoryBackend("m");
        byte[] data = new byte[100_000];
        new SplittableRandom(3).nextBytes(data);
        Handle h = new Handle(FileType.PACK, "cd".repeat(32));
        mem.save(h, Source.of(data));
        Backend breaking = new BreakingReads(mem, 10_000);
        byte[] read = retrying(breaking, 30).load(h);
        assertThat(read).isEqualTo(data);
        assertThat(sleeps).isNotEmpty();
    }

    @Test
    void accessDeniedIsPermanent() {
        assertThat(RetryingBackend.isTransient(new AccessDeniedException("x"))).isFalse();
        assertThat(RetryingBackend.isTransient(new java.net.SocketTimeoutException("t"))).isTrue();
    }

    /** Every call fails with the given exception. */
    private static final class FailingBackend implements Backend {
        private final IOException failure;

        FailingBackend(IOException failure) {
            this.failure = failure;
        }

        public String location() {
            return "sftp://down-server/vault";
        }

        public void save(Handle h, Source s) throws IOException {
            throw failure;
        }

        public java.io.InputStream open(Handle h, long o, long l) throws IOException {
            throw failure;
        }

        public FileInfo stat(Handle h) throws IOException {
            throw failure;
        }

        public List<FileInfo> list(FileType t) throws IOException {
            throw failure;
        }

        public void remove(Handle h) throws IOException {
            throw failure;
        }

        public void close() {
        }
    }

    /** Streams that fail transiently after {@code every} bytes. */
    private static final class BreakingReads extends ForwardingBackend {
        private final int every;

        BreakingReads(Backend inner, int every) {
            super(inner);
            this.every = every;
        }

        @Override
        public java.io.InputStream open(Handle h, long o, long l) throws IOException {
            java.io.InputStream in = inner.open(h, o, l);
            return new java.io.FilterInputStream(in) {
                int served;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (served >= every) {
                        throw new TransientBackendException("connection reset");
                    }
                    int n = super.read(b, off, Math.min(len, every - served));
                    if (n > 0) {
                        served += n;
                    }
                    return n;
                }
            };
        }
    }
}
