package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The backups that the fault tests of the network backends run while things go wrong: through the test-only
 * {@code faulty:} scheme 10% of all backend calls fail transiently (half of the failed saves after the file was
 * stored, as when an answer is lost); a first backup; a second one of about 12 MiB that the test interrupts (it kills
 * the server, or the backend's helper process) once a few of its packs are stored; a third; then
 * {@code check --read-data} passes and every snapshot restores byte for byte.
 */
final class FaultScenario {
    /** Counts the packs the backend stored so far, by looking at the server. */
    interface Packs {
        long count() throws IOException;
    }

    final Cli cli;
    /** The folder backed up. */
    final Path library;
    private final Path tmp;
    private final List<SortedMap<String, String>> snapshots = new ArrayList<>();

    /** Initialises a vault at {@code faulty:LOCATION} with 1 MiB packs, the CLI reaching it with {@code env}. */
    FaultScenario(Path tmp, String location, Map<String, String> env) {
        this.tmp = tmp;
        this.library = tmp.resolve("library");
        cli = new Cli(tmp.resolve("unused"), "pass phrase for faults");
        cli.env.put("TRIPLICATE_VAULT", "faulty:" + location);
        cli.env.putAll(env);
        cli.env.put("TRIPLICATE_TEST_FAULT_RATE", "0.1");
        cli.env.put("TRIPLICATE_TEST_FAULT_SEED", "20261122");
        cli.init("--pack-size", "1");
    }

    /** Backs up six small files. */
    void firstBackup() throws IOException {
        for (int i = 0; i < 6; i++) {
            TestFiles.writeRandom(library.resolve("2024/IMG_" + i + ".CR2"), i, 400_000 + 50_000 * i);
        }
        cli.expect(ExitCodes.OK, "backup", library.toString());
        snapshots.add(TestFiles.content(library));
    }

    /**
     * Adds about 12 MiB and starts backing it up; returns the running backup once {@code packs} counts three more
     * packs (looking every {@code pollMillis}, for 60 s at most), checking that it still runs.
     *
     * @param interruption what the test is about to do, for the message ({@code "the server was killed"})
     */
    CompletableFuture<Cli.Result> secondBackupUnderWay(Packs packs, long pollMillis, String interruption)
            throws IOException, InterruptedException {
        for (int i = 0; i < 6; i++) {
            TestFiles.writeRandom(library.resolve("2025/IMG_" + i + ".CR2"), 100 + i, 1_900_000 + 40_000 * i);
        }
        long packsBefore = packs.count();
        CompletableFuture<Cli.Result> second = CompletableFuture.supplyAsync(() -> cli.run("backup", library.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (packs.count() < packsBefore + 3 && !second.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(pollMillis);
        }
        assertThat(second).as("the backup was still running when " + interruption).isNotDone();
        return second;
    }

    /** Checks that the second backup {@code r} completed. */
    void secondBackupCompleted(Cli.Result r) throws IOException {
        assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.OK);
        snapshots.add(TestFiles.content(library));
    }

    /** Backs up one more small file, checks the vault reading all data, and restores every snapshot. */
    void thirdBackupCheckAndRestores() throws IOException {
        TestFiles.writeRandom(library.resolve("2025/IMG_0.xmp"), 999, 3_000);
        cli.expect(ExitCodes.OK, "backup", library.toString());
        snapshots.add(TestFiles.content(library));

        cli.expect(ExitCodes.OK, "check", "--read-data");
        JsonNode listed = new ObjectMapper().readTree(cli.expect(ExitCodes.OK, "snapshots", "--json").out());
        assertThat(listed).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("restore-" + i);
            cli.expect(ExitCodes.OK, "restore", listed.get(i).get("id").asText(), "--target", out.toString());
            assertThat(TestFiles.content(out.resolve("library"))).as("snapshot %d", i + 1).isEqualTo(snapshots.get(i));
        }
    }
}
