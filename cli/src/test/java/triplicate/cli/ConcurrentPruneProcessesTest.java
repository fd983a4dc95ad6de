package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backups from two "computers" and forget+prune, each a separate process started from the command line, at the
 * same time, in rounds; prunes are killed with SIGKILL at random moments now and then, and the backups and prunes
 * go through a backend that fails transiently (retried). After every round {@code check --read-data} passes and
 * every snapshot still in the vault, live or forgotten, restores byte-identical to what its source was.
 * Heartbeats of 150 ms and a patience of 1.5 s (hidden options) keep a round to seconds.
 * {@code -Dtriplicate.prune.processRounds=N} or {@code TRIPLICATE_SOAK=1} (20 rounds) runs longer.
 */
class ConcurrentPruneProcessesTest {
    private static final long SEED = Long.getLong("triplicate.prune.seed", 7L);
    private static final int ROUNDS = Integer.getInteger("triplicate.prune.processRounds",
            System.getenv("TRIPLICATE_SOAK") != null ? 20 : 3);
    private static final String HEARTBEAT = "150";
    private static final String PATIENCE = "1500";

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    private final List<Process> running = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : running) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void backupAndPruneProcessesTogetherLoseNothing() throws Exception {
        Random random = new Random(SEED);
        Path vault = tmp.resolve("vault");
        Map<String, String> env = new HashMap<>(Map.of("TRIPLICATE_VAULT", "faulty:" + vault,
                "TRIPLICATE_PASSWORD", "processes prune", "TRIPLICATE_NO_PROGRESS", "1",
                "TRIPLICATE_TEST_FAULT_RATE", "0.02"));
        Map<String, String> plain = new HashMap<>(env);
        plain.put("TRIPLICATE_VAULT", vault.toString());
        plain.remove("TRIPLICATE_TEST_FAULT_RATE");
        assertThat(CliTesting.run(plain, "init", "--kdf-memory", "1", "--kdf-iterations", "1", "--pack-size", "1",
                "--chunk-sizes", "16,64,256").code()).isZero();
        List<Path> sources = List.of(tmp.resolve("studio/photos"), tmp.resolve("laptop/pictures"));
        for (int i = 0; i < sources.size(); i++) {
            CliTesting.writeRandomTree(sources.get(i), new Random(SEED + i), 3 * 1024 * 1024);
        }
        Map<String, Map<String, String>> expected = new HashMap<>(); // snapshot → file hashes of its source
        Map<String, Path> sourceOf = new HashMap<>();
        int kills = 0;
        int prunes = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            // two backups, one per source, while forget+prune runs (and is sometimes killed)
            List<Process> backups = new ArrayList<>();
            List<Map<String, String>> before = new ArrayList<>();
            List<Path> outs = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                CliTesting.modify(sources.get(i), random);
                before.add(CliTesting.hashes(sources.get(i)));
                Path out = tmp.resolve("backup-" + round + "-" + i + ".json");
                Map<String, String> e = new HashMap<>(env);
                e.put("TRIPLICATE_TEST_FAULT_SEED", Long.toString(random.nextLong()));
                Process p = CliTesting.start(e, out, "backup", "--json", "--heartbeat-ms", HEARTBEAT,
                        sources.get(i).toString());
                running.add(p);
                backups.add(p);
                outs.add(out);
            }
            while (backups.stream().anyMatch(Process::isAlive)) {
                boolean kill = random.nextInt(3) == 0;
                Path out = tmp.resolve("prune-" + round + "-" + prunes + ".out");
                Map<String, String> e = new HashMap<>(env);
                e.put("TRIPLICATE_TEST_FAULT_SEED", Long.toString(random.nextLong()));
                Process p = CliTesting.start(e, out, "forget", "--keep-last", "2", "--force", "--prune",
                        "--recovery-window", random.nextBoolean() ? "0d" : "30d", "--repack-unused", "40",
                        "--heartbeat-ms", HEARTBEAT, "--patience-ms", PATIENCE);
                running.add(p);
                prunes++;
                if (kill) {
                    Thread.sleep(300 + random.nextInt(2500));
                    if (p.isAlive()) {
                        p.destroyForcibly();
                        kills++;
                    }
                }
                assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
                int code = p.exitValue();
                if (!kill || code == 0) {
                    assertThat(code).as("forget --prune in round %d:%n%s", round, Files.readString(out))
                            .isIn(ExitCodes.OK, ExitCodes.BUSY);
                }
            }
            for (int i = 0; i < backups.size(); i++) {
                assertThat(backups.get(i).waitFor(3, TimeUnit.MINUTES)).isTrue();
                String text = Files.readString(outs.get(i));
                assertThat(backups.get(i).exitValue()).as("backup in round %d:%n%s", round, text).isZero();
                JsonNode json = new ObjectMapper().readTree(text.substring(text.indexOf('{')));
                String id = json.get("snapshot").asText();
                expected.put(id, before.get(i));
                sourceOf.put(id, sources.get(i));
            }

            CliTesting.Result check = CliTesting.run(plain, "check", "--read-data");
            assertThat(check.code()).as("check after round %d:%n%s", round, check).isZero();
            List<String> all = new ArrayList<>();
            for (String listing : List.of("snapshots", "snapshots --forgotten")) {
                List<String> args = new ArrayList<>(List.of(listing.split(" ")));
                args.add("--json");
                CliTesting.Result r = CliTesting.run(plain, args.toArray(String[]::new));
                assertThat(r.code()).as(r.toString()).isZero();
                for (JsonNode s : new ObjectMapper().readTree(r.out())) {
                    all.add(s.get("id").asText());
                }
            }
            for (String id : all) {
                Path target = tmp.resolve("restore-" + round + "-" + id.substring(0, 8));
                CliTesting.Result r = CliTesting.run(plain, "restore", id, "--target", target.toString());
                assertThat(r.code()).as("restore of %s after round %d: %s", id, round, r).isZero();
                Path src = sourceOf.get(id);
                assertThat(CliTesting.hashes(target.resolve(src.getFileName()))).as("restored %s", id)
                        .isEqualTo(expected.get(id));
                CliTesting.deleteTree(target);
            }
            System.out.printf("[prune-processes] round %d: %d snapshots in the vault, %d prunes run, %d killed%n",
                    round, all.size(), prunes, kills);
        }
        assertThat(prunes).isGreaterThanOrEqualTo(ROUNDS);
    }
}
