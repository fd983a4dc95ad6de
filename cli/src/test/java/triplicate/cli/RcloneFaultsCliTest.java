package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import triplicate.backend.rclone.RcloneRemote;

/**
 * Backups through rclone while things go wrong: 10% of all backend calls fail transiently (half of the failed saves
 * after the file was stored, as when an answer is lost), through the test-only {@code faulty:} scheme, and during one
 * backup the rclone process itself is killed ({@code kill -9}). Every backup completes, {@code check --read-data}
 * passes, and every snapshot restores byte for byte. The CLI runs as in production: Backends wraps the
 * (fault-injected) rclone backend in RetryingBackend, and the backend starts a new rclone for the next call.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@ResourceLock(RcloneCliTest.RCLONE_PROCESSES)
class RcloneFaultsCliTest {
    @TempDir
    Path tmp;

    @Test
    void backupsCompleteThroughFaultsAndAKilledRclone() throws Exception {
        RcloneRemote remote = RcloneRemote.create(Files.createDirectories(tmp.resolve("rclone")));
        Path vault = remote.root().resolve("vault");
        Cli cli = new Cli(tmp.resolve("unused"), "pass phrase for faults");
        cli.env.putAll(remote.env());
        cli.env.put("TRIPLICATE_VAULT", "faulty:" + remote.location(vault));
        cli.env.put("TRIPLICATE_TEST_FAULT_RATE", "0.1");
        cli.env.put("TRIPLICATE_TEST_FAULT_SEED", "20261122");
        cli.init("--pack-size", "1");

        Path library = tmp.resolve("library");
        for (int i = 0; i < 6; i++) {
            TestFiles.writeRandom(library.resolve("2024/IMG_" + i + ".CR2"), i, 400_000 + 50_000 * i);
        }
        cli.expect(ExitCodes.OK, "backup", library.toString());
        SortedMap<String, String> first = TestFiles.content(library);

        // the second backup adds about 12 MiB; its rclone is killed once a few of its packs are stored
        for (int i = 0; i < 6; i++) {
            TestFiles.writeRandom(library.resolve("2025/IMG_" + i + ".CR2"), 100 + i, 1_900_000 + 40_000 * i);
        }
        Path data = vault.resolve("data");
        long packsBefore = packs(data);
        CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> cli.run("backup", library.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (packs(data) < packsBefore + 3 && !second.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(second).as("the backup was still running when rclone was killed").isNotDone();
        Optional<ProcessHandle> rclone = rcloneChild();
        assertThat(rclone).as("the backup's rclone process").isPresent();
        rclone.get().destroyForcibly();
        rclone.get().onExit().get(10, TimeUnit.SECONDS);
        Cli.Result r = second.get(3, TimeUnit.MINUTES);
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
        assertThat(rcloneChild()).as("the CLI stopped the rclone it started again").isEmpty();
        SortedMap<String, String> secondContent = TestFiles.content(library);

        TestFiles.writeRandom(library.resolve("2025/IMG_0.xmp"), 999, 3_000);
        cli.expect(ExitCodes.OK, "backup", library.toString());
        SortedMap<String, String> third = TestFiles.content(library);

        cli.expect(ExitCodes.OK, "check", "--read-data");
        JsonNode snapshots = new ObjectMapper().readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
        assertThat(snapshots).hasSize(3);
        List<SortedMap<String, String>> expected = List.of(first, secondContent, third);
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("restore-" + i);
            cli.expect(ExitCodes.OK, "restore", snapshots.get(i).get("id").asText(), "--target", out.toString());
            assertThat(TestFiles.content(out.resolve("library"))).as("snapshot %d", i + 1).isEqualTo(expected.get(i));
        }
        for (Path f : CliTesting.filesUnder(data)) {
            String name = f.getFileName().toString();
            if (!name.startsWith(".")) {
                assertThat(CliTesting.sha256(f)).as("pack %s is complete", name).isEqualTo(name);
            }
        }
    }

    /** The rclone this JVM's CLI started (the lock keeps other rclone tests of this module from running meanwhile). */
    private static Optional<ProcessHandle> rcloneChild() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/rclone") || c.equals("rclone")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[0].equals("rcd")).orElse(false))
                .filter(ProcessHandle::isAlive)
                .findFirst();
    }

    private static long packs(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return 0;
        }
        return CliTesting.filesUnder(data).stream()
                .filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
    }
}
