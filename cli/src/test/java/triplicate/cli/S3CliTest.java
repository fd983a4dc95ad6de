package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.s3.S3ProxyServer;

/**
 * The CLI with a vault in S3 (S3Proxy on loopback, a child process): {@code init} creates the bucket, a backup
 * restores byte for byte, {@code check --read-data} passes, an interrupted backup resumes without uploading again
 * what was stored, and no credential ever shows up in what the CLI prints, --json included, even with
 * TRIPLICATE_DEBUG's stack traces.
 */
@ExtendWith(S3ProxyServer.Shared.class)
class S3CliTest {
    private static final int MIB = 1 << 20;
    private final S3ProxyServer server;
    @TempDir
    Path tmp;

    S3CliTest(S3ProxyServer server) {
        this.server = server;
    }

    /** A CLI for the vault at {@code location}, with the server's credentials in its environment. */
    private Cli cli(String location) {
        Cli cli = new Cli(tmp.resolve("unused"), "correct horse battery staple");
        cli.env.put("TRIPLICATE_VAULT", location);
        cli.env.putAll(server.env());
        return cli;
    }

    private static Cli.Result noCredentials(Cli.Result r) {
        assertThat(r.all()).as("credentials are never printed:%n%s", r)
                .doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(S3ProxyServer.ACCESS_KEY);
        return r;
    }

    @Test
    void backupAndRestoreThroughS3AreByteIdentical() throws IOException {
        String location = server.location("cli-roundtrip", "photos/vault", "");
        Cli cli = cli(location);
        Path library = TestFiles.library(tmp.resolve("library"), 9, 1); // about 6 MiB

        Cli.Result init = noCredentials(cli.init("--pack-size", "1", "--json"));
        assertThat(init.json().get("vault").asText()).isEqualTo("s3+http://127.0.0.1:" + server.port() + "/cli-roundtrip/photos/vault");
        assertThat(server.bucketDir("cli-roundtrip").resolve("photos/vault/config")).as("init created the bucket").exists();

        JsonNode backup = noCredentials(cli.expect(ExitCodes.OK, "backup", "--json", library.toString())).json();
        String snapshot = backup.get("snapshot").asText();
        assertThat(packs(server.bucketDir("cli-roundtrip").resolve("photos/vault"))).hasSizeGreaterThan(2);

        noCredentials(cli.expect(ExitCodes.OK, "check", "--read-data"));
        noCredentials(cli.expect(ExitCodes.OK, "snapshots", "--json"));
        noCredentials(cli.expect(ExitCodes.OK, "stats", "--json"));
        Path out = tmp.resolve("restored");
        noCredentials(cli.expect(ExitCodes.OK, "restore", snapshot, "--target", out.toString(), "--json"));
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
        assertThat(out.resolve("library/empty-folder")).isDirectory();

        // a second backup of the unchanged library stores no new pack
        List<Path> before = packs(server.bucketDir("cli-roundtrip").resolve("photos/vault"));
        noCredentials(cli.expect(ExitCodes.OK, "backup", library.toString()));
        assertThat(packs(server.bucketDir("cli-roundtrip").resolve("photos/vault"))).isEqualTo(before);
    }

    @Test
    void aBackupAndRestoreWithDefaultPacksFitTheLaunchersHeap() throws IOException, InterruptedException {
        // 16 MiB packs and 4 connections: one pack buffer per connection would not fit the heap users run with
        String location = server.location("cli-heap", "vault", "");
        Cli cli = cli(location);
        Path library = tmp.resolve("library");
        for (int i = 0; i < 8; i++) {
            TestFiles.writeRandom(library.resolve("IMG_" + i + ".CR2"), 700 + i, 13 * MIB + i * 1000);
        }
        cli.expect(ExitCodes.OK, "init"); // the default key derivation too: Argon2id takes 64 MiB when a vault opens
        CliTesting.backupAndRestoreInLaunchersHeap(cli.env, library, tmp, output -> { });
    }

