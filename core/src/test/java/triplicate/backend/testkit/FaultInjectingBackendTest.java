package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.FaultInjectingBackend.Failure;
import triplicate.core.FileType;

class FaultInjectingBackendTest {

    private static Handle pack(int i) {
        return new Handle(FileType.PACK, String.format("%064x", i));
    }

    @Test
    void theNthCallFailsOnce() throws IOException {
        FaultInjectingBackend faulty = FaultInjectingBackend.wrap(new MemoryBackend("f"))
                .failNth(Operation.SAVE, 3, Failure.TRANSIENT).build();
        faulty.save(pack(1), Source.of(new byte[1]));
        faulty.save(pack(2), Source.of(new byte[1]));

        assertThatThrownBy(() -> faulty.save(pack(3), Source.of(new byte[1])))
                .isInstanceOf(TransientBackendException.class)
                .hasMessageContaining("memory:f")
                .hasMessageContaining("injected")
                .hasMessageContaining(pack(3).toString());
        assertThat(faulty.exists(pack(3))).isFalse();

        faulty.save(pack(3), Source.of(new byte[1]));
        assertThat(faulty.list(FileType.PACK)).hasSize(3);
        assertThat(faulty.injected()).isEqualTo(1);
    }

    @Test
    void permanentFaultsAreNotTransient() throws IOException {
        FaultInjectingBackend faulty = FaultInjectingBackend.wrap(new MemoryBackend("f"))
                .failNth(Operation.LIST, 1, Failure.PERMANENT).build();

        assertThatThrownBy(() -> faulty.list(FileType.INDEX))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("index");
        assertThat(faulty.list(FileType.INDEX)).isEmpty();
    }

    @Test
    void aLostResponseTakesEffectAndARetryFindsTheFile() throws IOException {
        FaultInjectingBackend faulty = FaultInjectingBackend.wrap(new MemoryBackend("f"))
                .failNth(Operation.SAVE, 1, Failure.LOST_RESPONSE).build();

        assertThatThrownBy(() -> faulty.save(pack(1), Source.of(new byte[] {7})))
                .isInstanceOf(TransientBackendException.class);

        assertThat(faulty.load(pack(1))).containsExactly(7);
        assertThatThrownBy(() -> faulty.save(pack(1), Source.of(new byte[] {7})))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void randomFaultsRepeatWithTheSeed() throws IOException {
        assertThat(failingOpens(42)).isEqualTo(failingOpens(42));
        assertThat(failingOpens(42)).isNotEqualTo(failingOpens(43));
        assertThat(failingOpens(42)).hasSizeBetween(10, 50);
    }

    private static List<Integer> failingOpens(long seed) throws IOException {
        FaultInjectingBackend faulty = FaultInjectingBackend.wrap(new MemoryBackend("f"))
                .seed(seed)
                .failRandomly(Operation.OPEN, 0.3, Failure.TRANSIENT).build();
        faulty.save(pack(1), Source.of(new byte[4]));
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try {
                faulty.load(pack(1));
            } catch (TransientBackendException e) {
                failed.add(i);
            }
        }
        assertThat(faulty.injected()).isEqualTo(failed.size());
        return failed;
    }

    @Test
    void latencyDelaysTheCall() throws IOException {
        FaultInjectingBackend slow = FaultInjectingBackend.wrap(new MemoryBackend("f"))
                .latency(Operation.STAT, Duration.ofMillis(40)).build();

        long start = System.nanoTime();
        slow.exists(pack(1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void nonsenseRulesAreRefused() {
        FaultInjectingBackend.Builder builder = FaultInjectingBackend.wrap(new MemoryBackend("f"));

        assertThatThrownBy(() -> builder.failNth(Operation.SAVE, 0, Failure.TRANSIENT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.failRandomly(Operation.SAVE, 1.5, Failure.TRANSIENT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            return FaultInjectingBackend.wrap(new MemoryBackend("no faults")).build();
        }
    }
}
