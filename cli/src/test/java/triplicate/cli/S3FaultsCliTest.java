package triplicate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.s3.S3ProxyServer;

/**
 * Backups to S3 while things go wrong: 10% of all backend calls fail transiently (half of the failed saves after
 * the file was stored, as when an answer is lost), and during one backup the S3 server is killed ({@code kill -9})
 * and started again. Every backup completes, {@code check --read-data} passes, and every snapshot restores byte
 * for byte. The CLI runs as in production: Backends wraps the (fault-injected) S3 backend in RetryingBackend.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class S3FaultsCliTest {
    @TempDir
    Path tmp;

    @Test
    void backupsCompleteThroughFaultsAndAServerRestart() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")))) {
            Path stored = server.bucketDir("faults").resolve("vault").resolve("data");
            FaultScenario scenario = new FaultScenario(tmp, server.location("faults", "vault", ""), server.env());
            scenario.firstBackup();
            // the server dies once a few of the second backup's packs are stored
            CompletableFuture<Cli.Result> second = scenario.secondBackupUnderWay(() -> count(stored), 20,
                    "the server was killed");
            server.kill();
            Thread.sleep(500);
            server.restart();
            scenario.secondBackupCompleted(second.get(2, TimeUnit.MINUTES));
            scenario.thirdBackupCheckAndRestores();
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }
}
