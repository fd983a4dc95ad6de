package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real import processes with SIGKILL (kill -9) at points chosen by a seeded random: when a given number of
 * photos has reached the library, while a copy is being written into the workspace, or after a random delay (in
 * start-up, in reading the metadata, anywhere). After every kill the library holds only whole copies of card files,
 * none twice, and the card is untouched. Then the same import, run again, finishes the job: every photo of the card
 * in the library exactly once, no temporary file left.
 *
 * <p>Run with {@code -Dtriplicate.crash.seed=N} to try other kill points; every run logs its seed and kill points.
 */
class ImportCrashTest {
    private static final long SEED = Long.getLong("triplicate.crash.seed", 20261122L);
    private static final int KILLS = 6;
    private static final int MAX_RUNS = 20;

    private enum KillAt { PHOTOS_IN_LIBRARY, COPY_IN_PROGRESS, DELAY }

    @TempDir
    Path tmp;
    private Process running;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (running != null && running.isAlive()) {
            running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void killedImportsLeaveOnlyWholeCopiesAndTheNextRunFinishesWithoutDuplicates() throws Exception {
        Random random = new Random(SEED);
        Path card = Cards.card(tmp.resolve("card"), 3, 10, 21); // 30 JPEGs, 10 CR2s, 10 XMPs: ~50 MiB
        Map<String, String> before = Cards.state(card);
        Map<String, Long> cardHashes = ImportFaultsCliTest.hashes(card);
        int files = CliTesting.filesUnder(card.resolve("DCIM")).size();
        Path library = tmp.resolve("library");
        Map<String, String> env = Map.of("TRIPLICATE_NO_PROGRESS", "1");
        log("seed %d; card of %d photo files; library %s", SEED, files, library);

        int kills = 0;
        int run = 0;
        while (kills < KILLS) {
            assertThat(run).as("runs needed for %d kills", KILLS).isLessThan(MAX_RUNS);
            run++;
            int already = Cards.library(library).size();
            KillAt mode = KillAt.values()[random.nextInt(KillAt.values().length)];
            int more = 1 + random.nextInt(Math.max(1, files - already));
            long delay = 300 + random.nextInt(2500);
            Map<String, Long> tempBefore = temporaries(library);
            Path out = tmp.resolve("run-" + run + ".out");
            long t0 = System.nanoTime();
            running = CliTesting.start(env, out, "import", card.toString(), "--library", library.toString());
            boolean killed = false;
            while (running.isAlive()) {
                boolean now = switch (mode) {
                    case PHOTOS_IN_LIBRARY -> Cards.library(library).size() >= already + more;
                    // a temporary file of this run (those a killed run left are deleted when the next one starts)
                    case COPY_IN_PROGRESS -> {
                        Map<String, Long> t = temporaries(library);
                        yield !t.isEmpty() && !t.equals(tempBefore);
                    }
                    case DELAY -> (System.nanoTime() - t0) / 1_000_000 >= delay;
                };
                if (now) {
                    running.destroyForcibly();
                    killed = true;
                    break;
                }
                Thread.sleep(1);
            }
            assertThat(running.waitFor(2, TimeUnit.MINUTES)).isTrue();
            int exit = running.exitValue();
            killed = killed && exit != 0;
            String plan = switch (mode) {
                case PHOTOS_IN_LIBRARY -> "when " + more + " more photo(s) are in the library";
                case COPY_IN_PROGRESS -> "while a copy is being written";
                case DELAY -> "after " + delay + " ms";
            };
            int now = Cards.library(library).size();
            log("run %2d: %-45s %s after %.1f s; library: %d of %d files, %d temporary", run, plan,
                    killed ? "KILLED" : "finished (exit " + exit + ")", (System.nanoTime() - t0) / 1e9, now, files,
                    Cards.leftovers(library).size());
            if (killed) {
                kills++;
            } else {
                assertThat(exit).as("run %d finished before its kill point, so it must succeed:%n%s", run,
                        Files.readString(out)).isZero();
                CliTesting.deleteTree(library); // start again, to get more kills
            }
            for (var e : ImportFaultsCliTest.libraryHashes(library).entrySet()) {
                assertThat(cardHashes).as("after run %d, every library file is a whole copy of a card file", run)
                        .containsKey(e.getKey());
                assertThat(e.getValue()).as("after run %d, no photo is in the library twice", run)
                        .isLessThanOrEqualTo(cardHashes.get(e.getKey()));
            }
            assertThat(Cards.state(card)).as("the card after run %d", run).isEqualTo(before);
        }

        CliTesting.Result last = CliTesting.run(env, "import", card.toString(), "--library", library.toString());
        assertThat(last.code()).as("%s", last).isEqualTo(ExitCodes.OK);
        assertThat(ImportFaultsCliTest.libraryHashes(library)).as("every photo exactly once").isEqualTo(cardHashes);
        assertThat(Cards.library(library)).hasSize(files);
        assertThat(Cards.leftovers(library)).as("temporary files after the last run").isEmpty();
        assertThat(Cards.state(card)).isEqualTo(before);
        // the catalog has every file, including those a killed run renamed into place but could not record
        CliTesting.Result found = CliTesting.run(env, "find", "--library", library.toString(), "--json");
        assertThat(found.code()).as("%s", found).isZero();
        java.util.Set<String> catalogued = new java.util.HashSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(found.out()).get("assets")
                .forEach(a -> a.get("files").forEach(f -> catalogued.add(f.get("path").asText())));
        assertThat(catalogued).isEqualTo(Cards.library(library).keySet());
        log("%d kills in %d runs; the last run: %s", kills, run, last.out().lines().filter(l -> l.startsWith("imported"))
                .findFirst().orElse(""));
    }

    /** The import workspace's temporary files and their sizes. */
    private static Map<String, Long> temporaries(Path library) {
        Map<String, Long> out = new java.util.HashMap<>();
        try {
            for (String name : Cards.leftovers(library)) {
                out.put(name, Files.size(library.resolve(".triplicate/import-tmp").resolve(name)));
            }
        } catch (IOException e) {
            // one vanished meanwhile (renamed into place): look again
            return temporaries(library);
        }
        return out;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[ImportCrashTest] " + format + "%n", args);
    }
}