    @Test
    void anInterruptedBackupResumesWithoutUploadingAgain() throws IOException {
        // (the repository re-indexes packs that no index names from their headers: checked here through S3)
        String location = server.location("cli-resume", "vault", "");
        Path stored = server.bucketDir("cli-resume").resolve("vault");
        Cli cli = cli(location);
        Path library = TestFiles.library(tmp.resolve("library"), 10, 2); // about 7 MiB in 10 files
        long libraryBytes = TestFiles.size(library);
        cli.init("--pack-size", "1");

        // the 6th upload of this run fails for good: the backup stops with some packs stored and no index for them
        Cli faulty = cli("faulty:" + location);
        faulty.env.put("TRIPLICATE_TEST_FAIL_SAVE", "6");
        Cli.Result broken = noCredentials(faulty.run("backup", library.toString()));
        assertThat(broken.code()).as("%s", broken).isEqualTo(ExitCodes.FAILURE);
        assertThat(broken.err()).contains("injected permanent fault");
        List<Path> firstRun = packs(stored);
        // how many of the uploads in flight beside the failed one finish before the backup stops depends on timing
        // (up to one per connection); what matters is that some were stored and are reused below
        assertThat(firstRun).isNotEmpty();
        assertThat(Files.exists(stored.resolve("index"))).as("no index names them yet").isFalse();
        assertThat(cli.expect(ExitCodes.OK, "snapshots", "--json").json()).as("no snapshot yet").isEmpty();

        noCredentials(cli.expect(ExitCodes.OK, "backup", library.toString()));

        assertThat(packs(stored)).as("the first run's packs are kept and reused").containsAll(firstRun);
        long packBytes = 0;
        for (Path p : packs(stored)) {
            packBytes += Files.size(p);
        }
        assertThat(packBytes).as("nothing was stored twice (random data: packs hold the library once, plus"
                + " headers)").isLessThan(libraryBytes + libraryBytes / 20);
        noCredentials(cli.expect(ExitCodes.OK, "check", "--read-data"));
        Path out = tmp.resolve("restored");
        cli.expect(ExitCodes.OK, "restore", "latest", "--target", out.toString());
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
    }

    @Test
    void wrongCredentialsAndMissingVaultsAreClearAndNeverLeakASecret() throws IOException {
        String location = server.location("cli-errors", "vault", "");
        Cli cli = cli(location);
        Cli.Result missing = noCredentials(cli.run("snapshots", "--json"));
        assertThat(missing.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("the bucket \"cli-errors\" does not exist").contains("triplicate init");

        cli.init();
        Cli.Result noVault = noCredentials(cli(server.location("cli-errors", "elsewhere", "")).run("snapshots"));
        assertThat(noVault.code()).isEqualTo(ExitCodes.NO_VAULT);

        Cli wrong = cli(location);
        wrong.env.put("AWS_SECRET_ACCESS_KEY", "wrong/" + S3ProxyServer.SECRET_KEY);
        wrong.env.put("TRIPLICATE_DEBUG", "1"); // stack traces too
        for (String[] args : new String[][] {{"snapshots"}, {"snapshots", "--json"}, {"backup", "--json", tmp.toString()}}) {
            Cli.Result r = wrong.run(args);
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains(location).contains("secret key does not fit");
            assertThat(r.all()).doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(S3ProxyServer.ACCESS_KEY);
        }

        Cli none = cli(location);
        none.env.keySet().removeIf(k -> k.startsWith("AWS_") && !k.equals("AWS_EC2_METADATA_DISABLED"));
        Cli.Result r = none.run("snapshots");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no S3 credentials found");

        Cli inUri = cli("s3+http://" + S3ProxyServer.ACCESS_KEY + ":" + S3ProxyServer.SECRET_KEY + "@127.0.0.1:"
                + server.port() + "/cli-errors/vault");
        Cli.Result refused = noCredentials(inUri.run("snapshots"));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("credentials do not belong in the location");
    }

    @Test
    void theShippedLoggingKeepsTheSdksSignersQuiet() throws IOException {
        // the signers' debug output holds session tokens; backend-s3's tests check that nothing else does
        java.util.Properties p = new java.util.Properties();
        // the shipped file itself: in tests, cli's test resources put a quieter one first on the class path
        try (var in = Files.newInputStream(Path.of("src/main/resources/simplelogger.properties"))) {
            p.load(in);
        }
        assertThat(p).containsEntry("org.slf4j.simpleLogger.log.software.amazon.awssdk.http.auth.aws.internal.signer", "info")
                .containsEntry("org.slf4j.simpleLogger.log.software.amazon.awssdk.auth.signer", "info");
    }

    private static List<Path> packs(Path vault) throws IOException {
        Path data = vault.resolve("data");
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(data)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).sorted().toList();
        }
    }
}
