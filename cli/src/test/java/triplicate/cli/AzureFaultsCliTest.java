package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.azure.AzuriteServer;

/**
 * Backups to Azure Blob Storage while things go wrong: 10% of all backend calls fail transiently (half of the failed
 * saves after the file was stored, as when an answer is lost), and during one backup the Azurite server is stopped
 * and started again. Every backup completes, {@code check --read-data} passes, and every snapshot restores byte for
 * byte. The CLI runs as in production: Backends wraps the (fault-injected) Azure backend in RetryingBackend. When
 * the outage outlasts the retries' patience (13–25 s; Azurite takes longer to stop and start on a loaded machine),
 * the interrupted backup must fail naming the connection and the next one must complete, reusing what was stored.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AzureFaultsCliTest {
    /** RetryingBackend's least patience in all (8 attempts; see its Policy.defaults()). */
    private static final java.time.Duration RETRY_PATIENCE = java.time.Duration.ofSeconds(12);

    @TempDir
    Path tmp;

    @Test
    void backupsCompleteThroughFaultsAndAServerRestart() throws Exception {
        try (AzuriteServer server = AzuriteServer.start(Files.createDirectories(tmp.resolve("azurite")))) {
            String location = "faulty:" + server.location("faults", "vault", "");
            Cli cli = new Cli(tmp.resolve("unused"), "pass phrase for faults");
            cli.env.put("TRIPLICATE_VAULT", location);
            cli.env.putAll(server.env());
            cli.env.put("TRIPLICATE_TEST_FAULT_RATE", "0.1");
            cli.env.put("TRIPLICATE_TEST_FAULT_SEED", "20261122");
            cli.init("--pack-size", "1");

            Path library = tmp.resolve("library");
            for (int i = 0; i < 6; i++) {
                TestFiles.writeRandom(library.resolve("2024/IMG_" + i + ".CR2"), i, 400_000 + 50_000 * i);
            }
            cli.expect(ExitCodes.OK, "backup", library.toString());
            SortedMap<String, String> first = TestFiles.content(library);

            // the second backup adds about 12 MiB; the server goes down once a few of its packs are stored
            for (int i = 0; i < 6; i++) {
                TestFiles.writeRandom(library.resolve("2025/IMG_" + i + ".CR2"), 100 + i, 1_900_000 + 40_000 * i);
            }
            long packsBefore = packs(server);
            CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> cli.run("backup", library.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (packs(server) < packsBefore + 3 && !second.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(second).as("the backup was still running when the server was stopped").isNotDone();
            long down = System.nanoTime();
            server.kill();
            assertThat(server.isAlive()).isFalse();
            long stopped = System.nanoTime();
            server.restart();
            long up = System.nanoTime();
            System.err.printf("[azure-faults] Azurite stopped in %.1f s and answered again %.1f s later%n",
                    (stopped - down) / 1e9, (up - stopped) / 1e9);
            Cli.Result r = second.get(2, TimeUnit.MINUTES);
            if (r.code() != ExitCodes.OK && up - down > RETRY_PATIENCE.toNanos()) {
                // on a loaded machine the outage can outlast the retries' patience: then the run fails naming the
                // connection, and the next one resumes (and must complete)
                assertThat(r.err()).as("%s", r).contains("failed 8 times in a row").contains("the connection to");
                r = cli.run("backup", library.toString());
            }
            assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
            SortedMap<String, String> secondContent = TestFiles.content(library);

            TestFiles.writeRandom(library.resolve("2025/IMG_0.xmp"), 999, 3_000);
            cli.expect(ExitCodes.OK, "backup", library.toString());
            SortedMap<String, String> third = TestFiles.content(library);

            cli.expect(ExitCodes.OK, "check", "--read-data");
            var snapshots = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
            assertThat(snapshots).hasSize(3);
            List<SortedMap<String, String>> expected = List.of(first, secondContent, third);
            for (int i = 0; i < 3; i++) {
                Path out = tmp.resolve("restore-" + i);
                cli.expect(ExitCodes.OK, "restore", snapshots.get(i).get("id").asText(), "--target", out.toString());
                assertThat(TestFiles.content(out.resolve("library"))).as("snapshot %d", i + 1).isEqualTo(expected.get(i));
            }
        }
    }

    private static long packs(AzuriteServer server) {
        return server.blobs("faults", "vault/data/").size();
    }
}
