package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.azure.AzuriteServer;

/**
 * The CLI with a vault in Azure Blob Storage (Azurite on loopback, a child process): {@code init} creates the
 * container, a backup restores byte for byte, {@code check --read-data} passes, an interrupted backup resumes
 * without uploading again what was stored, and no credential ever shows up in what the CLI prints, --json included,
 * even with TRIPLICATE_DEBUG's stack traces.
 */
@ExtendWith(AzuriteServer.Shared.class)
class AzureCliTest {
    private static final int MIB = 1 << 20;
    private final AzuriteServer server;
    @TempDir
    Path tmp;

    AzureCliTest(AzuriteServer server) {
        this.server = server;
    }

    /** A CLI for the vault at {@code location}, with the server's account key in its environment. */
    private Cli cli(String location) {
        Cli cli = new Cli(tmp.resolve("unused"), "correct horse battery staple");
        cli.env.put("TRIPLICATE_VAULT", location);
        cli.env.putAll(server.env());
        return cli;
    }

    private static Cli.Result noCredentials(Cli.Result r) {
        assertThat(r.all()).as("credentials are never printed:%n%s", r).doesNotContain(AzuriteServer.KEY);
        return r;
    }

    private static Path library(Path root, int files, int seed) throws IOException {
        for (int i = 0; i < files; i++) {
            TestFiles.writeRandom(root.resolve("shoot-" + (i % 3)).resolve("IMG_" + (seed * 100 + i) + ".CR2"),
                    seed * 1000L + i, 300_000 + 97_000 * i);
        }
        Files.createDirectories(root.resolve("empty-folder"));
        Files.write(root.resolve("empty.xmp"), new byte[0]);
        return root;
    }

    private static JsonNode json(Cli.Result r) throws IOException {
        return new ObjectMapper().readTree(r.out());
    }

    /** The packs stored under {@code prefix} of {@code container}, as the server lists them. */
    private List<String> packs(String container, String prefix) {
        return server.blobs(container, prefix + "/data/").stream()
                .filter(n -> n.substring(n.lastIndexOf('/') + 1).matches("[0-9a-f]{64}")).toList();
    }

