package triplicate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.wrap.RetryingBackend;

class BackendsTest {
    @TempDir
    Path dir;

    @Test
    void aPlainAbsolutePathIsALocalVault() throws IOException {
        Path root = dir.resolve("vault");
        try (Backend created = Backends.create(root.toString())) {
            assertThat(created).isInstanceOf(LocalBackend.class);
            created.save(Handle.config(), Source.of(new byte[] {1, 2, 3}));
        }
        try (Backend opened = Backends.open(root.toString())) {
            assertThat(opened.load(Handle.config())).containsExactly(1, 2, 3);
            assertThat(opened.location()).isEqualTo(root.toString());
        }
    }

    @Test
    void aRelativePathIsResolvedAgainstTheWorkingFolder() throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("rel"));
        try (Backend backend = Backends.create(relative.toString())) {
            assertThat(backend.location()).isEqualTo(dir.resolve("rel").toString());
        }
    }

    @Test
    void localAndFileLocationsAreLocalVaults() throws IOException {
        Path root = dir.resolve("a:b"); // a colon in the folder name needs local:
        try (Backend backend = Backends.create("local:" + root)) {
            assertThat(backend.location()).isEqualTo(root.toString());
        }
        try (Backend backend = Backends.open(root.toUri().toString())) {
            assertThat(backend.location()).isEqualTo(root.toString());
        }
    }

    @Test
    void openCreatesNothingAndCreateRefusesAnExistingVault() throws IOException {
        Path root = dir.resolve("vault");
        assertThatThrownBy(() -> Backends.open(root.toString())).isInstanceOf(NoSuchFileException.class);
        assertThat(root).doesNotExist();

        try (Backend backend = Backends.create(root.toString())) {
            backend.save(Handle.config(), Source.of(new byte[1]));
        }
        assertThatThrownBy(() -> Backends.create(root.toString())).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void memoryLocationsGiveAFreshBackendEachTime() throws IOException {
        try (Backend first = Backends.open("memory:test"); Backend second = Backends.open("memory:test")) {
            assertThat(first).isInstanceOf(MemoryBackend.class);
            assertThat(first.location()).isEqualTo("memory:test");
            first.save(Handle.config(), Source.of(new byte[1]));
            assertThat(second.exists(Handle.config())).isFalse();
        }
    }

    @Test
    void unknownSchemesAreRefusedWithTheSupportedOnes() {
        assertThatThrownBy(() -> Backends.open("nosuch://user:hunter2@host/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"nosuch\"")
                .hasMessageContaining("file, local, memory")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void blankLocationsAreRefused() {
        assertThatThrownBy(() -> Backends.open(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backends.open("local:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherSchemesAreServedByRegisteredProviders() throws IOException {
        Path services = Files.createDirectories(dir.resolve("cp/META-INF/services"));
        Files.writeString(services.resolve(BackendProvider.class.getName()), TestProvider.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(loader);

            try (Backend backend = Backends.open("test://bucket/prefix")) {
                assertThat(backend.location()).isEqualTo("memory:open test://bucket/prefix");
                assertThat(backend).as("network backends are retried").isInstanceOf(RetryingBackend.class);
            }
            try (Backend backend = Backends.open("test://bucket/prefix", Map.of("TEST_SETTING", "from env"))) {
                assertThat(backend.location()).isEqualTo("memory:open test://bucket/prefix from env");
            }
            try (Backend backend = Backends.create("TEST://bucket/prefix")) {
                assertThat(backend.location()).isEqualTo("memory:create TEST://bucket/prefix");
            }
            try (Backend backend = Backends.open("test://bucket/prefix", Map.of("TEST_SETTING", "from the caller"))) {
                assertThat(backend.location()).isEqualTo("memory:open test://bucket/prefix from the caller");
            }
            assertThatThrownBy(() -> Backends.open("nosuch:x")).hasMessageContaining("file, local, memory, test");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void redactHidesPasswordsAndSecretQueryValues() {
        assertThat(Backends.redact("sftp://alice:hunter2@nas:22/photos")).isEqualTo("sftp://alice:***@nas:22/photos");
        assertThat(Backends.redact("sftp://alice@nas/photos")).isEqualTo("sftp://alice@nas/photos");
        assertThat(Backends.redact("sftp:alice:hunter2@nas:/photos")).isEqualTo("sftp:alice:***@nas:/photos");
        assertThat(Backends.redact("s3://AKIA123:s3cr3t@minio:9000/bucket?region=eu&secret_key=abc#frag"))
                .isEqualTo("s3://AKIA123:***@minio:9000/bucket?region=eu&secret_key=***#frag");
        assertThat(Backends.redact("azure://account/container?sv=2024&sig=XYZ%3D&token=t&Password=p"))
                .isEqualTo("azure://account/container?sv=2024&sig=***&token=***&Password=***");
        assertThat(Backends.redact("/home/alice/vault?odd")).isEqualTo("/home/alice/vault?odd");
        assertThat(Backends.redact("rclone:remote:photos")).isEqualTo("rclone:remote:photos");
        assertThat(Backends.redact("memory:x")).isEqualTo("memory:x");
    }

    /** Serves the scheme {@code test} with memory backends whose location records the call. */
    public static final class TestProvider implements BackendProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("test");
        }

        @Override
        public Backend open(URI location) {
            return new MemoryBackend("open " + location);
        }

        @Override
        public Backend open(URI location, Map<String, String> env) {
            return new MemoryBackend("open " + location + (env.containsKey("TEST_SETTING") ? " " + env.get("TEST_SETTING") : ""));
        }

        @Override
        public Backend create(URI location) {
            return new MemoryBackend("create " + location);
        }
    }
}
