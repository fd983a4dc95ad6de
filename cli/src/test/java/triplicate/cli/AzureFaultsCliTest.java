package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
            FaultScenario scenario = new FaultScenario(tmp, server.location("faults", "vault", ""), server.env());
            scenario.firstBackup();
            // the server goes down once a few of the second backup's packs are stored
            CompletableFuture<Cli.Result> second = scenario.secondBackupUnderWay(() -> packs(server), 50,
                    "the server was stopped");
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
                r = scenario.cli.run("backup", scenario.library.toString());
            }
            scenario.secondBackupCompleted(r);
            scenario.thirdBackupCheckAndRestores();
        }
    }

    private static long packs(AzuriteServer server) {
        return server.blobs("faults", "vault/data/").size();
    }
}