    @Test
    void backupAndRestoreThroughAzureAreByteIdentical() throws IOException {
        String location = server.location("cli-roundtrip", "photos/vault", "");
        Cli cli = cli(location);
        Path library = library(tmp.resolve("library"), 9, 1); // about 6 MiB

        Cli.Result init = noCredentials(cli.init("--pack-size", "1", "--json"));
        assertThat(json(init).get("vault").asText())
                .isEqualTo("azure+http://127.0.0.1:" + server.port() + "/" + AzuriteServer.ACCOUNT + "/cli-roundtrip/photos/vault");
        assertThat(server.blobs("cli-roundtrip", "photos/vault/")).as("init created the container")
                .contains("photos/vault/config");

        JsonNode backup = json(noCredentials(cli.expect(ExitCodes.OK, "backup", "--json", library.toString())));
        String snapshot = backup.get("snapshot").asText();
        assertThat(packs("cli-roundtrip", "photos/vault")).hasSizeGreaterThan(2);

        noCredentials(cli.expect(ExitCodes.OK, "check", "--read-data"));
        noCredentials(cli.expect(ExitCodes.OK, "check", "--read-data", "--json"));
        noCredentials(cli.expect(ExitCodes.OK, "snapshots", "--json"));
        noCredentials(cli.expect(ExitCodes.OK, "stats", "--json"));
        Path out = tmp.resolve("restored");
        noCredentials(cli.expect(ExitCodes.OK, "restore", snapshot, "--target", out.toString(), "--json"));
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));
        assertThat(out.resolve("library/empty-folder")).isDirectory();

        // a second backup of the unchanged library stores no new pack
        List<String> before = packs("cli-roundtrip", "photos/vault");
        noCredentials(cli.expect(ExitCodes.OK, "backup", "--json", library.toString()));
        assertThat(packs("cli-roundtrip", "photos/vault")).isEqualTo(before);
    }

    @Test
    void aBackupAndRestoreWithDefaultPacksFitTheLaunchersHeap() throws IOException, InterruptedException {
        // 16 MiB packs and 4 connections, through the Azure SDK and the JDK's HTTP client, in the heap users run with
        String location = server.location("cli-heap", "vault", "");
        Cli cli = cli(location);
        Path library = tmp.resolve("library");
        for (int i = 0; i < 8; i++) {
            TestFiles.writeRandom(library.resolve("IMG_" + i + ".CR2"), 700 + i, 13 * MIB + i * 1000);
        }
        cli.expect(ExitCodes.OK, "init"); // the default key derivation too: Argon2id takes 64 MiB when a vault opens
        List<String> launcherJvm = List.of(CliTesting.launcherHeap(), "-XX:+UseParallelGC");
        for (String[] args : List.of(new String[] {"backup", library.toString()},
                new String[] {"restore", "latest", "--target", tmp.resolve("out").toString()})) {
            Path output = tmp.resolve(args[0] + ".out");
            Process p = CliTesting.start(cli.env, output, launcherJvm, args);
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as("%s with %s:%n%s", args[0], launcherJvm, Files.readString(output))
                    .isEqualTo(ExitCodes.OK);
            assertThat(Files.readString(output)).doesNotContain(AzuriteServer.KEY);
        }
        assertThat(TestFiles.content(tmp.resolve("out/library"))).isEqualTo(TestFiles.content(library));
    }

    @Test
    void aCoolAccessTierForPacksAndAConnectionStringWorkEndToEnd() throws IOException {
        // the bare form azure://ACCOUNT/… goes where the connection string's BlobEndpoint says
        String location = "azure://" + AzuriteServer.ACCOUNT + "/cli-connstr/vault?access-tier=Cool";
        Cli cli = new Cli(tmp.resolve("unused"), "another pass phrase");
        cli.env.put("TRIPLICATE_VAULT", location);
        cli.env.put("AZURE_STORAGE_CONNECTION_STRING", server.connectionString());
        Path library = library(tmp.resolve("library"), 4, 3);

        noCredentials(cli.init("--pack-size", "1"));
        JsonNode backup = json(noCredentials(cli.expect(ExitCodes.OK, "backup", "--json", library.toString())));
        noCredentials(cli.expect(ExitCodes.OK, "check", "--read-data"));
        Path out = tmp.resolve("restored");
        noCredentials(cli.expect(ExitCodes.OK, "restore", backup.get("snapshot").asText(), "--target", out.toString()));
        assertThat(TestFiles.content(out.resolve("library"))).isEqualTo(TestFiles.content(library));

        var container = server.client().getBlobContainerClient("cli-connstr");
        List<String> packs = packs("cli-connstr", "vault");
        assertThat(packs).isNotEmpty().allSatisfy(p -> assertThat(
                container.getBlobClient(p).getProperties().getAccessTier().toString()).isEqualTo("Cool"));
        assertThat(container.getBlobClient("vault/config").getProperties().getAccessTier().toString())
                .isNotEqualTo("Cool");
    }

    @Test
    void anInterruptedBackupResumesWithoutUploadingAgain() throws IOException {
        // (the repository re-indexes packs that no index names from their headers: checked here through Azure)
        String location = server.location("cli-resume", "vault", "");
        Cli cli = cli(location);
        Path library = library(tmp.resolve("library"), 10, 2); // about 7 MiB in 10 files
        long libraryBytes = size(library);
        cli.init("--pack-size", "1");

        // the 6th upload of this run fails for good: the backup stops with some packs stored and no index for them
        Cli faulty = cli("faulty:" + location);
        faulty.env.put("TRIPLICATE_TEST_FAIL_SAVE", "6");
        Cli.Result broken = noCredentials(faulty.run("backup", library.toString()));
        assertThat(broken.code()).as("%s", broken).isEqualTo(ExitCodes.FAILURE);
        assertThat(broken.err()).contains("injected permanent fault");
        List<String> firstRun = packs("cli-resume", "vault");
        assertThat(firstRun).hasSizeGreaterThanOrEqualTo(4);
        assertThat(server.blobs("cli-resume", "vault/index/")).as("no index names them yet").isEmpty();
        assertThat(json(cli.expect(ExitCodes.OK, "snapshots", "--json"))).as("no snapshot yet").isEmpty();

        noCredentials(cli.expect(ExitCodes.OK, "backup", library.toString()));

        assertThat(packs("cli-resume", "vault")).as("the first run's packs are kept and reused").containsAll(firstRun);
        var container = server.client().getBlobContainerClient("cli-resume");
        long packBytes = 0;
        for (String p : packs("cli-resume", "vault")) {
            packBytes += container.getBlobClient(p).getProperties().getBlobSize();
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
        assertThat(missing.err()).contains("the container \"cli-errors\" does not exist").contains("triplicate init");

        cli.init();
        Cli.Result noVault = noCredentials(cli(server.location("cli-errors", "elsewhere", "")).run("snapshots"));
        assertThat(noVault.code()).isEqualTo(ExitCodes.NO_VAULT);

        Cli wrong = cli(location);
        wrong.env.put("AZURE_STORAGE_KEY", java.util.Base64.getEncoder().encodeToString(
                ("wrong/" + AzuriteServer.KEY).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        wrong.env.put("TRIPLICATE_DEBUG", "1"); // stack traces too
        for (String[] args : new String[][] {{"snapshots"}, {"snapshots", "--json"}, {"backup", "--json", tmp.toString()},
            {"check", "--json"}}) {
            Cli.Result r = wrong.run(args);
            assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains(location).contains("refused the key from AZURE_STORAGE_KEY");
            assertThat(r.all()).doesNotContain(AzuriteServer.KEY).doesNotContain(wrong.env.get("AZURE_STORAGE_KEY"));
        }

        Cli none = cli(location);
        none.env.keySet().removeIf(k -> k.startsWith("AZURE_"));
        Cli.Result r = none.run("snapshots");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no Azure credentials found");

        Cli inUri = cli("azure+http://" + AzuriteServer.ACCOUNT + ":" + AzuriteServer.KEY.replace("/", "%2F")
                + "@127.0.0.1:" + server.port() + "/" + AzuriteServer.ACCOUNT + "/cli-errors/vault");
        Cli.Result refused = noCredentials(inUri.run("snapshots"));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("credentials do not belong in the location");

        String sig = "c2lnbmF0dXJlLXRoYXQtbXVzdC1zdGF5LXNlY3JldA%3D%3D";
        Cli sasInUri = cli(location + "?sv=2025-01-05&sp=racwdl&sig=" + sig);
        Cli.Result sasRefused = sasInUri.run("snapshots", "--json");
        assertThat(sasRefused.code()).isNotZero();
        assertThat(sasRefused.err()).contains("credentials do not belong in the location");
        assertThat(sasRefused.all()).doesNotContain(sig).doesNotContain("c2lnbmF0dXJlLXRoYXQtbXVzdC1zdGF5LXNlY3JldA");
    }

    @Test
    void theShippedLoggingLeavesFailuresToTheCli() throws IOException {
        // the SDK logs every exception it throws, retried ones too, and warns on every upload
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/simplelogger.properties"))) {
            p.load(in);
        }
        assertThat(p).containsEntry("org.slf4j.simpleLogger.log.com.azure", "off")
                .containsEntry("org.slf4j.simpleLogger.log.reactor", "off");
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
