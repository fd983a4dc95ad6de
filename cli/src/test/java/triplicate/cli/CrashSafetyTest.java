package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.FileInfo;
import triplicate.backend.local.LocalBackend;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.repository.index.PackedBlob;

/**
 * Kills real backup processes with SIGKILL (kill -9) over and over, at points chosen by a seeded random: mostly when
 * the vault's data folder has grown by a random share of what is left to upload (independent of the machine's
 * speed), sometimes right after a new index file appears, sometimes after a random delay (to land in start-up, in
 * re-reading, in the final index and snapshot writes). After every kill the vault must check clean (unindexed packs
 * are warnings, not errors) and every visible file must be complete: all files but the config are named by the
 * SHA-256 of their bytes, so a partial file cannot pass. The source changes between runs. Finally a backup must
 * complete while re-using what the killed runs uploaded (small {@code bytesAdded}, no blob stored twice), restore
 * byte-identical and pass {@code check --read-data}; it also deletes the temporary files that the kills left, once
 * they are old enough not to be another process's saves in progress.
 *
 * <p>Run with {@code -Dtriplicate.crash.seed=N} to try other kill points; every run logs its seed and kill points.
 */
class CrashSafetyTest {
    private static final long SEED = Long.getLong("triplicate.crash.seed", 20261122L);
    /** Kills required (runs that finish before their kill point do not count). */
    private static final int KILLS = 20;
    private static final int MAX_RUNS = 45;
    private static final long MiB = 1024 * 1024;
    private static final long SOURCE_BYTES = 44 * MiB;

    private enum KillAt {
        /** When the visible packs have grown by a random share of what is left to upload. */
        DATA_GROWTH,
        /** As soon as a new index file is visible (re-indexed orphans at start, a periodic index, the last one). */
        NEW_INDEX,
        /** After a random delay. */
        DELAY
    }

    @TempDir
    Path tmp;

