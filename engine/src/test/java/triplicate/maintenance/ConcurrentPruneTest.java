package triplicate.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import triplicate.archiver.BackupResult;
import triplicate.backend.Backend;
import triplicate.backend.testkit.CrashingBackend;
import triplicate.backend.testkit.FaultInjectingBackend;
import triplicate.backend.testkit.FaultInjectingBackend.Failure;
import triplicate.backend.testkit.Operation;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.Id;
import triplicate.core.SessionExpiredException;
import triplicate.core.VaultBusyException;
import triplicate.repository.Repository;
import triplicate.testing.Fingerprint;
import triplicate.testing.RetentionFixture;

/**
 * Backups from two "computers" (threads, each with its own repository and source), forget and prune running all at
 * the same time, in rounds, through backends that fail transiently (retried) and that crash: a crash kills a backup
 * or a prune at a random moment, leaving whatever it had written and its markers. After every round the vault must
 * pass check reading every byte, and every snapshot still in it (live or forgotten) must restore byte-identical to
 * what its source was. {@code -Dtriplicate.prune.rounds=N} (or {@code TRIPLICATE_SOAK=1}: 40 rounds) runs longer;
 * {@code -Dtriplicate.prune.seed=N} tries other interleavings.
 */
class ConcurrentPruneTest {
    private static final long SEED = Long.getLong("triplicate.prune.seed", 20240601L);
    private static final int ROUNDS = Integer.getInteger("triplicate.prune.rounds",
            System.getenv("TRIPLICATE_SOAK") != null ? 40 : 5);

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void backupsForgetAndPruneTogetherWithFaultsAndCrashesLoseNothing() throws Exception {
        RetentionFixture f = new RetentionFixture(tmp, InstantSource.system());
        Random seeds = new Random(SEED);
        List<Path> sources = List.of(RetentionFixture.makeSource(tmp.resolve("studio"), 1, 14),
                RetentionFixture.makeSource(tmp.resolve("laptop"), 2, 10));
        ScheduledExecutorService crasher = Executors.newScheduledThreadPool(1);
        ExecutorService workers = Executors.newFixedThreadPool(3);
        int[] totals = new int[6]; // backups, backup crashes, prunes, prune crashes, packs deleted, busy
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                long seed = seeds.nextLong();
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicInteger running = new AtomicInteger(2);
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Future<?>> all = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    Path src = sources.get(w);
                    Random r = new Random(seed + w);
                    all.add(workers.submit(() -> {
                        try {
                            for (int i = 0; i < 3; i++) {
                                RetentionFixture.modify(src, r);
                                boolean crash = r.nextInt(6) == 0;
                                if (backup(f, src, r, crash, crasher)) {
                                    synchronized (totals) {
                                        totals[crash ? 1 : 0]++;
                                    }
                                }
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        } finally {
                            if (running.decrementAndGet() == 0) {
                                writing.set(false);
                            }
                        }
                        return null;
                    }));
                }
                Random mr = new Random(seed + 99);
                all.add(workers.submit(() -> {
                    try {
                        do {
                            forgetSome(f, mr);
                            int outcome = prune(f, mr, crasher);
                            synchronized (totals) {
                                totals[2]++;
                                if (outcome < 0) {
                                    totals[outcome == -1 ? 3 : 5]++;
                                } else {
                                    totals[4] += outcome;
                                }
                            }
                        } while (writing.get());
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                    return null;
                }));
                for (Future<?> fu : all) {
                    fu.get(5, TimeUnit.MINUTES);
                }
                assertThat(failures).as("round %d: unexpected failures", round).isEmpty();
                try (Repository repo = f.open()) {
                    CheckResult c = f.checkClean(repo);
                    f.everySnapshotRestores(repo);
                    System.out.printf("[concurrent-prune] round %d: %d snapshots (%d live), %d packs; so far %d backups"
                                    + " (%d crashed), %d prunes (%d crashed, %d busy), %d packs deleted%n", round,
                            c.snapshots(), repo.liveSnapshots().size(), c.packs(), totals[0] + totals[1], totals[1],
                            totals[2], totals[3], totals[5], totals[4]);
                }
            }
        } finally {
            workers.shutdownNow();
            crasher.shutdownNow();
        }
        assertThat(totals[4]).as("packs deleted over all rounds").isPositive();
        // a last prune after everything ended: it must be able to finish every plan
        try (Repository repo = f.open()) {
            Pruner.Result last = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, false), n -> { }).prune();
            Pruner.Result after = new Pruner(repo, RetentionFixture.pruneOptions("0d", 30, false), n -> { }).prune();
            assertThat(after.packsWaiting()).as("nothing waits once no backup runs (after %s, then %s)", last, after).isZero();
            f.checkClean(repo);
            f.everySnapshotRestores(repo);
        }
    }

    /** A retrying backend over one that fails transiently now and then, as a network backend does. */
    private static Backend flaky(Backend inner, long seed) {
        Backend faulty = FaultInjectingBackend.wrap(inner).seed(seed)
                .failRandomly(Operation.SAVE, 0.03, Failure.TRANSIENT)
                .failRandomly(Operation.SAVE, 0.02, Failure.LOST_RESPONSE)
                .failRandomly(Operation.OPEN, 0.02, Failure.TRANSIENT)
                .failRandomly(Operation.LIST, 0.02, Failure.TRANSIENT)
                .failRandomly(Operation.REMOVE, 0.03, Failure.LOST_RESPONSE)
                .failRandomly(Operation.REMOVE, 0.02, Failure.TRANSIENT)
                .build();
        return new RetryingBackend(faulty, new RetryingBackend.Policy(8, Duration.ofMillis(1), Duration.ofMillis(5), 2),
                d -> Thread.sleep(d), new Random(seed));
    }

    /**
     * One backup, maybe crashed at a random moment. Returns whether it ran (crashed or not); records what a
     * snapshot it saved must restore to, including one saved just before a crash.
     */
    private static boolean backup(RetentionFixture f, Path src, Random r, boolean crash, ScheduledExecutorService crasher)
            throws Exception {
        SortedMap<String, String> expected = Fingerprint.contentOf(src);
        long seed = r.nextLong();
        CrashingBackend[] crashing = new CrashingBackend[1];
        try (Repository repo = f.open(b -> {
            crashing[0] = new CrashingBackend(flaky(b, seed));
            return crashing[0];
        })) {
            if (crash) {
                crasher.schedule(crashing[0]::crash, 5 + r.nextInt(300), TimeUnit.MILLISECONDS);
            }
            BackupResult res = f.backup(repo, src);
            assertThat(res.complete()).isTrue();
        } catch (SessionExpiredException e) {
            // a prune took it for dead (its heartbeat starved on a loaded machine): it saved no snapshot, as designed
            System.out.println("[concurrent-prune] backup stopped: " + e.getMessage());
        } catch (IOException e) {
            if (!(crashing[0] != null && crashing[0].crashed())) {
                throw e;
            }
            // crashed: if it got as far as saving its snapshot, that snapshot must restore too
            try (Repository repo = f.open()) {
                for (Repository.SnapshotRef s : repo.listSnapshots()) {
                    if (!f.expected.containsKey(s.id()) && s.snapshot().paths().equals(List.of(src.toString()))) {
                        f.expected.put(s.id(), expected);
                        f.rootName.put(s.id(), src.getFileName().toString());
                    }
                }
            }
        }
        return true;
    }

    /** Forgets one or two live snapshots (never the last of a source), now and then. */
    private static void forgetSome(RetentionFixture f, Random r) throws IOException {
        try (Repository repo = f.open()) {
            List<Repository.SnapshotRef> live = new ArrayList<>(repo.liveSnapshots());
            if (live.size() < 4 || r.nextInt(3) == 0) {
                return;
            }
            Collections.shuffle(live, r);
            List<Id> pick = new ArrayList<>();
            for (Repository.SnapshotRef s : live.subList(0, 1 + r.nextInt(2))) {
                long samePaths = live.stream().filter(o -> o.snapshot().paths().equals(s.snapshot().paths())).count();
                if (samePaths > 1) {
                    pick.add(s.id());
                }
            }
            if (!pick.isEmpty()) {
                new SoftDelete(repo).forget(pick, f.clock.instant());
            }
        }
    }

    /**
     * One prune through a flaky backend, crashed at a random moment one time in four. Returns the packs it deleted,
     * -1 if it crashed, -2 if another prune's lock stopped it (a crashed one's, until it is found dead).
     */
    private static int prune(RetentionFixture f, Random r, ScheduledExecutorService crasher) throws Exception {
        boolean crash = r.nextInt(4) == 0;
        long seed = r.nextLong();
        CrashingBackend[] crashing = new CrashingBackend[1];
        String window = r.nextBoolean() ? "0d" : "30d";
        try (Repository repo = f.open(b -> {
            crashing[0] = new CrashingBackend(flaky(b, seed));
            return crashing[0];
        })) {
            if (crash) {
                crasher.schedule(crashing[0]::crash, 1 + r.nextInt(150), TimeUnit.MILLISECONDS);
            }
            return new Pruner(repo, RetentionFixture.pruneOptions(window, 20 + r.nextInt(60), false), n -> { })
                    .prune().packsDeleted();
        } catch (IOException e) {
            if (crashing[0] != null && crashing[0].crashed()) {
                return -1;
            }
            throw e;
        } catch (VaultBusyException e) {
            return -2;
        }
    }
}
