package triplicate.backend.rclone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.FileType;

/**
 * What the contract suite does not cover, against the real rclone: the files are plain files under the remote's path
 * that rclone itself, run as a separate command, lists and reads (and what it writes, the backend sees at once); an
 * rclone killed or hanging in the middle of a run makes calls fail transiently and is replaced by the next call; a
 * remote rclone does not know, or no rclone at all, is a clear error; and no message, nor rclone's command line or
 * environment, shows a secret.
 */
@ExtendWith(RcloneRemote.Shared.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RcloneBackendTest {
    private static final int MIB = 1 << 20;
    private final RcloneRemote remote;
    private final Random random = new Random(20261122);
    @TempDir
    Path tmp;

    RcloneBackendTest(RcloneRemote remote) {
        this.remote = remote;
    }

    @Test
    void filesArePlainFilesThatRcloneItselfListsAndReads() throws IOException {
        Path vault = remote.newVault();
        Map<Handle, byte[]> saved = new HashMap<>();
        try (RcloneBackend backend = RcloneBackend.create(URI.create(remote.location(vault)), remote.env())) {
            for (FileType type : FileType.values()) {
                Handle h = handle(type);
                byte[] data = bytes(type == FileType.PACK ? MIB + 17 : 300 + random.nextInt(3000));
                backend.save(h, Source.of(data));
                saved.put(h, data);
            }

            // rclone as an independent client: the same names, sizes and bytes, and no temporary file left over
            JsonNode listing = new ObjectMapper().readTree(remote.rclone("lsjson", "-R", "--files-only",
                    remote.remote(vault)));
            Map<String, Long> listed = new HashMap<>();
            for (JsonNode item : listing) {
                listed.put(item.get("Path").asText(), item.get("Size").asLong());
            }
            Map<String, Long> expected = new HashMap<>();
            saved.forEach((h, data) -> expected.put(path(h), (long) data.length));
            assertThat(listed).isEqualTo(expected);
            for (Map.Entry<Handle, byte[]> e : saved.entrySet()) {
                String path = path(e.getKey());
                assertThat(remote.rclone("cat", remote.remote(vault) + "/" + path)).as(path).isEqualTo(e.getValue());
                assertThat(Files.readAllBytes(vault.resolve(path))).as(path).isEqualTo(e.getValue());
            }
            assertThat(vault.resolve("keys")).isDirectory();
            assertThat(vault.resolve("locks")).as("init creates every folder").isDirectory();

            // what rclone writes and deletes behind the backend's back is seen at once (nothing is cached)
            Handle external = handle(FileType.SNAPSHOT);
            byte[] data = bytes(777);
            Path file = Files.write(tmp.resolve("external"), data);
            remote.rclone("copyto", file.toString(), remote.remote(vault) + "/" + path(external));
            assertThat(backend.list(FileType.SNAPSHOT)).contains(new FileInfo(external.name(), 777));
            assertThat(backend.load(external)).isEqualTo(data);
            remote.rclone("deletefile", remote.remote(vault) + "/" + path(external));
            assertThat(backend.exists(external)).isFalse();
            assertThat(backend.list(FileType.SNAPSHOT)).doesNotContain(new FileInfo(external.name(), 777));
        }

        // a second init finds the vault; a new backend reads what the first wrote
        assertThatThrownBy(() -> RcloneBackend.create(URI.create(remote.location(vault)), remote.env()))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("a vault already exists here");
        try (RcloneBackend again = RcloneBackend.open(URI.create(remote.location(vault)), remote.env())) {
            for (Map.Entry<Handle, byte[]> e : saved.entrySet()) {
                assertThat(again.load(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void leftoversOfInterruptedSavesAreRemovedOnlyOnceStale() throws IOException {
        Path vault = remote.newVault();
        try (RcloneBackend backend = RcloneBackend.create(URI.create(remote.location(vault)), remote.env())) {
            Handle pack = new Handle(FileType.PACK, "ab" + "0".repeat(62));
            backend.save(pack, Source.of(bytes(1000)));
            java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(java.time.Duration.ofDays(3)));
            List<Path> stale = new java.util.ArrayList<>();
            for (String folder : List.of("", "data/ab", "index", "snapshots")) {
                Path p = vault.resolve(folder).resolve(".tmp-" + Integer.toHexString(folder.hashCode()));
                Files.createDirectories(p.getParent());
                Files.write(p, bytes(500)); // a crashed save's half file
                Files.setLastModifiedTime(p, old);
                stale.add(p);
            }
            Path fresh = Files.write(vault.resolve("data/ab/.tmp-being-written-now"), bytes(500));
            Path oldPack = vault.resolve("data/ab").resolve(pack.name());
            Files.setLastModifiedTime(oldPack, old); // an old real file is never touched

            int removed = backend.removeStaleTemporaries(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));

            assertThat(removed).isEqualTo(stale.size());
            stale.forEach(p -> assertThat(p).doesNotExist());
            assertThat(fresh).exists();
            assertThat(oldPack).exists();
            assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(pack.name(), 1000));
        }
    }

    @Test
    void aKilledRcloneFailsTheCallsUnderWayTransientlyAndTheNextCallStartsItAgain() throws Exception {
        Path vault = remote.newVault();
        List<String> messages = new ArrayList<>();
        try (RcloneBackend backend = RcloneBackend.create(URI.create(remote.location(vault)), remote.env())) {
            Handle big = handle(FileType.PACK);
            byte[] data = bytes(48 * MIB);
            backend.save(big, Source.of(data));
            long first = backend.rclonePid();
            String password = backend.rclonePassword();

            try (InputStream in = backend.open(big, 0, -1)) {
                assertThat(in.readNBytes(MIB)).isEqualTo(java.util.Arrays.copyOf(data, MIB));
                kill(first);
                assertThatThrownBy(in::readAllBytes).isInstanceOf(TransientBackendException.class)
                        .satisfies(e -> messages.add(e.getMessage()))
                        .hasMessageContaining(vault.toString()).hasMessageContaining(big.toString())
                        .hasMessageContaining("rclone");
            }

            // the next call starts a new rclone and succeeds
            assertThat(backend.stat(big).size()).isEqualTo(data.length);
            long second = backend.rclonePid();
            assertThat(second).isNotEqualTo(first).isPositive();

            // a save under way when rclone dies fails transiently and leaves nothing visible
            Handle during = handle(FileType.PACK);
            Source slow = slowSource(bytes(16 * MIB));
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(30);
                    kill(second);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            killer.start();
            assertThatThrownBy(() -> backend.save(during, slow))
                    .isInstanceOf(TransientBackendException.class).satisfies(e -> messages.add(e.getMessage()));
            killer.join();
            assertThat(backend.exists(during)).isFalse();

            // through the retrying decorator, as Backends opens it, a killed rclone is not even noticed
            Backend retrying = RetryingBackend.wrap(backend);
            kill(backend.rclonePid());
            assertThat(retrying.load(big)).isEqualTo(data);
            kill(backend.rclonePid());
            Handle after = handle(FileType.INDEX);
            retrying.save(after, Source.of(bytes(1000)));
            assertThat(retrying.list(FileType.INDEX)).extracting(FileInfo::name).containsExactly(after.name());

            assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m).doesNotContain(password));
            messages.forEach(m -> System.out.println("[rclone] " + m));
        }
        try (Stream<Path> files = Files.walk(vault)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> vault.relativize(p).toString())
                    .filter(p -> !p.contains("/.tmp-"))).hasSize(2); // the pack read, and the index saved after the kills
        }
    }

    @Test
    void aHangingRcloneIsKilledAndReplaced() throws Exception {
        Path vault = remote.newVault();
        try (RcloneBackend backend = RcloneBackend.create(URI.create(remote.location(vault) + "?timeout=1"),
                remote.env())) {
            Handle h = handle(FileType.KEY);
            backend.save(h, Source.of(bytes(100)));
            long pid = backend.rclonePid();
            String password = backend.rclonePassword();
            signal("STOP", pid); // rclone keeps its port but answers nothing
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> backend.stat(h)).isInstanceOf(TransientBackendException.class)
                        .hasMessageContaining("rclone hangs").hasMessageContaining("killed")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
                ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("killed").isNotEqualTo(java.util.Optional.of(true));
            } finally {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            assertThat(backend.stat(h).size()).isEqualTo(100);
            assertThat(backend.rclonePid()).isNotEqualTo(pid);
        }
    }

    @Test
    void aRemoteRcloneDoesNotKnowIsAClearErrorNamingIt() {
        Path vault = remote.newVault();
        for (boolean create : new boolean[] {false, true}) {
            URI uri = URI.create("rclone:nosuchremote:" + vault);
            assertThatThrownBy(() -> (create ? RcloneBackend.create(uri, remote.env()) : RcloneBackend.open(uri, remote.env())).close())
                    .isInstanceOf(IOException.class).isNotInstanceOf(TransientBackendException.class)
                    .hasMessageStartingWith("rclone:nosuchremote:" + vault + ": ")
                    .hasMessageContaining("rclone has no remote named \"nosuchremote\"")
                    .hasMessageContaining(remote.env().get("RCLONE_CONFIG"))
                    .hasMessageContaining("rclone config");
        }
        assertThat(vault).doesNotExist();
        assertThatThrownBy(() -> RcloneBackend.open(URI.create("rclone::nosuchbackend:/x"), remote.env()))
                .isInstanceOf(IOException.class).hasMessageContaining("nosuchbackend");
    }

    @Test
    void anEncryptedConfigNeedsItsPasswordAndNobodyIsAskedForIt() throws IOException {
        // made with 'rclone config' (s, a: configuration password "secretpw"); it defines the remote "enc" (local)
        Path config = tmp.resolve("encrypted.conf");
        try (InputStream in = getClass().getResourceAsStream("/encrypted-rclone.conf")) {
            Files.copy(in, config);
        }
        Map<String, String> env = new HashMap<>(remote.env());
        env.put("RCLONE_CONFIG", config.toString());
        URI uri = URI.create("rclone:enc:" + remote.newVault());
        long start = System.nanoTime();
        assertThatThrownBy(() -> RcloneBackend.create(uri, env)).isInstanceOf(IOException.class)
                .isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("rclone:enc:").hasMessageContaining("RCLONE_CONFIG_PASS");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("no prompt waited for").isLessThan(20);

        env.put("RCLONE_CONFIG_PASS", "not-the-password");
        assertThatThrownBy(() -> RcloneBackend.create(uri, env)).isInstanceOf(IOException.class)
                .hasMessageContaining("RCLONE_CONFIG_PASS")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));

        env.put("RCLONE_CONFIG_PASS", "secretpw");
        try (RcloneBackend backend = RcloneBackend.create(uri, env)) {
            Handle h = handle(FileType.KEY);
            backend.save(h, Source.of(bytes(64)));
            assertThat(backend.list(FileType.KEY)).containsExactly(new FileInfo(h.name(), 64));
        }
    }

    @Test
    void noRcloneOrOneThatCannotStartIsAClearError() throws IOException {
        Map<String, String> env = new HashMap<>(remote.env());
        env.put("PATH", tmp.toString());
        assertThatThrownBy(() -> RcloneBackend.open(URI.create(remote.location(remote.newVault())), env))
                .isInstanceOf(IOException.class).hasMessageContaining("rclone is not installed")
                .hasMessageContaining("TRIPLICATE_RCLONE");

        env.put("TRIPLICATE_RCLONE", tmp.resolve("nothing-here").toString());
        assertThatThrownBy(() -> RcloneBackend.open(URI.create(remote.location(remote.newVault())), env))
                .isInstanceOf(IOException.class).hasMessageContaining("TRIPLICATE_RCLONE=" + tmp.resolve("nothing-here"))
                .hasMessageContaining("not an executable file");

        // a program that fails at once: its exit status and last lines are in the message, but no credential
        Path fake = tmp.resolve("fake-rclone");
        Files.writeString(fake, "#!/bin/sh\necho 'Failed to start remote control: something is wrong'\n"
                + "echo 'Authorization: Bearer very-secret-token'\necho 'the last word'\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        env.put("TRIPLICATE_RCLONE", fake.toString());
        env.put("TRIPLICATE_RCLONE_LOG", tmp.resolve("rclone.log").toString());
        assertThatThrownBy(() -> RcloneBackend.open(URI.create(remote.location(remote.newVault())), env))
                .isInstanceOf(IOException.class).hasMessageContaining("exit code 3")
                .hasMessageContaining("something is wrong").hasMessageContaining("the last word")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("very-secret-token"));
        // everything it printed is in the log file the user asked for
        assertThat(Files.readAllLines(tmp.resolve("rclone.log"))).contains(
                "Failed to start remote control: something is wrong", "the last word");
    }

    @Test
    void secretsAreNeitherShownNorHandedToRcloneWhereOthersCouldReadThem() throws IOException {
        Path vault = remote.newVault();
        Map<String, String> env = new HashMap<>(remote.env());
        env.put("TRIPLICATE_PASSWORD", "the-vault-password-rclone-never-needs");
        env.put("RCLONE_CONFIG_TESTLOCAL_SOME_TOKEN", "token-from-the-environment");
        String secret = "hunter2-connection-string-secret";
        URI uri = URI.create("rclone::local,pass=" + secret + ":" + vault);
        try (RcloneBackend backend = RcloneBackend.create(uri, env)) {
            assertThat(backend.location()).isEqualTo("rclone::local,pass=***:" + vault);
            Handle h = handle(FileType.LOCK);
            backend.save(h, Source.of(bytes(10)));
            assertThat(backend.load(h)).hasSize(10);
            assertThatThrownBy(() -> backend.stat(handle(FileType.LOCK))).isInstanceOf(NoSuchFileException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret).contains("pass=***"));

            Path proc = Path.of("/proc", Long.toString(backend.rclonePid()));
            if (Files.isDirectory(proc)) { // Linux: what other local users can see of the process, and what not
                String commandLine = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8);
                assertThat(commandLine).contains("rcd").doesNotContain(backend.rclonePassword());
                String environment = Files.readString(proc.resolve("environ"), StandardCharsets.UTF_8);
                assertThat(environment).contains("RCLONE_CONFIG=" + env.get("RCLONE_CONFIG"))
                        .contains("RCLONE_RC_PASS=" + backend.rclonePassword())
                        .doesNotContain("TRIPLICATE_PASSWORD").doesNotContain("the-vault-password");
            }
        }
        assertThatThrownBy(() -> RcloneBackend.open(URI.create("rclone:testlocal:" + vault + "?password=x"), env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials do not belong");
    }

    @Test
    void aFolderWithSpacesAndNonAsciiNamesWorks() throws IOException {
        Path vault = remote.root().resolve("Mes photos #1 ü & 100%").resolve("vault " + random.nextInt(1000));
        String location = "rclone:testlocal:" + encode(vault.toString());
        try (RcloneBackend backend = RcloneBackend.create(URI.create(location), remote.env())) {
            assertThat(backend.location()).isEqualTo("rclone:testlocal:" + vault);
            Handle h = handle(FileType.PACK);
            byte[] data = bytes(5000);
            backend.save(h, Source.of(data));
            assertThat(backend.load(h, 100, 50)).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
            assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(h.name(), 5000));
            assertThat(Files.readAllBytes(vault.resolve(path(h)))).isEqualTo(data);
        }
    }

    // ---- helpers

    private Handle handle(FileType type) {
        if (type == FileType.CONFIG) {
            return Handle.config();
        }
        byte[] name = new byte[32];
        random.nextBytes(name);
        return new Handle(type, HexFormat.of().formatHex(name));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String path(Handle h) {
        return switch (h.type()) {
            case CONFIG -> "config";
            case PACK -> "data/" + h.name().substring(0, 2) + "/" + h.name();
            default -> h.type().folder() + "/" + h.name();
        };
    }

    /** A source that streams its bytes slowly, so a save is under way for a while. */
    private static Source slowSource(byte[] data) {
        return new Source() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(data) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return super.read(b, off, Math.min(len, 64 * 1024));
                    }
                };
            }
        };
    }

    private static String encode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == ' ' || c == '#' || c == '%' || c >= 0x80) {
                out.append(String.format("%%%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    /** SIGKILLs a process this test's backend started, and waits for it to be gone. */
    private static void kill(long pid) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly();
        p.onExit().get(10, TimeUnit.SECONDS);
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