    private Path vault;
    private Path source;
    private Map<String, String> env;
    private final Set<String> verified = new HashSet<>();
    private Process running;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (running != null && running.isAlive()) {
            running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killedBackupsNeverDamageTheVaultAndTheNextBackupReusesTheirWork() throws Exception {
        long started = System.nanoTime();
        Random random = new Random(SEED);
        vault = tmp.resolve("vault");
        source = tmp.resolve("photos");
        env = Map.of("TRIPLICATE_VAULT", vault.toString(), "TRIPLICATE_PASSWORD", "kill -9 survivor",
                "TRIPLICATE_NO_PROGRESS", "1");
        long sourceBytes = CliTesting.writeRandomTree(source, random, SOURCE_BYTES);
        log("seed %d; source %s in %d files; vault %s", SEED, mib(sourceBytes), count(source), vault);
        CliTesting.Result init = CliTesting.run(env, "init", "--kdf-memory", "1", "--kdf-iterations", "1",
                "--pack-size", "1", "--chunk-sizes", "16,64,256");
        assertThat(init.code()).as(init.toString()).isZero();

        // content the vault should eventually hold (new bytes written to the source, plus chunk-boundary slack)
        long needed = sourceBytes;
        int kills = 0;
        int finished = 0;
        int run = 0;
        while (kills < KILLS) {
            assertThat(run).as("runs needed to get %d kills (finished: %d)", KILLS, finished).isLessThan(MAX_RUNS);
            run++;
            VaultState before = VaultState.of(vault);
            KillAt mode = pick(random);
            long pending = Math.max(MiB / 2, needed - before.packBytes());
            // at most ~12 MiB, so the first, long backup is killed several times, at varied points
            long threshold = 1 + (long) (random.nextDouble() * 1.1 * Math.min(pending, 12 * MiB));
            long delayMillis = 50 + random.nextInt(3000);
            String plan = switch (mode) {
                case DATA_GROWTH -> "when data grew by " + mib(threshold) + " (of ~" + mib(pending) + " to upload)";
                case NEW_INDEX -> "when a new index file appears";
                case DELAY -> "after " + delayMillis + " ms";
            };

            Path out = tmp.resolve("run-" + run + ".out");
            long t0 = System.nanoTime();
            running = CliTesting.start(env, out, "backup", "--json", source.toString());
            boolean killed = false;
            VaultState at = before;
            while (running.isAlive()) {
                at = VaultState.of(vault);
                long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
                boolean now = switch (mode) {
                    case DATA_GROWTH -> at.packBytes() - before.packBytes() >= threshold;
                    case NEW_INDEX -> at.indexFiles() > before.indexFiles();
                    case DELAY -> elapsedMillis >= delayMillis;
                };
                if (now) {
                    running.destroyForcibly();
                    killed = true;
                    break;
                }
                Thread.sleep(mode == KillAt.DELAY ? 2 : 8);
            }
            assertThat(running.waitFor(2, TimeUnit.MINUTES)).as("run %d ended", run).isTrue();
            int exit = running.exitValue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            killed = killed && exit != 0;
            if (killed) {
                kills++;
            } else {
                finished++;
                needed = VaultState.of(vault).packBytes(); // everything is stored: start the estimate afresh
                assertThat(exit).as("run %d finished before its kill point, so it must succeed:%n%s", run,
                        Files.readString(out)).isZero();
            }

            VaultState after = VaultState.of(vault);
            verifyVisibleFilesAreComplete();
            CliTesting.Result check = CliTesting.run(env, "check");
            long unindexed = check.out().lines().filter(l -> l.contains("is not in any index")).count();
            log("run %2d: %-60s %s after %.1f s at %s; vault: %d packs (%s, %d not indexed), %d index files,"
                            + " %d snapshots, %d temp files; check exit %d",
                    run, plan, killed ? "KILLED" : "finished (exit " + exit + ")", seconds,
                    "+" + mib(at.packBytes() - before.packBytes()), after.packs(), mib(after.packBytes()), unindexed,
                    after.indexFiles(), after.snapshots(), after.tempFiles(), check.code());
            assertThat(check.code()).as("check after run %d (%s, %s):%n%s%nbackup said:%n%s", run, plan,
                    killed ? "killed" : "finished", check, Files.readString(out)).isZero();
            assertThat(check.out()).doesNotContain("error:");

            needed += CliTesting.modify(source, random);
        }

        // the backup that is allowed to finish; it also removes temporary files old enough to be a crash's leftovers
        // (the killed runs' ones, aged, and one planted), but not a fresh one: another process may be saving it
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        List<Path> stale = new ArrayList<>(tempFiles());
        for (Path t : stale) {
            Files.setLastModifiedTime(t, twoDaysAgo);
        }
        Path planted = vault.resolve("data").resolve("00").resolve(".tmp-00c0ffee00c0ffee");
        CliTesting.writeRandomFile(planted, random, 1024 * 1024);
        Files.setLastModifiedTime(planted, twoDaysAgo);
        stale.add(planted);
        Path fresh = vault.resolve("index").resolve(".tmp-0000000000f7e54");
        CliTesting.writeRandomFile(fresh, random, 1024);

        long neverUploaded = Math.max(0, needed - VaultState.of(vault).packBytes());
        CliTesting.Result last = CliTesting.run(env, "backup", "--json", source.toString());
        assertThat(last.code()).as(last.toString()).isZero();
        assertThat(tempFiles()).as("temporary files after the final backup (%d stale ones before)", stale.size())
                .containsExactly(fresh);
        JsonNode summary = new ObjectMapper().readTree(last.out()).get("summary");
        long bytesAdded = summary.get("bytesAdded").asLong();
        long total = summary.get("bytesTotal").asLong();
        log("final backup: %s of %s added (~%s never uploaded by the killed runs); %d new, %d changed, %d unchanged"
                        + " files", mib(bytesAdded), mib(total), mib(neverUploaded), summary.get("filesNew").asLong(),
                summary.get("filesChanged").asLong(), summary.get("filesUnmodified").asLong());
        // Much less than the source: the killed runs' packs are reused. (What the last runs changed and the kills
        // cut short is a few MiB at most; assertNoBlobStoredTwice is the exact proof that nothing was uploaded
        // twice.)
        assertThat(bytesAdded).as("bytes the final backup added: it must reuse the killed runs' work")
                .isLessThan(total / 5);
        assertNoBlobStoredTwice();

        Path target = tmp.resolve("restored");
        CliTesting.Result restore = CliTesting.run(env, "restore", "latest", "--target", target.toString());
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(CliTesting.hashes(target.resolve(source.getFileName()))).as("restored files")
                .isEqualTo(CliTesting.hashes(source));

        CliTesting.Result readData = CliTesting.run(env, "check", "--read-data");
        assertThat(readData.code()).as(readData.toString()).isZero();
        assertThat(readData.out()).as("every pack is indexed after the final backup").doesNotContain("not in any index");
        verifyVisibleFilesAreComplete();
        log("%d kills, %d runs finished before their kill point; final restore byte-identical; %s in %.0f s", kills,
                finished, readData.out().lines().findFirst().orElse(""), (System.nanoTime() - started) / 1e9);
    }

    private List<Path> tempFiles() throws IOException {
        return CliTesting.filesUnder(vault).stream().filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }

    private static KillAt pick(Random random) {
        int r = random.nextInt(10);
        return r < 6 ? KillAt.DATA_GROWTH : r < 8 ? KillAt.NEW_INDEX : KillAt.DELAY;
    }

    /** Every visible file under keys/, data/, index/, snapshots/ holds exactly the bytes its name is the hash of. */
    private void verifyVisibleFilesAreComplete() throws IOException {
        assertThat(Files.size(vault.resolve("config"))).as("config").isPositive();
        for (String folder : List.of("keys", "data", "index", "snapshots")) {
            try (Stream<Path> files = Files.walk(vault.resolve(folder))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue; // a temporary file: invisible to the vault
                    }
                    if (verified.add(f.toString())) {
                        assertThat(CliTesting.sha256(f)).as("%s/%s is complete", folder, name).isEqualTo(name);
                    }
                }
            }
        }
    }

    /** Every pack's own header, read: a blob in two packs would mean a killed run's packs were not reused. */
    private void assertNoBlobStoredTwice() throws IOException {
        List<Id> twice = new ArrayList<>();
        int packs = 0;
        try (Password pw = Password.of(env.get("TRIPLICATE_PASSWORD").toCharArray());
             Repository repo = Repository.open(LocalBackend.open(vault), pw, RepositoryOptions.defaults("test", "test"))) {
            Set<Id> seen = new HashSet<>();
            for (FileInfo f : repo.backend().list(FileType.PACK)) {
                packs++;
                for (PackedBlob b : repo.readPackHeader(Id.parse(f.name()), f.size())) {
                    if (!seen.add(b.id())) {
                        twice.add(b.id());
                    }
                }
            }
        }
        assertThat(twice).as("blobs stored twice in %d packs", packs).isEmpty();
    }

    /** What a look at the vault folder shows. */
    private record VaultState(int packs, long packBytes, int indexFiles, int snapshots, int tempFiles) {
        static VaultState of(Path vault) throws IOException {
            int packs = 0;
            long bytes = 0;
            int temps = 0;
            for (Path f : CliTesting.filesUnder(vault.resolve("data"))) {
                if (f.getFileName().toString().startsWith(".")) {
                    temps++;
                    continue;
                }
                try {
                    bytes += Files.size(f);
                    packs++;
                } catch (java.nio.file.NoSuchFileException e) {
                    // gone meanwhile
                }
            }
            int index = 0;
            for (Path f : CliTesting.filesUnder(vault.resolve("index"))) {
                if (f.getFileName().toString().startsWith(".")) {
                    temps++;
                } else {
                    index++;
                }
            }
            int snapshots = 0;
            for (Path f : CliTesting.filesUnder(vault.resolve("snapshots"))) {
                if (f.getFileName().toString().startsWith(".")) {
                    temps++;
                } else {
                    snapshots++;
                }
            }
            return new VaultState(packs, bytes, index, snapshots, temps);
        }
    }

    private static long count(Path dir) throws IOException {
        return CliTesting.filesUnder(dir).size();
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MiB);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[crash-safety] " + format + "%n", args);
    }
}
