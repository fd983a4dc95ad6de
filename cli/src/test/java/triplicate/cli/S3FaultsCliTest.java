package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
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
            String location = "faulty:" + server.location("faults", "vault", "");
            Path stored = server.bucketDir("faults").resolve("vault").resolve("data");
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

            // the second backup adds about 12 MiB; the server dies once a few of its packs are stored
            for (int i = 0; i < 6; i++) {
                TestFiles.writeRandom(library.resolve("2025/IMG_" + i + ".CR2"), 100 + i, 1_900_000 + 40_000 * i);
            }
            long packsBefore = count(stored);
            CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> cli.run("backup", library.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(stored) < packsBefore + 3 && !second.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(second).as("the backup was still running when the server was killed").isNotDone();
            server.kill();
            Thread.sleep(500);
            server.restart();
            Cli.Result r = second.get(2, TimeUnit.MINUTES);
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

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

}
