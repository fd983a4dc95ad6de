package triplicate.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * OpenSSH servers set up the way NAS boxes and careful administrators set them up: fewer sessions per connection than
 * the backend would like, and an SFTP server that refuses deletions (the append-only set-up docs/backends/sftp.md
 * suggests). Skipped, with the reason, where sshd is not installed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenSshServerSettingsTest {
    @TempDir
    Path dir;
    private final Random random = new Random(3);

    @Test
    void aServerAllowingFewerChannelsIsServedWithTheOnesItAllows() throws Exception {
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"), List.of("MaxSessions 2"))) {
            Path vault = Files.createDirectories(dir.resolve("vault"));
            Map<String, String> env = server.env();
            env.put("TRIPLICATE_SFTP_CONNECTIONS", "6");
            try (SftpBackend backend = SftpBackend.open(URI.create(server.uri(vault)), env)) {
                ExecutorService threads = Executors.newFixedThreadPool(6);
                try {
                    List<Future<?>> tasks = new ArrayList<>();
                    for (int i = 0; i < 18; i++) {
                        Handle h = handle(FileType.INDEX);
                        byte[] data = bytes(5_000 + i);
                        tasks.add(threads.submit(() -> {
                            backend.save(h, Source.of(data));
                            assertThat(backend.load(h)).isEqualTo(data);
                            return null;
                        }));
                    }
                    for (Future<?> task : tasks) {
                        task.get();
                    }
                } finally {
                    threads.shutdownNow();
                }
                assertThat(backend.list(FileType.INDEX)).hasSize(18);
            }
        }
    }

    @Test
    void backupsWorkOnAServerThatRefusesDeletions() throws Exception {
        List<String> appendOnly = List.of("Subsystem sftp internal-sftp -P remove,rmdir -u 077");
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"), appendOnly)) {
            Path vault = dir.resolve("vault");
            try (SftpBackend backend = SftpBackend.create(URI.create(server.uri(vault)), server.env())) {
                Handle h = handle(FileType.PACK);
                byte[] data = bytes(300_000);
                backend.save(h, Source.of(data));
                assertThat(backend.load(h)).isEqualTo(data);
                assertThat(backend.list(FileType.PACK)).hasSize(1);
                assertThatThrownBy(() -> backend.save(h, Source.of(bytes(10))))
                        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);

                assertThatThrownBy(() -> backend.remove(h)).isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining(h.name());
                assertThat(backend.load(h)).isEqualTo(data);
            }
            assertThat(Files.getPosixFilePermissions(vault.resolve("data").resolve(h(vault))))
                    .as("-u 077 keeps new files private").hasSize(2);
        }
    }

    /** The shard folder and file name of the one pack under {@code vault}. */
    private static Path h(Path vault) throws Exception {
        try (var shards = Files.list(vault.resolve("data"))) {
            Path shard = shards.findFirst().orElseThrow();
            try (var files = Files.list(shard)) {
                return vault.resolve("data").relativize(files.filter(f -> !f.getFileName().toString().startsWith("."))
                        .findFirst().orElseThrow());
            }
        }
    }

    private Handle handle(FileType type) {
        byte[] name = new byte[32];
        random.nextBytes(name);
        return new Handle(type, HexFormat.of().formatHex(name));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
