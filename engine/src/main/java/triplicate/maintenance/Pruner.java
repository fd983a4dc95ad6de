package triplicate.maintenance;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.core.AppendOnlyException;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.core.VaultBusyException;
import triplicate.crypto.IdHasher;
import triplicate.policy.CalendarDuration;
import triplicate.policy.RecoveryWindow;
import triplicate.repository.LockFolder;
import triplicate.repository.Repository;
import triplicate.repository.Session;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Deletes what no snapshot needs any more, while backups keep running (docs/design/retention.md has the protocol
 * and the argument that it loses nothing). One run:
 *
 * <ol>
 *   <li>takes the maintenance lock (a heartbeat marker; another live prune makes this one stop);</li>
 *   <li>arms pending plans (lists the sessions in progress after them);</li>
 *   <li>finds the plans that are ready: every session that was in progress when the plan was armed has ended, or
 *       has been seen not to advance its marker for {@link Options#patience()} (a crashed process);</li>
 *   <li>lists every snapshot and walks the trees of those that stay (live ones, and forgotten ones inside the
 *       recovery window) to collect every blob they reference; refuses to delete anything if a snapshot or a tree
 *       cannot be read, or a pack that the index names is missing or truncated;</li>
 *   <li>removes the snapshot files whose recovery window has passed;</li>
 *   <li>deletes the packs of ready plans, except those holding a referenced blob with no copy elsewhere: first the
 *       index files are rewritten without them, then the packs are deleted;</li>
 *   <li>plans anew: packs with no referenced blob, and packs with at least {@link Options#repackUnusedPercent()}%
 *       of unused bytes whose referenced blobs it first copies into new packs (indexed before anything else), are
 *       saved as a plan, and when no session is in progress that plan is carried out at once.</li>
 * </ol>
 *
 * Nothing waits for a backup to end: a plan whose sessions are still running is carried out by a later prune.
 */
public final class Pruner {
    /**
     * How prune runs. {@code recoveryWindow}: how long forgotten snapshots stay recoverable. {@code patience}: how
     * long a marker must stand still before its owner counts as crashed (several heartbeats of every writer);
     * {@code poll}: how often markers are listed while watching them.
     */
    public record Options(CalendarDuration recoveryWindow, int repackUnusedPercent, boolean dryRun, Duration patience,
                          Duration poll) {
        /** The default patience: five heartbeats of one minute. */
        public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(5);
        public static final int DEFAULT_REPACK_UNUSED_PERCENT = 50;

        public Options {
            if (recoveryWindow == null) {
                recoveryWindow = RecoveryWindow.DEFAULT;
            }
            if (repackUnusedPercent < 1 || repackUnusedPercent > 100) {
                throw new IllegalArgumentException("the repack threshold is a percentage from 1 to 100, not "
                        + repackUnusedPercent);
            }
            if (patience == null) {
                patience = DEFAULT_PATIENCE;
            }
            if (poll == null) {
                poll = Duration.ofMillis(Math.max(1, Math.min(5000, patience.toMillis() / 20)));
            }
        }

        public static Options defaults() {
            return new Options(RecoveryWindow.DEFAULT, DEFAULT_REPACK_UNUSED_PERCENT, false, DEFAULT_PATIENCE, null);
        }
    }

    /** What a prune did (or, in a dry run, would do). Bytes are stored bytes (sealed, as on the backend). */
    public record Result(boolean dryRun, int snapshotsPurged, int forgetRecordsRemoved, int packsDeleted,
                         long bytesDeleted, int packsRepacked, int blobsRewritten, long bytesRewritten,
                         int packsPlanned, long bytesPlanned, int packsWaiting, long bytesWaiting,
                         List<String> waitingFor, int staleMarkersRemoved, int indexFilesRewritten,
                         int forgottenKept, List<String> warnings) {
        public Result {
            waitingFor = List.copyOf(waitingFor);
            warnings = List.copyOf(warnings);
        }

        /** Bytes freed: deleted packs minus the new packs the copied blobs went into. */
        public long bytesFreed() {
            return bytesDeleted - bytesRewritten;
        }
    }

    private final Repository repo;
    private final Options options;
    private final Consumer<String> notes;
    private final List<String> warnings = new ArrayList<>();
    /** This run's maintenance lock (null in a dry run); checked before every batch of deletions. */
    private Session lock;
    /** Packs the index named but the storage lacks (dropped from the index, except in a dry run). */
    private Set<Id> missingPacks = Set.of();
    private final List<String> waitingFor = new ArrayList<>();
    /** Session owners seen alive (their marker advanced) or resolved (ended or dead) during this run. */
    private final Set<String> alive = new HashSet<>();
    private final Set<String> resolved = new HashSet<>();
    private int staleMarkersRemoved;
    private int snapshotsPurged;
    private int forgetRecordsRemoved;
    private int packsDeleted;
    private long bytesDeleted;
    private int packsRepacked;
    private int blobsRewritten;
    private long bytesRewritten;
    private int packsPlanned;
    private long bytesPlanned;
    private int packsWaiting;
    private long bytesWaiting;
    private int indexFilesRewritten;
    private int forgottenKept;

    /** A pruner that reports what it is waiting for through {@code notes} (one line each). */
    public Pruner(Repository repo, Options options, Consumer<String> notes) {
        this.repo = repo;
        this.options = options;
        this.notes = notes;
    }

    /** Runs one prune; see the class comment. */
    public Result prune() throws IOException {
        requireFormat2(repo, "prune");
        if (!options.dryRun()) {
            probeDeletes(repo, "prune");
            lock = acquireLock(repo, "prune", options, notes);
        }
        try {
            run();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        return new Result(options.dryRun(), snapshotsPurged, forgetRecordsRemoved, packsDeleted, bytesDeleted,
                packsRepacked, blobsRewritten, bytesRewritten, packsPlanned, bytesPlanned, packsWaiting, bytesWaiting,
                waitingFor, staleMarkersRemoved, indexFilesRewritten, forgottenKept, warnings);
    }

    // ---------------------------------------------------------------------------------------------- shared rules

    /** Refuses to delete in a format 1 vault: older versions of Triplicate write to those without markers. */
    static void requireFormat2(Repository repo, String what) {
        if (repo.formatVersion() < 2) {
            throw new TriplicateException("the vault at " + repo.backend().location() + " is in format "
                    + repo.formatVersion() + ", which older versions of Triplicate also write to without announcing"
                    + " their backups, so " + what + " could delete data such a backup is about to reference."
                    + " Once every computer that backs up into it runs this version, upgrade it with 'triplicate"
                    + " migrate' (older versions then refuse to open it)");
        }
    }

    /** Learns whether the storage allows deletes; throws {@link AppendOnlyException} if it does not. */
    static void probeDeletes(Repository repo, String what) throws IOException {
        try {
            repo.locks().probeDeletes(repo.options().random());
        } catch (AccessDeniedException e) {
            throw new AppendOnlyException("the storage of " + repo.backend().location() + " refuses deletes ("
                    + e.getMessage() + "): these credentials are append-only, which protects the vault from"
                    + " ransomware, so " + what + " cannot run with them. Backups work as usual; run " + what
                    + " from a computer with credentials that may delete (see docs/design/retention.md)", e);
        }
    }

    /**
     * Takes the maintenance lock: saves this process's marker, then looks for other prunes. A live one (its marker
     * advances) makes this one stop with {@link VaultBusyException}; one whose marker stands still for the patience
     * crashed, and its marker is removed.
     */
    static Session acquireLock(Repository repo, String activity, Options options, Consumer<String> notes)
            throws IOException {
        Session mine = repo.startMaintenanceLock(activity);
        try {
            Map<String, Long> others = new TreeMap<>(repo.locks().newestMarkers(LockFolder.PRUNE));
            others.remove(mine.owner());
            if (!others.isEmpty()) {
                List<String> who = describe(repo, LockFolder.PRUNE, others);
                notes.accept("another maintenance lock is in the vault (" + String.join("; ", who) + "); watching it for"
                        + " up to " + human(options.patience()) + " to tell whether its owner is alive");
                Watch w = watch(repo, LockFolder.PRUNE, others, options);
                if (!w.alive().isEmpty()) {
                    throw new VaultBusyException("another prune, undelete or heal is running on this vault ("
                            + String.join("; ", who) + "); run this one when it has finished");
                }
                for (String dead : w.dead()) {
                    declareDead(repo, LockFolder.PRUNE, dead);
                }
            }
            return mine;
        } catch (IOException | RuntimeException e) {
            mine.close();
            throw e;
        }
    }

    /** What {@link #watch} saw: owners whose marker advanced, whose marker went away, whose marker stood still. */
    record Watch(Set<String> alive, Set<String> ended, Set<String> dead) {
    }

    /**
     * Lists the markers of {@code kind} until each owner of {@code baseline} (owner → generation seen) has advanced
     * its marker or removed it, or {@link Options#patience()} has passed (measured by this process's monotonic
     * clock, so no two machines' clocks are compared).
     */
    static Watch watch(Repository repo, String kind, Map<String, Long> baseline, Options options) throws IOException {
        Set<String> alive = new TreeSet<>();
        Set<String> ended = new TreeSet<>();
        Map<String, Long> still = new TreeMap<>(baseline);
        long deadline = System.nanoTime() + options.patience().toNanos();
        while (!still.isEmpty()) {
            Map<String, Long> now = repo.locks().newestMarkers(kind);
            for (var it = still.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Long gen = now.get(e.getKey());
                if (gen == null) {
                    ended.add(e.getKey());
                    it.remove();
                } else if (gen > e.getValue()) {
                    alive.add(e.getKey());
                    it.remove();
                }
            }
            if (still.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(options.poll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while watching markers");
            }
        }
        return new Watch(alive, ended, new TreeSet<>(still.keySet()));
    }

    /**
     * Records that {@code owner} is dead, then removes its markers (listed after the record is stored, so any
     * generation it saves later finds the record); returns how many markers were removed.
     */
    static int declareDead(Repository repo, String kind, String owner) throws IOException {
        repo.locks().saveDeadRecord(owner, repo.options().clock().instant(), repo.options().host());
        return repo.locks().removeMarkers(kind, owner);
    }

    static List<String> describe(Repository repo, String kind, Map<String, Long> owners) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : owners.entrySet()) {
            LockFolder.MarkerInfo info = repo.locks().describe(new LockFolder.MarkerName(kind, e.getKey(), e.getValue()));
            out.add(info == null ? kind + " " + e.getKey()
                    : info.activity() + " on " + info.host() + " (pid " + info.pid() + ", started " + info.started()
                    + " by its clock)");
        }
        return out;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 120 ? (s / 60) + " min" : s >= 1 ? s + " s" : d.toMillis() + " ms";
    }

    // ---------------------------------------------------------------------------------------------- one run

    private void run() throws IOException {
        LockFolder locks = repo.locks();
        Instant now = repo.options().clock().instant();

        // 1. arm pending plans: the sessions listed now were in progress when the plan became visible, or later
        List<LockFolder.Plan> plans = new ArrayList<>();
        List<String> damagedPlans = new ArrayList<>();
        Set<String> armedNow = new HashSet<>();
        for (LockFolder.Plan p : locks.plans((name, e) -> {
            damagedPlans.add(name);
            warn("plan " + name + " is damaged (" + e.getMessage() + "): nobody can carry it out, so its packs stay"
                    + (options.dryRun() ? "" : "; the plan was removed"));
        })) {
            if (p.armed() || options.dryRun()) {
                plans.add(p);
            } else {
                Map<String, Long> sessions = locks.newestMarkers(LockFolder.SESSION);
                String armed = locks.savePlan(p.created(), p.host(), p.packs(), sessions);
                locks.remove(p.name());
                plans.add(new LockFolder.Plan(armed, p.created(), p.host(), p.packs(), sessions));
                armedNow.add(armed);
            }
        }
        if (!options.dryRun()) {
            for (String name : damagedPlans) {
                locks.remove(name);
            }
            for (String probe : locks.probes()) {
                locks.remove(probe); // left by forget or prune refused on append-only storage
            }
        }

        // 2. which plans are ready: every session in progress when each was armed has ended or is dead
        List<LockFolder.Plan> ready = readyPlans(plans, armedNow);

        // 3. what stays, and everything it references (read after the readiness above)
        Account account = account(now);
        Map<Id, Long> stored = account.stored();

        // 4. purge the snapshots whose recovery window has passed (their data is deleted below or by a later run)
        if (!options.dryRun()) {
            stillLocked();
            for (Id id : account.expired()) {
                repo.removeSnapshotFile(id);
            }
            for (LockFolder.ForgetRecord r : account.spentRecords()) {
                locks.remove(r.name());
                forgetRecordsRemoved++;
            }
        }
        snapshotsPurged = account.expired().size();

        // 5. carry out the ready plans
        if (!ready.isEmpty()) {
            Set<Id> candidates = new TreeSet<>();
            ready.forEach(p -> candidates.addAll(p.packs()));
            deleteCandidates(candidates, account.references(), stored);
            if (!options.dryRun()) {
                for (LockFolder.Plan p : ready) {
                    locks.remove(p.name());
                }
            }
            plans.removeAll(ready);
        }
        for (LockFolder.Plan p : plans) {
            for (Id pack : p.packs()) {
                Long size = stored.get(pack);
                if (size != null) {
                    packsWaiting++;
                    bytesWaiting += size;
                }
            }
        }

        // 6. plan anew
        planAndCarryOut(account, stored, now);

        // 7. forget dead owners a month on (an owner frozen that long and waking finds its markers gone anyway)
        if (!options.dryRun()) {
            Set<String> owners = new HashSet<>(locks.newestMarkers(LockFolder.SESSION).keySet());
            owners.addAll(locks.newestMarkers(LockFolder.PRUNE).keySet());
            for (LockFolder.DeadRecord d : locks.deadRecords()) {
                if (!owners.contains(d.owner()) && d.time() != Instant.MAX
                        && RecoveryWindow.expired(d.time(), now, account.vaultNewest(), DEAD_RECORDS_KEPT)) {
                    locks.remove(LockFolder.DEAD + "-" + d.owner());
                }
            }
        }
    }

    /** How long a dead record stays (see {@link LockFolder}). */
    static final CalendarDuration DEAD_RECORDS_KEPT = new CalendarDuration(0, 0, 0, 30, 0);

    /** Fails if another prune took this one for dead while it was frozen: it must not delete on stale decisions. */
    private void stillLocked() throws IOException {
        if (lock != null) {
            lock.ensureAlive();
        }
    }

    /**
     * The armed plans all of whose sessions have ended or are dead. A session whose marker has not advanced since
     * its plan was armed in an earlier run is watched (its process may have died); one that advanced is alive.
     */
    private List<LockFolder.Plan> readyPlans(List<LockFolder.Plan> plans, Set<String> armedNow) throws IOException {
        Map<String, Long> sessions = repo.locks().newestMarkers(LockFolder.SESSION);
        Map<String, Long> toWatch = new TreeMap<>();
        for (LockFolder.Plan p : plans) {
            if (!p.armed()) {
                continue;
            }
            for (Map.Entry<String, Long> w : p.waitFor().entrySet()) {
                Long gen = sessions.get(w.getKey());
                if (gen == null) {
                    resolved.add(w.getKey());
                } else if (gen > w.getValue()) {
                    alive.add(w.getKey()); // it advanced since the plan was armed: alive
                } else if (!armedNow.contains(p.name())) {
                    toWatch.put(w.getKey(), gen);
                }
            }
        }
        toWatch.keySet().removeAll(alive);
        toWatch.keySet().removeAll(resolved);
        if (!toWatch.isEmpty() && !options.dryRun()) {
            notes.accept("watching " + toWatch.size() + " session marker(s) for up to " + human(options.patience())
                    + " to tell whether their backups are alive: " + String.join("; ",
                    describe(repo, LockFolder.SESSION, toWatch)));
            Watch w = watch(repo, LockFolder.SESSION, toWatch, options);
            alive.addAll(w.alive());
            resolved.addAll(w.ended());
            for (String dead : w.dead()) {
                staleMarkersRemoved += declareDead(repo, LockFolder.SESSION, dead);
                resolved.add(dead);
                notes.accept("session " + dead + " did not advance its marker for " + human(options.patience())
                        + ": its process is gone; marker removed");
            }
        }
        List<LockFolder.Plan> ready = new ArrayList<>();
        Set<String> blocking = new TreeSet<>();
        for (int i = 0; i < plans.size(); i++) {
            LockFolder.Plan p = plans.get(i);
            if (!p.armed()) {
                continue;
            }
            Set<String> open = new TreeSet<>(p.waitFor().keySet());
            open.removeAll(resolved);
            if (open.isEmpty()) {
                ready.add(p);
                continue;
            }
            blocking.addAll(open);
            // A session that advanced since the plan was armed was alive then, but may have died since: save the
            // plan again with the generations seen now, so that the next prune can tell whether they still move.
            Map<String, Long> seen = new TreeMap<>();
            for (String owner : open) {
                Long gen = sessions.get(owner);
                if (gen != null) {
                    seen.put(owner, gen);
                }
            }
            if (!options.dryRun() && !armedNow.contains(p.name()) && !seen.equals(p.waitFor())) {
                String again = repo.locks().savePlan(p.created(), p.host(), p.packs(), seen);
                repo.locks().remove(p.name());
                plans.set(i, new LockFolder.Plan(again, p.created(), p.host(), p.packs(), seen));
            }
        }
        if (!blocking.isEmpty()) {
            Map<String, Long> b = new TreeMap<>();
            for (String owner : blocking) {
                Long gen = sessions.get(owner);
                if (gen != null) {
                    b.put(owner, gen);
                }
            }
            waitingFor.addAll(describe(repo, LockFolder.SESSION, b));
        }
        return ready;
    }

    /** Size of every pack stored now. */
    private Map<Id, Long> storedPacks() throws IOException {
        Map<Id, Long> out = new HashMap<>();
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            try {
                out.put(Id.parse(f.name()), f.size());
            } catch (IllegalArgumentException e) {
                // not a pack name: not ours to touch
            }
        }
        return out;
    }

    /** The snapshots that stay and what they reference; the ones whose window has passed. */
    private record Account(BlobIdSet references, Set<Id> walked, List<Id> expired,
                           List<LockFolder.ForgetRecord> spentRecords, Instant vaultNewest, Map<Id, Long> stored) {
    }

    /**
     * Lists the snapshots, then reads the plans, the index and the packs: in that order, since a backup stores its
     * packs and index files before its snapshot, so every snapshot listed has its blobs in the index read after.
     */
    private Account account(Instant now) throws IOException {
        Map<String, RuntimeException> damagedSnapshots = new LinkedHashMap<>();
        List<Repository.SnapshotRef> all = repo.listSnapshots(Repository.Selection.ALL, damagedSnapshots::put);
        repo.refreshRetention();
        Map<Id, Long> stored = storedPacks();
        List<LockFolder.ForgetRecord> records = repo.locks().forgetRecords((name, e) -> warn("forget record " + name
                + " is damaged (" + e.getMessage() + "): the snapshots it names count as live"));
        Map<Id, Instant> forgotten = new HashMap<>();
        Instant vaultNewest = Instant.EPOCH;
        for (LockFolder.ForgetRecord r : records) {
            for (Id id : r.snapshots()) {
                forgotten.merge(id, r.time(), (a, b) -> a.isAfter(b) ? a : b);
            }
            vaultNewest = r.time().isAfter(vaultNewest) ? r.time() : vaultNewest;
        }
        Set<Id> existing = new HashSet<>();
        for (Repository.SnapshotRef s : all) {
            existing.add(s.id());
            vaultNewest = s.snapshot().time().isAfter(vaultNewest) ? s.snapshot().time() : vaultNewest;
        }
        List<Id> expired = new ArrayList<>();
        Set<Id> expiredSet = new HashSet<>();
        for (Map.Entry<Id, Instant> f : forgotten.entrySet()) {
            if (RecoveryWindow.expired(f.getValue(), now, vaultNewest, options.recoveryWindow())) {
                expiredSet.add(f.getKey());
            } else if (RecoveryWindow.expired(f.getValue(), now, now, options.recoveryWindow())) {
                forgottenKept++; // past the window by this clock, not yet by the vault's newest record
            }
        }
        List<String> refusals = new ArrayList<>();
        for (Map.Entry<String, RuntimeException> d : damagedSnapshots.entrySet()) {
            Id id = parseOrNull(d.getKey());
            if (id != null && expiredSet.contains(id)) {
                expired.add(id); // forgotten and past its window: nobody needs it, damaged or not
                existing.add(id);
            } else {
                refusals.add("snapshot " + d.getKey().substring(0, Math.min(8, d.getKey().length())) + " cannot be read ("
                        + d.getValue().getMessage() + "), so what it references is unknown");
            }
        }
        List<Repository.SnapshotRef> staying = new ArrayList<>();
        for (Repository.SnapshotRef s : all) {
            if (expiredSet.contains(s.id())) {
                expired.add(s.id());
            } else {
                staying.add(s);
            }
        }
        expired.sort(null);
        if (forgottenKept > 0) {
            warn(forgottenKept + " forgotten snapshot(s) are past the recovery window by this computer's clock, but the"
                    + " vault's newest snapshot or forget (" + vaultNewest + ") is not yet: they stay until a later"
                    + " backup or forget moves it on (or prune with --recovery-window 0d)");
        }
        // every pack the index names must be there, whole. A truncated pack is damage: another pack may hold the
        // only intact copy of what it holds, so nothing is deleted. A missing one is gone either way: its entries
        // are dropped (an index file that a crash brought back names packs long deleted), and if a snapshot needs a
        // blob that then has no copy left, the walk below finds it and refuses.
        Map<Id, Long> needed = new HashMap<>();
        for (PackedBlob b : repo.index().all()) {
            needed.merge(b.pack(), b.offset() + b.length(), Math::max);
        }
        Set<Id> missingPacks = new TreeSet<>();
        for (Map.Entry<Id, Long> e : needed.entrySet()) {
            Long size = stored.get(e.getKey());
            if (repo.index().isRetiring(e.getKey())) {
                continue; // a plan's pack, perhaps deleted already by an interrupted prune
            }
            if (size == null) {
                missingPacks.add(e.getKey());
            } else if (size < e.getValue() + 32) {
                refusals.add("pack " + e.getKey().shortHex() + " is truncated (" + size + " bytes, at least "
                        + (e.getValue() + 32) + " expected)");
            }
        }
        if (!refusals.isEmpty()) {
            throw refusal(refusals);
        }
        this.missingPacks = missingPacks;
        BlobIdSet refs = new BlobIdSet();
        Set<Id> walked = new HashSet<>();
        Set<Id> trees = new HashSet<>();
        int[] missing = new int[1];
        for (Repository.SnapshotRef s : staying) {
            walked.add(s.id());
            walk(s.id(), s.snapshot(), refs, trees, missing, refusals);
            if (refusals.size() > 20) {
                break;
            }
        }
        if (missing[0] > 0) {
            refusals.add(missing[0] + " blob(s) that snapshots reference are in no index or only in a missing pack"
                    + (missingPacks.isEmpty() ? "" : " (missing: " + String.join(", ", missingPacks.stream().limit(5)
                    .map(Id::shortHex).toList()) + (missingPacks.size() > 5 ? ", …" : "") + ")")
                    + ", or in packs that a backup has not re-indexed yet");
        }
        if (!refusals.isEmpty()) {
            throw refusal(refusals);
        }
        if (!missingPacks.isEmpty()) {
            // nothing that stays needs them: drop their entries (an index file a crash brought back names packs
            // deleted long ago); if the storage only hid them for a moment, the next backup re-indexes them
            warn(missingPacks.size() + " pack(s) named by the index are missing from the storage, and no snapshot"
                    + " that stays needs them (" + String.join(", ", missingPacks.stream().limit(5).map(Id::shortHex)
                    .toList()) + (missingPacks.size() > 5 ? ", …" : "") + (options.dryRun()
                    ? "); prune would drop them from the index" : "); dropped from the index"));
            if (!options.dryRun()) {
                indexFilesRewritten += repo.dropFromIndex(missingPacks);
            }
        }
        List<LockFolder.ForgetRecord> spent = new ArrayList<>();
        for (LockFolder.ForgetRecord r : records) {
            if (r.snapshots().stream().noneMatch(existing::contains)) {
                spent.add(r); // every snapshot it names was purged by an earlier run
            }
        }
        return new Account(refs, walked, expired, spent, vaultNewest, stored);
    }

    private TriplicateException refusal(List<String> refusals) {
        return new TriplicateException("prune deletes nothing: it cannot account for everything in the vault at "
                + repo.backend().location() + ":\n  " + String.join("\n  ", refusals.subList(0,
                Math.min(20, refusals.size()))) + (refusals.size() > 20 ? "\n  …" : "")
                + "\nRun 'triplicate check --read-data' to see what is damaged; prune runs again once every"
                + " snapshot it keeps can be read in full");
    }

    private static Id parseOrNull(String name) {
        try {
            return Id.parse(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Adds every blob under the snapshot to {@code refs}; trees already walked are skipped. */
    private void walk(Id snapshotId, Snapshot s, BlobIdSet refs, Set<Id> trees, int[] missing, List<String> refusals)
            throws IOException {
        java.util.ArrayDeque<Id> todo = new java.util.ArrayDeque<>();
        if (s.tree() == null) {
            refusals.add("snapshot " + snapshotId.shortHex() + " names no tree");
            return;
        }
        todo.push(s.tree());
        while (!todo.isEmpty()) {
            Id t = todo.pop();
            if (!trees.add(t)) {
                continue;
            }
            refs.add(t);
            Tree tree;
            try {
                tree = repo.loadTreeUncached(t);
            } catch (TriplicateException e) {
                // damage (missing pack, failed authentication, not indexed); an I/O failure propagates: it is no
                // evidence about the vault, and prune stops
                refusals.add("snapshot " + snapshotId.shortHex() + ": tree " + t.shortHex() + " cannot be read ("
                        + e.getMessage() + ")");
                continue;
            }
            for (Node n : tree.nodes()) {
                if (n.type() == NodeType.DIR && n.subtree() != null) {
                    todo.push(n.subtree());
                } else if (n.content() != null) {
                    for (Id c : n.content()) {
                        if (refs.add(c)) {
                            PackedBlob where = repo.index().get(c);
                            if (where == null || missingPacks.contains(where.pack())) {
                                missing[0]++;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Deletes {@code candidates} (packs of ready plans), keeping any that holds the only remaining copy of a
     * referenced blob: the index prefers a location outside the retiring packs, so a referenced blob whose chosen
     * location is a candidate has no copy outside the retiring packs. Index files first, then the packs.
     */
    private void deleteCandidates(Set<Id> candidates, BlobIdSet refs, Map<Id, Long> stored) throws IOException {
        Set<Id> delete = new TreeSet<>(candidates);
        int kept = 0;
        for (PackedBlob b : repo.index().all()) {
            if (delete.contains(b.pack()) && refs.mightContain(b.id())) {
                delete.remove(b.pack());
                kept++;
            }
        }
        if (kept > 0) {
            warn(kept + " pack(s) marked for deletion hold blobs that snapshots reference again (a snapshot written or"
                    + " undeleted since they were marked): they stay");
        }
        long bytes = 0;
        int count = 0;
        for (Id p : delete) {
            Long size = stored.get(p);
            if (size != null) {
                bytes += size;
                count++;
            }
        }
        if (!options.dryRun() && !delete.isEmpty()) {
            stillLocked();
            indexFilesRewritten += repo.dropFromIndex(delete);
            stillLocked();
            for (Id p : delete) {
                repo.removePack(p);
            }
        }
        packsDeleted += count;
        bytesDeleted += bytes;
    }

    /** Chooses new candidates, copies the referenced blobs out of mostly unused packs, saves and arms a plan. */
    private void planAndCarryOut(Account account, Map<Id, Long> stored, Instant now) throws IOException {
        if (!options.dryRun()) {
            repo.refreshRetention(); // the plans carried out above are gone: their kept packs are ordinary again
        }
        Map<Id, Long> used = new HashMap<>();
        Map<Id, List<PackedBlob>> byPack = new HashMap<>();
        for (PackedBlob b : repo.index().all()) {
            if (repo.index().isRetiring(b.pack())) {
                continue;
            }
            byPack.computeIfAbsent(b.pack(), k -> new ArrayList<>()).add(b);
            if (account.references().mightContain(b.id())) {
                used.merge(b.pack(), (long) b.length(), Long::sum);
            }
        }
        List<Id> unused = new ArrayList<>();
        List<Id> sparse = new ArrayList<>();
        for (Id p : new TreeSet<>(repo.index().packs())) {
            Long size = stored.get(p);
            if (size == null || repo.index().isRetiring(p)) {
                continue;
            }
            long u = used.getOrDefault(p, 0L);
            if (u == 0) {
                unused.add(p);
            } else if ((size - u) * 100 >= (long) options.repackUnusedPercent() * size) {
                sparse.add(p);
            }
        }
        List<Id> candidates = new ArrayList<>(unused);
        if (options.dryRun()) {
            candidates.addAll(sparse);
            packsRepacked = sparse.size();
            for (Id p : sparse) {
                bytesRewritten += used.getOrDefault(p, 0L);
                blobsRewritten += (int) byPack.getOrDefault(p, List.of()).stream()
                        .filter(b -> account.references().mightContain(b.id())).count();
            }
        } else {
            candidates.addAll(repack(sparse, byPack, account.references()));
        }
        for (Id p : candidates) {
            packsPlanned++;
            bytesPlanned += stored.getOrDefault(p, 0L);
        }
        if (candidates.isEmpty() || options.dryRun()) {
            return;
        }
        LockFolder locks = repo.locks();
        String pending = locks.savePlan(now, repo.options().host(), candidates, null);
        Map<String, Long> sessions = locks.newestMarkers(LockFolder.SESSION);
        String armed = locks.savePlan(now, repo.options().host(), candidates, sessions);
        locks.remove(pending);
        if (!sessions.isEmpty()) {
            // sessions that may not have seen the plan: a later prune deletes its packs once they have ended
            packsWaiting += candidates.size();
            bytesWaiting += bytesPlanned;
            for (String d : describe(repo, LockFolder.SESSION, sessions)) {
                if (!waitingFor.contains(d)) {
                    waitingFor.add(d);
                }
            }
            return;
        }
        // nobody was in progress when the plan became visible: every session from now on sees it. Snapshots saved
        // since the walk (by sessions that have ended) may reference candidates: walk them too, then delete.
        List<String> refusals = new ArrayList<>();
        Map<String, RuntimeException> damaged = new LinkedHashMap<>();
        BlobIdSet refs = account.references();
        Set<Id> trees = new HashSet<>();
        int[] missing = new int[1];
        List<Repository.SnapshotRef> now2 = repo.listSnapshots(Repository.Selection.ALL, damaged::put);
        repo.refreshRetention(); // after the listing: the index holds every blob of the snapshots listed
        for (Repository.SnapshotRef s : now2) {
            if (!account.walked().contains(s.id()) && !account.expired().contains(s.id())) {
                walk(s.id(), s.snapshot(), refs, trees, missing, refusals);
            }
        }
        damaged.forEach((name, e) -> {
            Id id = parseOrNull(name);
            if (id == null || !account.expired().contains(id)) {
                refusals.add("snapshot " + name.substring(0, Math.min(8, name.length())) + " cannot be read");
            }
        });
        if (!refusals.isEmpty()) {
            warn("a snapshot saved during this prune cannot be read in full (" + refusals.get(0) + "): the packs just"
                    + " marked stay until a later prune can account for it");
            packsWaiting += candidates.size();
            bytesWaiting += bytesPlanned;
            return;
        }
        deleteCandidates(new TreeSet<>(candidates), refs, stored);
        locks.remove(armed);
    }

    /**
     * Copies the referenced blobs of {@code sparse} packs into new packs, after reading and verifying each pack in
     * full; returns the packs whose blobs were all copied (a pack with a blob that fails verification stays, with a
     * warning). The new packs and their index are stored before this returns.
     */
    private List<Id> repack(List<Id> sparse, Map<Id, List<PackedBlob>> byPack, BlobIdSet refs) throws IOException {
        List<Id> done = new ArrayList<>();
        if (sparse.isEmpty()) {
            return done;
        }
        IdHasher hasher = repo.newIdHasher();
        byte[] buffer = new byte[0];
        long writtenBefore = repo.writeStats().packBytesWritten();
        for (Id p : sparse) {
            Long size = null;
            try {
                size = repo.backend().stat(new Handle(FileType.PACK, p.hex())).size();
            } catch (NoSuchFileException e) {
                warn("pack " + p.shortHex() + " vanished before it could be repacked");
                continue;
            }
            if (size > Integer.MAX_VALUE - 16) {
                warn("pack " + p.shortHex() + " is too large to repack (" + size + " bytes); it stays");
                continue;
            }
            if (buffer.length < size) {
                buffer = new byte[(int) Math.max(size, repo.config().packSize() + 64 * 1024)];
            }
            repo.backend().load(new Handle(FileType.PACK, p.hex()), 0, buffer, 0, (int) (long) size);
            List<PackedBlob> keep = new ArrayList<>();
            String damage = null;
            for (PackedBlob b : byPack.getOrDefault(p, List.of())) {
                if (!refs.mightContain(b.id())) {
                    continue;
                }
                if (b.offset() + b.length() > size) {
                    damage = "blob " + b.id().shortHex() + " lies beyond the end of the pack";
                    break;
                }
                try {
                    byte[] plain = repo.openBlob(b, buffer, (int) b.offset());
                    if (!hasher.id(plain, 0, plain.length).equals(b.id())) {
                        damage = "blob " + b.id().shortHex() + " does not hash to its id";
                        break;
                    }
                } catch (TriplicateException e) {
                    damage = "blob " + b.id().shortHex() + ": " + e.getMessage();
                    break;
                }
                keep.add(b);
            }
            if (damage != null) {
                warn("pack " + p.shortHex() + " is damaged (" + damage + "): it is not repacked and stays; run"
                        + " 'triplicate check --read-data'");
                continue;
            }
            repo.index().retire(Set.of(p)); // its blobs no longer count as stored, so they are stored again
            for (PackedBlob b : keep) {
                if (repo.copyBlob(b, buffer, (int) b.offset())) {
                    blobsRewritten++;
                }
            }
            done.add(p);
            packsRepacked++;
        }
        repo.flush();
        bytesRewritten += repo.writeStats().packBytesWritten() - writtenBefore;
        return done;
    }

    private void warn(String message) {
        warnings.add(message);
    }
}
