package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.FileInfo;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.sftp.MinaSftpServer;
import triplicate.backend.sftp.OpenSshServer;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.repository.index.PackedBlob;

/**
 * The command line with vaults on SFTP servers: a backup and restore through {@code sftp://} against Debian's OpenSSH;
 * a backup that survives 10% of backend calls failing and the server restarting in the middle (against the in-process
 * server, through the test-only {@code faulty+sftp://} scheme of {@link FaultySftpProvider}); and the messages for an
 * untrusted server, a refused login and a password typed into the location, none of which may show a secret.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SftpCliTest {
    private static final String VAULT_PASSWORD = "vault password for sftp";
    private static final String SFTP_PASSWORD = "sftp-login-password-that-must-never-be-shown";
    private static final long MiB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void backupAndRestoreThroughSftpOnOpenSsh() throws Exception {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            Path source = tmp.resolve("photos");
            CliTesting.writeRandomTree(source, new Random(11), 4 * MiB);
            Map<String, String> env = env(server.env(), server.uri(tmp.resolve("nas").resolve("vault")));

            run(env, 0, "init", "--kdf-memory", "1", "--kdf-iterations", "1", "--pack-size", "1");
            assertThat(tmp.resolve("nas/vault/config")).exists();
            CliTesting.Result backup = run(env, 0, "backup", "--json", source.toString());
            assertThat(summary(backup).get("filesNew").asLong()).isPositive();

            Path target = tmp.resolve("restored");
            run(env, 0, "restore", "latest", "--target", target.toString());
            assertThat(CliTesting.hashes(target.resolve("photos"))).isEqualTo(CliTesting.hashes(source));
            run(env, 0, "check", "--read-data");
            CliTesting.Result again = run(env, 0, "backup", "--json", source.toString());
            assertThat(summary(again).get("bytesAdded").asLong()).as("an unchanged library uploads nothing").isZero();
            assertThat(visibleFilesAreComplete(tmp.resolve("nas/vault"))).isPositive();
        }
    }

    /**
     * The append-only recipe of docs/design/retention.md on a real OpenSSH server: the SFTP server refuses removals
     * (and the requests that could replace or alter files). Backups, restores and checks work; forget and prune
     * stop with exit 13 before changing anything.
     */
    @Test
    void onAnOpenSshServerThatRefusesDeletesBackupsWorkAndPruneStops() throws Exception {
        List<String> appendOnly = List.of("Subsystem sftp internal-sftp"
                + " -P remove,rmdir,posix-rename,setstat,fsetstat,lsetstat,symlink,hardlink");
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), appendOnly)) {
            Path source = tmp.resolve("photos");
            CliTesting.writeRandomTree(source, new Random(13), 2 * MiB);
            Map<String, String> env = env(server.env(), server.uri(tmp.resolve("nas").resolve("vault")));
            run(env, 0, "init", "--kdf-memory", "1", "--kdf-iterations", "1", "--pack-size", "1");
            run(env, 0, "backup", source.toString());
            CliTesting.modify(source, new Random(14));
            run(env, 0, "backup", source.toString());
            for (String[] cmd : new String[][] {{"forget", "--keep-last", "1"}, {"prune"}}) {
                CliTesting.Result r = run(env, ExitCodes.APPEND_ONLY, cmd);
                assertThat(r.err()).contains("refuses deletes").contains("append-only");
            }
            assertThat(new ObjectMapper().readTree(run(env, 0, "snapshots", "--json").out())).hasSize(2);
            Path target = tmp.resolve("restored");
            run(env, 0, "restore", "latest", "--target", target.toString());
            assertThat(CliTesting.hashes(target.resolve("photos"))).isEqualTo(CliTesting.hashes(source));
            run(env, 0, "check", "--read-data");
        }
    }

    @Test
    void aBackupSurvivesTransientFaultsAndAServerRestart() throws Exception {
        try (MinaSftpServer server = MinaSftpServer.start(tmp.resolve("server"))) {
            Path source = tmp.resolve("photos");
            CliTesting.writeRandomTree(source, new Random(12), 8 * MiB);
            Map<String, String> env = env(server.env(), FaultySftpProvider.SCHEME + server.uri("vault").substring(4));
            env.put("TRIPLICATE_TEST_FAULT_RATE", "0.1");
            env.put("TRIPLICATE_TEST_FAULT_SEED", "2026");
            Path vault = server.root().resolve("vault");

            run(env, 0, "init", "--kdf-memory", "1", "--kdf-iterations", "1", "--pack-size", "1");

            CompletableFuture<CliTesting.Result> backup = CompletableFuture.supplyAsync(
                    () -> CliTesting.run(env, "backup", "--json", source.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (packs(vault) < 3 && !backup.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            boolean restarted = !backup.isDone();
            int packsAtRestart = packs(vault);
            if (restarted) {
                server.stop(); // drops every connection mid-transfer
                Thread.sleep(1000);
                server.start();
            }
            CliTesting.Result first = backup.get(2, TimeUnit.MINUTES);
            log("backup with faults: exit %d, server restarted after %d packs: %s", first.code(), packsAtRestart,
                    restarted);
            assertThat(restarted).as("the server was restarted while the backup ran").isTrue();

            Set<String> packsBefore = packNames(vault);
            if (first.code() != 0) { // gave up despite the retries: a re-run must finish and reuse the work
                CliTesting.Result rerun = run(env, 0, "backup", "--json", source.toString());
                log("re-run added %d bytes", summary(rerun).get("bytesAdded").asLong());
            }
            assertNoBlobStoredTwice(vault);
            CliTesting.Result unchanged = run(env, 0, "backup", "--json", source.toString());
            assertThat(summary(unchanged).get("bytesAdded").asLong()).as("nothing stored is uploaded again").isZero();
            assertThat(packNames(vault)).containsAll(packsBefore);

            run(env, 0, "check", "--read-data");
            Path target = tmp.resolve("restored");
            run(env, 0, "restore", "latest", "--target", target.toString());
            assertThat(CliTesting.hashes(target.resolve("photos"))).isEqualTo(CliTesting.hashes(source));
            assertThat(visibleFilesAreComplete(vault)).isPositive();
        }
    }

    @Test
    void anUnknownServerFailsWithHowToTrustIt() throws Exception {
        try (MinaSftpServer server = MinaSftpServer.start(tmp.resolve("server"))) {
            Files.createDirectories(server.root().resolve("vault"));
            Map<String, String> env = env(server.env(), server.uri("vault"));
            Files.writeString(server.knownHosts(), "");

            CliTesting.Result r = CliTesting.run(env, "snapshots");

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("127.0.0.1:" + server.port() + " is not a known host")
                    .contains("ssh-keyscan -p " + server.port());
            assertThat(Files.readString(server.knownHosts())).isEmpty();
        }
    }

    @Test
    void aRefusedLoginNamesTheHostAndTheUserAndNeverThePassword() throws Exception {
        try (MinaSftpServer server = MinaSftpServer.start(tmp.resolve("server"))) {
            Files.createDirectories(server.root().resolve("vault"));
            server.password("something else");
            Map<String, String> env = env(server.env(), server.uri("vault"));
            env.remove("TRIPLICATE_SFTP_IDENTITY"); // HOME has no keys: only the (wrong) password is offered
            env.put("TRIPLICATE_SFTP_PASSWORD", SFTP_PASSWORD);

            for (String[] args : List.of(new String[] {"snapshots"}, new String[] {"snapshots", "--json"},
                    new String[] {"init", "--kdf-memory", "1", "--kdf-iterations", "1"})) {
                CliTesting.Result r = CliTesting.run(env, args);
                assertThat(r.code()).as(r.toString()).isNotZero();
                assertThat(r.err()).as(String.join(" ", args))
                        .contains("127.0.0.1:" + server.port() + " refused the login as user \"backup\"")
                        .contains("TRIPLICATE_SFTP_PASSWORD");
                assertThat(r.out() + r.err()).doesNotContain(SFTP_PASSWORD);
            }
        }
    }

    @Test
    void aPasswordInTheLocationIsRefusedAndNotRepeated() throws Exception {
        Map<String, String> env = env(Map.of(), "sftp://backup:" + SFTP_PASSWORD + "@127.0.0.1:1/vault");
        for (String[] args : List.of(new String[] {"snapshots", "--json"},
                new String[] {"init", "--kdf-memory", "1", "--kdf-iterations", "1"})) {
            CliTesting.Result r = CliTesting.run(env, args);
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("a password in the location is refused").contains("sftp://backup:***@");
            assertThat(r.out() + r.err()).doesNotContain(SFTP_PASSWORD);
        }
    }

    private static Map<String, String> env(Map<String, String> sftp, String vault) {
        Map<String, String> env = new HashMap<>(sftp);
        env.put("TRIPLICATE_VAULT", vault);
        env.put("TRIPLICATE_PASSWORD", VAULT_PASSWORD);
        env.put("TRIPLICATE_NO_PROGRESS", "1");
        return env;
    }

    private static CliTesting.Result run(Map<String, String> env, int expected, String... args) {
        CliTesting.Result r = CliTesting.run(env, args);
        assertThat(r.code()).as("%s%n%s", String.join(" ", args), r).isEqualTo(expected);
        assertThat(r.out() + r.err()).doesNotContain(SFTP_PASSWORD);
        return r;
    }

    private static JsonNode summary(CliTesting.Result backup) throws IOException {
        return new ObjectMapper().readTree(backup.out()).get("summary");
    }

    private static int packs(Path vault) throws IOException {
        return packNames(vault).size();
    }

    private static Set<String> packNames(Path vault) throws IOException {
        Set<String> names = new HashSet<>();
        for (Path p : CliTesting.filesUnder(vault.resolve("data"))) {
            if (!p.getFileName().toString().startsWith(".")) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** Every visible file but the config holds exactly the bytes its name is the SHA-256 of; returns how many. */
    private static int visibleFilesAreComplete(Path vault) throws IOException {
        int checked = 0;
        for (String folder : List.of("keys", "data", "index", "snapshots")) {
            for (Path f : CliTesting.filesUnder(vault.resolve(folder))) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".")) {
                    assertThat(CliTesting.sha256(f)).as("%s/%s is complete", folder, name).isEqualTo(name);
                    checked++;
                }
            }
        }
        return checked;
    }

    /** Reads every pack's header (through the server's folder): a blob in two packs would mean work was redone. */
    private static void assertNoBlobStoredTwice(Path vault) throws IOException {
        List<Id> twice = new ArrayList<>();
        try (Password pw = Password.of(VAULT_PASSWORD.toCharArray());
             Repository repo = Repository.open(LocalBackend.open(vault), pw, RepositoryOptions.defaults("t", "t"))) {
            Set<Id> seen = new HashSet<>();
            for (FileInfo f : repo.backend().list(FileType.PACK)) {
                for (PackedBlob b : repo.readPackHeader(Id.parse(f.name()), f.size())) {
                    if (!seen.add(b.id())) {
                        twice.add(b.id());
                    }
                }
            }
        }
        assertThat(twice).as("blobs stored twice").isEmpty();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[sftp-cli] " + format + "%n", args);
    }
}
