package triplicate.backend.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.FileType;
import triplicate.testkit.RealServers;

/**
 * What the contract suite does not cover: trusting the server (unknown and changed host keys), logging in (keys,
 * password, ssh-agent, refused logins), secrets kept out of messages, server restarts, and more users than channels.
 * Against the in-process server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SftpConnectionTest {
    private static final String SECRET = "correct-horse-battery-staple-42";

    @TempDir
    Path dir;
    private MinaSftpServer server;
    private final Random random = new Random(7);

    @BeforeEach
    void startServer() throws IOException {
        server = MinaSftpServer.start(dir.resolve("server"));
        Files.createDirectories(server.root().resolve("vault"));
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void anUnknownHostIsRefusedWithHowToTrustIt() throws IOException {
        Files.writeString(server.knownHosts(), "");

        assertThatThrownBy(() -> SftpBackend.open(uri("vault"), server.env()))
                .isInstanceOf(SftpLoginException.class)
                .hasMessageContaining("127.0.0.1:" + server.port() + " is not a known host")
                .hasMessageContaining("SHA256:")
                .hasMessageContaining("ssh-keyscan -p " + server.port())
                .hasMessageContaining(server.knownHosts().toString());
        assertThat(Files.readString(server.knownHosts())).as("known_hosts is never changed").isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedAndNeverAccepted() throws Exception {
        String real = server.knownHostsLine();
        String type = real.split(" ")[1];
        KeyPair other = KeyUtils.generateKeyPair(type, type.endsWith("521") ? 521 : type.endsWith("384") ? 384 : 256);
        String forged = "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(other.getPublic()) + "\n";
        Files.writeString(server.knownHosts(), forged);

        for (int attempt = 0; attempt < 2; attempt++) { // refused every time, not just the first
            assertThatThrownBy(() -> SftpBackend.open(uri("vault"), server.env()))
                    .isInstanceOf(SftpLoginException.class)
                    .hasMessageContaining("host key of 127.0.0.1:" + server.port() + " has CHANGED")
                    .hasMessageContaining("ssh-keygen -R '[127.0.0.1]:" + server.port() + "' -f " + server.knownHosts())
                    .hasMessageContaining("ssh-keyscan -p " + server.port());
        }
        assertThat(Files.readString(server.knownHosts())).isEqualTo(forged);
    }

    @Test
    void aRefusedKeyNamesTheHostTheUserAndWhatWasTried() throws Exception {
        Path stranger = writeKey(dir.resolve("stranger"));
        Map<String, String> env = server.env();
        env.put("TRIPLICATE_SFTP_IDENTITY", stranger.toString());

        assertThatThrownBy(() -> SftpBackend.open(uri("vault"), env))
                .isInstanceOf(SftpLoginException.class)
                .hasMessageContaining("127.0.0.1:" + server.port() + " refused the login as user \"backup\"")
                .hasMessageContaining("key " + stranger);
    }

    @Test
    void aWrongPasswordIsRefusedAndNeverShown() throws Exception {
        server.password("the-right-one");
        Map<String, String> env = server.env();
        env.put("TRIPLICATE_SFTP_IDENTITY", writeKey(dir.resolve("stranger")).toString());
        env.put("TRIPLICATE_SFTP_PASSWORD", SECRET);

        assertThatThrownBy(() -> SftpBackend.open(uri("vault"), env))
                .isInstanceOf(SftpLoginException.class)
                .hasMessageContaining("refused the login as user \"backup\"")
                .hasMessageContaining("the password from TRIPLICATE_SFTP_PASSWORD")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
    }

    @Test
    void aPasswordFromAFileLogsIn() throws Exception {
        server.password(SECRET);
        Path file = dir.resolve("sftp-password");
        Files.writeString(file, SECRET + "\n");
        Map<String, String> env = server.env();
        env.put("TRIPLICATE_SFTP_IDENTITY", writeKey(dir.resolve("stranger")).toString());
        env.put("TRIPLICATE_SFTP_PASSWORD_FILE", file.toString());

        try (Backend backend = SftpBackend.open(uri("vault"), env)) {
            Handle h = handle(FileType.SNAPSHOT);
            backend.save(h, Source.of(bytes(1000)));
            assertThat(backend.stat(h).size()).isEqualTo(1000);
            assertThat(backend.toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void aPasswordInTheLocationIsRefusedWithoutRepeatingIt() {
        String location = "sftp://backup:" + SECRET + "@127.0.0.1:" + server.port() + "/vault";

        assertThatThrownBy(() -> Backends.open(location, server.env()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a password in the location is refused")
                .hasMessageContaining("TRIPLICATE_SFTP_PASSWORD_FILE")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
    }

    @Test
    void aMissingVaultFolderIsReportedAsSuch() {
        assertThatThrownBy(() -> SftpBackend.open(uri("nowhere"), server.env()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("sftp://backup@127.0.0.1:" + server.port() + "/nowhere")
                .hasMessageContaining("no vault folder here");
    }

    @Test
    void aFolderUnderTheLoginFolderIsWrittenSlashTilde() throws IOException {
        try (Backend backend = SftpBackend.create(URI.create("sftp://backup@127.0.0.1:" + server.port() + "/~/home-vault"),
                server.env())) {
            backend.save(Handle.config(), Source.of(bytes(10)));
            assertThat(backend.location()).isEqualTo("sftp://backup@127.0.0.1:" + server.port() + "/~/home-vault");
        }
        // the test server logs users in at its root
        assertThat(server.root().resolve("home-vault").resolve("config")).hasSize(10);
    }

    @Test
    void theProviderRetriesWhileTheServerRestarts() throws Exception {
        try (Backend backend = Backends.open(server.uri("vault"), server.env())) {
            assertThat(backend).isInstanceOf(RetryingBackend.class);
            Handle before = handle(FileType.PACK);
            byte[] data = bytes(200_000);
            backend.save(before, Source.of(data));

            server.stop();
            Thread restart = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(700);
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Handle during = handle(FileType.PACK);
            backend.save(during, Source.of(data)); // retried until the server is back
            restart.join();

            assertThat(backend.load(before)).isEqualTo(data);
            assertThat(backend.load(during)).isEqualTo(data);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsATransientFailure() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = server.env();
            env.put("TRIPLICATE_SFTP_TIMEOUT", "1");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> SftpBackend.open(URI.create("sftp://backup@127.0.0.1:" + silent.getLocalPort()
                    + "/vault"), env))
                    .isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
                    .hasMessageContaining("within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void nobodyListeningIsATransientFailureNamingTheServer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> SftpBackend.open(URI.create("sftp://backup@127.0.0.1:" + closed + "/vault"),
                server.env()))
                .isInstanceOf(TransientBackendException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + closed);
    }

    @Test
    void leftoversOfInterruptedSavesAreRemovedOnlyOnceStale() throws Exception {
        try (SftpBackend backend = SftpBackend.open(uri("vault"), server.env())) {
            Handle pack = new Handle(FileType.PACK, "ab" + "0".repeat(62));
            backend.save(pack, Source.of(bytes(1000)));
            backend.save(handle(FileType.INDEX), Source.of(bytes(100)));
            Path vault = server.root().resolve("vault");
            java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(java.time.Duration.ofDays(3)));
            List<Path> stale = new ArrayList<>();
            for (String folder : List.of("", "data/ab", "index", "snapshots")) {
                Path p = vault.resolve(folder).resolve(".tmp-" + folder.hashCode());
                Files.createDirectories(p.getParent());
                Files.write(p, bytes(500)); // a crashed save's half file
                Files.setLastModifiedTime(p, old);
                stale.add(p);
            }
            Path fresh = vault.resolve("data/ab/.tmp-being-written-now");
            Files.write(fresh, bytes(500));
            Path oldPack = vault.resolve("data/ab").resolve(pack.name());
            Files.setLastModifiedTime(oldPack, old); // an old real file is never touched

            int removed = backend.removeStaleTemporaries(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));

            assertThat(removed).isEqualTo(stale.size());
            stale.forEach(p -> assertThat(p).doesNotExist());
            assertThat(fresh).exists();
            assertThat(oldPack).exists();
            assertThat(backend.list(FileType.PACK)).hasSize(1);
            assertThat(backend.list(FileType.INDEX)).hasSize(1);
            // through the retrying wrapper every network backend gets, too
            Files.setLastModifiedTime(fresh, old);
            assertThat(RetryingBackend.wrap(backend).removeStaleTemporaries(java.time.Instant.now()
                    .minus(java.time.Duration.ofDays(1)))).isEqualTo(1);
            assertThat(fresh).doesNotExist();
        }
    }

    @Test
    void aBrokenConnectionIsTransientAndTheNextCallReconnects() throws Exception {
        try (SftpBackend backend = SftpBackend.open(uri("vault"), server.env())) {
            Handle h = handle(FileType.INDEX);
            byte[] data = bytes(50_000);
            backend.save(h, Source.of(data));

            server.stop();
            assertThatThrownBy(() -> backend.stat(h)).isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port());
            server.start();

            assertThat(backend.load(h)).isEqualTo(data);
            assertThat(backend.list(FileType.INDEX)).hasSize(1);
        }
    }

    @Test
    void aReadCutByARestartResumesThroughTheRetryingWrapper() throws Exception {
        byte[] data = bytes(3_000_000);
        Handle h = handle(FileType.PACK);
        RetryingBackend.Policy quick = new RetryingBackend.Policy(20, Duration.ofMillis(50), Duration.ofMillis(500), 2);
        try (Backend backend = new RetryingBackend(SftpBackend.open(uri("vault"), server.env()), quick,
                d -> Thread.sleep(d), new Random(1))) {
            backend.save(h, Source.of(data));
            try (InputStream in = backend.open(h, 0, -1)) {
                byte[] first = in.readNBytes(1_000_000);
                server.stop();
                server.start();
                byte[] rest = in.readAllBytes();
                byte[] all = new byte[first.length + rest.length];
                System.arraycopy(first, 0, all, 0, first.length);
                System.arraycopy(rest, 0, all, first.length, rest.length);
                assertThat(all).isEqualTo(data);
            }
        }
    }

    @Test
    void manyThreadsShareFewChannelsAndOneThreadMayHoldMoreStreamsThanChannels() throws Exception {
        Map<String, String> env = server.env();
        env.put("TRIPLICATE_SFTP_CONNECTIONS", "2");
        try (SftpBackend backend = SftpBackend.open(uri("vault"), env)) {
            List<Handle> handles = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                handles.add(handle(FileType.PACK));
                contents.add(bytes(20_000 + i));
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int i = 0; i < handles.size(); i++) {
                    int n = i;
                    tasks.add(threads.submit(() -> {
                        backend.save(handles.get(n), Source.of(contents.get(n)));
                        assertThat(backend.load(handles.get(n))).isEqualTo(contents.get(n));
                        return null;
                    }));
                }
                for (Future<?> task : tasks) {
                    task.get();
                }
            } finally {
                threads.shutdownNow();
            }

            // five streams open at once on one thread, over two channels, read in turns
            List<InputStream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    streams.add(backend.open(handles.get(i), 0, -1));
                }
                List<byte[]> read = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    read.add(streams.get(i).readNBytes(10_000));
                }
                for (int i = 0; i < 5; i++) {
                    byte[] rest = streams.get(i).readAllBytes();
                    assertThat(read.get(i).length + rest.length).isEqualTo(contents.get(i).length);
                    assertThat(rest[rest.length - 1]).isEqualTo(contents.get(i)[contents.get(i).length - 1]);
                }
            } finally {
                for (InputStream s : streams) {
                    s.close();
                }
            }
        }
    }

    @Test
    void keysHeldByAnSshAgentLogIn() throws Exception {
        Path sshAgent = Path.of("/usr/bin/ssh-agent");
        Path sshAdd = Path.of("/usr/bin/ssh-add");
        RealServers.assume(Files.isExecutable(sshAgent) && Files.isExecutable(sshAdd), "ssh-agent",
                "ssh-agent is not installed (openssh-client)");
        Files.setPosixFilePermissions(server.clientKeyFile(), PosixFilePermissions.fromString("rw-------"));
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder(sshAgent.toString(), "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(20);
            }
            ProcessBuilder add = new ProcessBuilder(sshAdd.toString(), server.clientKeyFile().toString())
                    .redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String output = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(adding.waitFor()).as(output).isZero();

            Map<String, String> env = server.env();
            env.put("TRIPLICATE_SFTP_IDENTITY", writeKey(dir.resolve("stranger")).toString()); // not accepted
            env.put("SSH_AUTH_SOCK", socket.toString());
            try (Backend backend = SftpBackend.open(uri("vault"), env)) {
                Handle h = handle(FileType.KEY);
                backend.save(h, Source.of(bytes(100)));
                assertThat(backend.exists(h)).isTrue();
            }
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStaleAgentSocketDoesNotStopKeyFilesFromWorking() throws IOException {
        Map<String, String> env = server.env();
        env.put("SSH_AUTH_SOCK", dir.resolve("no-such-agent.sock").toString());
        try (Backend backend = SftpBackend.open(uri("vault"), env)) {
            assertThat(backend.list(FileType.KEY)).isEmpty();
        }
    }

    private URI uri(String path) {
        return URI.create(server.uri(path));
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

    /** A new ed25519 key the server does not know, as an OpenSSH private key file. */
    private static Path writeKey(Path file) throws Exception {
        KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "stranger", null, out);
        }
        return file;
    }
}
