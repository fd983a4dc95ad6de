package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.FileType;

class RefusingDeletesBackendTest {
    private final MemoryBackend inner = new MemoryBackend("append-only");
    private final RefusingDeletesBackend appendOnly = new RefusingDeletesBackend(inner);

    @Test
    void removalsAreRefusedAndTheFileStays() throws IOException {
        Handle h = new Handle(FileType.LOCK, "cd".repeat(32));
        appendOnly.save(h, Source.of(new byte[] {1, 2}));

        assertThatThrownBy(() -> appendOnly.remove(h))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("memory:append-only")
                .hasMessageContaining(h.toString())
                .hasMessageContaining("append-only");
        assertThat(appendOnly.load(h)).containsExactly(1, 2);
        assertThat(inner.exists(h)).isTrue();
    }

    @Test
    void everythingElsePassesThrough() throws IOException {
        Handle h = new Handle(FileType.SNAPSHOT, "ef".repeat(32));
        appendOnly.save(h, Source.of(new byte[3]));

        assertThat(appendOnly.stat(h).size()).isEqualTo(3);
        assertThat(appendOnly.list(FileType.SNAPSHOT)).hasSize(1);
        assertThat(appendOnly.location()).isEqualTo(inner.location());
    }
}
