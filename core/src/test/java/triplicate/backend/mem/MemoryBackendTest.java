package triplicate.backend.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.testkit.BackendContractTest;
import triplicate.core.FileType;

class MemoryBackendTest extends BackendContractTest {

    @Override
    protected Backend newBackend() {
        return new MemoryBackend("contract");
    }

    @Test
    void locationNamesTheBackend() {
        assertThat(new MemoryBackend("photos").location()).isEqualTo("memory:photos");
    }

    @Test
    void changingTheSavedArrayDoesNotChangeTheFile() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(100);
        byte[] copy = data.clone();
        backend.save(h, Source.of(data));

        data[0] ^= 1;

        assertThat(backend.load(h)).isEqualTo(copy);
    }

    @Test
    void changingWhatWasReadDoesNotChangeTheFile() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(100);
        backend.save(h, Source.of(data));

        byte[] read = backend.load(h);
        read[0] ^= 1;
        try (InputStream in = backend.open(h, 0, -1)) {
            byte[] buffer = new byte[100];
            in.read(buffer);
            buffer[1] ^= 1;
        }

        assertThat(backend.load(h)).isEqualTo(data);
    }

    @Test
    void aSourceLongerThanAnnouncedIsRefused() throws IOException {
        Handle h = handle(FileType.INDEX);
        byte[] data = bytes(2000);
        Source tooLong = new Source() {
            @Override
            public long length() {
                return 1000;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(data);
            }
        };

        assertThatThrownBy(() -> backend.save(h, tooLong)).isInstanceOf(IOException.class).hasMessageContaining("1000");
        assertThat(backend.list(FileType.INDEX)).isEmpty();
    }

    @Test
    void aClosedBackendRefusesWork() throws IOException {
        Handle h = handle(FileType.LOCK);
        backend.save(h, Source.of(bytes(10)));

        backend.close();

        assertThatThrownBy(() -> backend.load(h)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> backend.list(FileType.LOCK)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> backend.save(handle(FileType.LOCK), Source.of(bytes(1)))).isInstanceOf(IOException.class);
    }

    @Test
    void theConfigFileHasOneName() {
        assertThatThrownBy(() -> backend.save(new Handle(FileType.CONFIG, "other"), Source.of(bytes(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
