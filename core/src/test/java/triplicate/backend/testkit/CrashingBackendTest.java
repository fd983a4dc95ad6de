package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.CrashingBackend.SimulatedCrashException;
import triplicate.core.FileType;

class CrashingBackendTest {
    private final MemoryBackend storage = new MemoryBackend("disk");

    private static Handle index(int i) {
        return new Handle(FileType.INDEX, String.format("%064x", i));
    }

    @Test
    void afterACrashEverythingFails() throws IOException {
        CrashingBackend machine = new CrashingBackend(storage);
        machine.save(index(1), Source.of(new byte[100]));
        InputStream open = machine.open(index(1), 0, -1);

        machine.crash();

        assertThat(machine.crashed()).isTrue();
        assertThatThrownBy(() -> machine.save(index(2), Source.of(new byte[1]))).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> machine.load(index(1))).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> machine.stat(index(1))).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> machine.list(FileType.INDEX)).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> machine.remove(index(1))).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> machine.removeStaleTemporaries(Instant.EPOCH))
                .isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(open::read).isInstanceOf(SimulatedCrashException.class);
    }

    @Test
    void theSurvivorHoldsExactlyWhatCompletedBeforeTheCrash() throws IOException {
        CrashingBackend machine = new CrashingBackend(storage);
        machine.save(index(1), Source.of(new byte[] {1}));
        machine.save(index(2), Source.of(new byte[] {2}));
        machine.remove(index(1));

        machine.crash();
        machine.close();

        assertThat(machine.survivor().list(FileType.INDEX)).containsExactly(new FileInfo(index(2).name(), 1));
        assertThat(machine.survivor().load(index(2))).containsExactly(2);
        assertThat(machine.completedSaves()).isEqualTo(2);
    }

    @Test
    void aSaveInterruptedByTheCrashLeavesNothing() throws IOException {
        CrashingBackend machine = new CrashingBackend(storage);
        byte[] data = new byte[10_000];
        Source crashesHalfway = new Source() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(data) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        if (pos >= data.length / 2) {
                            machine.crash(); // the power goes out while the file is being written
                        }
                        return super.read(b, off, Math.min(len, 1000));
                    }
                };
            }
        };

        assertThatThrownBy(() -> machine.save(index(1), crashesHalfway)).isInstanceOf(SimulatedCrashException.class);

        assertThat(storage.exists(index(1))).isFalse();
    }

    @Test
    void itCanCrashByItselfAfterNSaves() throws IOException {
        CrashingBackend machine = CrashingBackend.crashingAfterSaves(storage, 3);
        for (int i = 1; i <= 3; i++) {
            machine.save(index(i), Source.of(new byte[i]));
        }

        assertThat(machine.crashed()).isTrue();
        assertThatThrownBy(() -> machine.save(index(4), Source.of(new byte[4]))).isInstanceOf(SimulatedCrashException.class);
        assertThat(machine.survivor().list(FileType.INDEX)).hasSize(3);
    }

    @Test
    void aCrashAmongConcurrentSavesKeepsExactlyTheReturnedOnes() throws Exception {
        CrashingBackend machine = new CrashingBackend(storage);
        Set<Handle> returned = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> saves = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                Handle h = index(i);
                saves.add(pool.submit(() -> {
                    machine.save(h, Source.of(new byte[1000]));
                    returned.add(h);
                    return null;
                }));
            }
            while (returned.size() < 50) {
                Thread.onSpinWait();
            }
            machine.crash();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }

        List<String> survived = storage.list(FileType.INDEX).stream().map(FileInfo::name).toList();
        assertThat(survived).containsExactlyInAnyOrderElementsOf(returned.stream().map(Handle::name).toList());
        assertThat(machine.completedSaves()).isEqualTo(returned.size());
    }

    @Test
    void closingBeforeACrashClosesTheStorage() throws IOException {
        CrashingBackend machine = new CrashingBackend(storage);

        machine.close();

        assertThatThrownBy(() -> storage.list(FileType.INDEX)).hasMessageContaining("closed");
    }

    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            return new CrashingBackend(new MemoryBackend("never crashes"));
        }
    }
}
