package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.FileType;

class CountingBackendTest {
    private final CountingBackend counting = new CountingBackend(new MemoryBackend("counted"));
    private final Handle handle = new Handle(FileType.SNAPSHOT, "ab".repeat(32));

    @Test
    void countsEveryCallPerOperation() throws IOException {
        counting.save(handle, Source.of(new byte[10]));
        counting.load(handle);
        counting.load(handle, 2, 3);
        counting.exists(handle);
        counting.list(FileType.SNAPSHOT);
        counting.list(FileType.PACK);
        counting.remove(handle);

        assertThat(counting.count(Operation.SAVE)).isEqualTo(1);
        assertThat(counting.count(Operation.OPEN)).isEqualTo(2);
        assertThat(counting.count(Operation.STAT)).isEqualTo(1);
        assertThat(counting.count(Operation.LIST)).isEqualTo(2);
        assertThat(counting.count(Operation.REMOVE)).isEqualTo(1);
        assertThat(counting.total()).isEqualTo(7);
    }

    @Test
    void failedCallsCountToo() throws IOException {
        assertThatThrownBy(() -> counting.load(handle)).isInstanceOf(NoSuchFileException.class);
        counting.exists(handle);

        assertThat(counting.counts()).containsEntry(Operation.OPEN, 1L).containsEntry(Operation.STAT, 1L)
                .containsEntry(Operation.SAVE, 0L);
    }

    @Test
    void resetStartsOver() throws IOException {
        counting.list(FileType.INDEX);

        counting.reset();

        assertThat(counting.total()).isZero();
        assertThat(counting.location()).isEqualTo("memory:counted");
    }

    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            return new CountingBackend(new MemoryBackend("counted"));
        }
    }
}
