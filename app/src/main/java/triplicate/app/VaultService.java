package triplicate.app;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import triplicate.archiver.Archiver;
import triplicate.archiver.BackupOptions;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.wrap.RateLimitedBackend;
import triplicate.backend.local.LocalBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.core.ConfirmationRequiredException;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.core.VaultNotFoundException;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.maintenance.Pruner;
import triplicate.maintenance.SoftDelete;
import triplicate.maintenance.SnapshotDiff;
import triplicate.maintenance.TreeWalker;
import triplicate.maintenance.VaultStats;
import triplicate.repository.Repository;
import triplicate.policy.CalendarDuration;
import triplicate.policy.KeepDecision;
import triplicate.policy.GroupBy;
import triplicate.policy.GroupDecision;
import triplicate.policy.GroupKey;
import triplicate.policy.RecoveryWindow;
import triplicate.policy.Retention;
import triplicate.policy.RetentionPolicy;
import triplicate.policy.SnapshotInfo;
import triplicate.repository.RepositoryOptions;
import triplicate.repository.Session;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;
import triplicate.snapshot.Snapshot;

/** The vault use cases. One instance per process; thread-safe (it holds no state besides its options). */
public final class VaultService {
    /** The vault format version this build writes. */
    public static final int FORMAT_VERSION = triplicate.repository.VaultConfig.VERSION;

    /** A temporary file in a local vault older than this is a crash's leftover, not a save in progress. */
    public static final Duration STALE_TEMP_FILES = Duration.ofDays(1);

    private final InstantSource clock;
    private final SecureRandom random;
    private final String host;
    private final String username;
    private final Map<String, String> env;
    private final Duration heartbeat;

    public VaultService(InstantSource clock, SecureRandom random, String host, String username) {
        this(clock, random, host, username, System.getenv());
    }

    /**
     * A service whose network backends take their settings and credentials (e.g. {@code AWS_ACCESS_KEY_ID}) from
     * {@code env} rather than from the process environment.
     */
    public VaultService(InstantSource clock, SecureRandom random, String host, String username,
                        Map<String, String> env) {
        this(clock, random, host, username, env, RepositoryOptions.DEFAULT_HEARTBEAT);
    }

    private VaultService(InstantSource clock, SecureRandom random, String host, String username,
                         Map<String, String> env, Duration heartbeat) {
        this.clock = clock;
        this.random = random;
        this.host = host;
        this.username = username;
        this.env = Map.copyOf(env);
        this.heartbeat = heartbeat;
    }

    /**
     * The same service, with vaults opened by it refreshing their markers every {@code interval} (tests make it
     * short; prune's patience must stay several times the heartbeat of every process writing to the vault).
     */
    public VaultService withHeartbeat(Duration interval) {
        return new VaultService(clock, random, host, username, env, interval);
    }

    /** The service for this machine: system clock, strong randomness, this host and user, the process environment. */
    public static VaultService forThisMachine() {
        return forThisMachine(System.getenv());
    }

    /** {@link #forThisMachine()} with backend settings and credentials from {@code env}. */
    public static VaultService forThisMachine(Map<String, String> env) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return new VaultService(InstantSource.system(), new SecureRandom(), host, System.getProperty("user.name"), env);
    }

    public String host() {
        return host;
    }

    /** Settings for a new vault; nulls mean defaults. */
    public record InitSettings(KdfParams kdf, Integer packSize, ChunkerParams chunkSizes) {
        public static InitSettings defaults() {
            return new InitSettings(null, null, null);
        }
    }

    /** Options for a vault on {@code backend}: as many pack uploads at once as the backend serves well. */
    private RepositoryOptions options(Backend backend) {
        return new RepositoryOptions(random, clock, KdfParams.defaults(), RepositoryOptions.DEFAULT_PACK_SIZE,
                Math.max(1, backend.parallelism()), host, username, null, heartbeat);
    }

    public Vault init(String location, Password password, InitSettings s) throws IOException {
        Backend backend = Backends.create(location, env);
        RepositoryOptions o;
        try {
            o = options(backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        if (s.kdf() != null) {
            o = o.withKdf(s.kdf());
        }
        if (s.packSize() != null) {
            o = o.withPackSize(s.packSize());
        }
        if (s.chunkSizes() != null) {
            o = o.withChunkerSizes(s.chunkSizes());
        }
        try {
            return new Vault(Repository.init(backend, password, o));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Creates a vault that cuts files into chunks exactly as {@code chunkerOf} does (same chunk sizes and chunker
     * seed; the seed stays secret, sealed in the new vault's config like any other): then {@code copy} between the
     * two moves chunks as they are instead of cutting every file again. {@code s.chunkSizes()} is ignored.
     */
    public Vault init(String location, Password password, InitSettings s, Vault chunkerOf) throws IOException {
        if (chunkerOf == null) {
            return init(location, password, s);
        }
        Backend backend = Backends.create(location, env);
        try {
            RepositoryOptions o = options(backend);
            if (s.kdf() != null) {
                o = o.withKdf(s.kdf());
            }
            if (s.packSize() != null) {
                o = o.withPackSize(s.packSize());
            }
            return new Vault(Repository.init(backend, password, o, chunkerOf.repository().config().chunkerParams()));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    public Vault open(String location, Password password) throws IOException {
        return open(location, password, 0, 0);
    }

    /** Opens a vault with bandwidth caps in KiB/s for uploads and downloads (0: none). */
    public Vault open(String location, Password password, long limitUploadKiBps, long limitDownloadKiBps)
            throws IOException {
        Backend backend;
        try {
            backend = RateLimitedBackend.wrap(Backends.open(location, env), limitUploadKiBps, limitDownloadKiBps);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VaultNotFoundException("there is no vault at " + Backends.redact(location)
                    + " (the folder does not exist); create one with 'triplicate init'");
        }
        try {
            return new Vault(Repository.open(backend, password, options(backend)));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Backs up {@code paths}. It first deletes what crashed saves left in the vault (temporary files on disks and SFTP
     * servers, unfinished multipart uploads on S3: hidden and harmless, but each as large as a pack, and nothing else
     * ever removes them); only those older than
     * {@link #STALE_TEMP_FILES}, since another process may be saving to the same vault right now.
     */
    public BackupResult backup(Vault vault, List<Path> paths, BackupOptions options, BackupProgress progress)
            throws IOException {
        Repository repo = vault.repository();
        try {
            repo.backend().removeStaleTemporaries(clock.instant().minus(STALE_TEMP_FILES));
        } catch (IOException e) {
            // leftovers only cost space; the backup matters more
        }
        List<Path> libraries = CatalogSnapshots.libraries(paths);
        BackupOptions o = options;
        if (!libraries.isEmpty()) {
            List<String> excludes = new java.util.ArrayList<>(options.excludes());
            libraries.forEach(l -> excludes.addAll(CatalogSnapshots.excludesOf(l)));
            o = new BackupOptions(excludes, options.tags(), options.host(), options.username(), options.parent(),
                    options.force(), options.workers(), options.clock());
        }
        return new Archiver(repo, o, progress).backup(paths);
    }

    /**
     * The catalog of a library, saved into a vault after a backup of the library: as snapshot {@code snapshot}, or
     * not, and then {@code problem} says why.
     */
    public record CatalogSaved(Path library, Id snapshot, String problem) {
    }

    /**
     * As {@link #backup(Vault, List, BackupOptions, BackupProgress)} (which leaves each library's live catalog out of
     * the snapshot), and then, for each of {@code paths} that is a library with a catalog, {@link #saveCatalog}. What
     * became of each catalog is handed to {@code catalogs}; a catalog that could not be saved does not undo the backup.
     */
    public BackupResult backup(Vault vault, List<Path> paths, BackupOptions options, BackupProgress progress,
                               java.util.function.Consumer<CatalogSaved> catalogs) throws IOException {
        BackupResult result = backup(vault, paths, options, progress);
        for (Path library : CatalogSnapshots.libraries(paths)) {
            catalogs.accept(saveCatalog(vault, library, options));
        }
        return result;
    }

    /**
     * Saves a consistent copy of {@code library}'s catalog into the vault as a snapshot of its own (tagged
     * {@code triplicate-catalog}), so that the vault alone is enough to recover the library with its catalog
     * ({@code recover}). Never throws for the catalog's sake: a copy that could not be made or saved is reported in
     * the result.
     */
    public CatalogSaved saveCatalog(Vault vault, Path library, BackupOptions options) {
        Path lib = library.toAbsolutePath().normalize();
        try {
            return new CatalogSaved(lib, CatalogSnapshots.save(vault.repository(), lib, options, clock).id(), null);
        } catch (IOException | RuntimeException e) {
            return new CatalogSaved(lib, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    public BackupOptions backupOptions(List<String> excludes, List<String> tags, Id parent, boolean force) {
        return new BackupOptions(excludes, tags, host, username, parent, force, 0, clock);
    }

    public RestoreResult restore(Vault vault, Id snapshot, String include, Path target, RestoreProgress progress)
            throws IOException {
        Repository repo = vault.repository();
        try (Session ignored = announce(repo, "restore")) {
            return new Restorer(repo, progress, 0).restore(snapshot, include, target);
        }
    }

    /**
     * Restores {@code paths} (relative to the folder {@code base} of the snapshot) into {@code into}, at the same
     * relative paths; files already there and intact are not restored again, so an interrupted call resumes.
     */
    public RestoreResult restoreFiles(Vault vault, Id snapshot, String base, List<String> paths, Path into,
                                      RestoreProgress progress) throws IOException {
        Repository repo = vault.repository();
        try (Session ignored = announce(repo, "restore")) {
            return new Restorer(repo, progress, 0).restore(snapshot, base, paths, into);
        }
    }

    public CheckResult check(Vault vault, double readDataFraction) throws IOException {
        Repository repo = vault.repository();
        try (Session ignored = announce(repo, "check")) {
            return new Checker(repo).check(readDataFraction, new Random(random.nextLong()));
        }
    }

    /**
     * Announces a long read (restore, check) with a session marker, so a prune does not delete a pack it is about
     * to read. Best effort: with read-only credentials there is no marker (then a prune that repacks at the same
     * time may delete a pack it needs, and the read reports it; running it again reads the new copies).
     */
    private static Session announce(Repository repo, String activity) {
        try {
            return repo.startSession(activity);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------- retention

    /**
     * What to forget: a policy applied to the live snapshots grouped by {@code groupBy} (calendar periods counted
     * in {@code zone}), or explicit {@code snapshots} (ids or prefixes; then the policy is null).
     */
    public record ForgetRequest(RetentionPolicy policy, List<String> snapshots, Set<GroupBy> groupBy, ZoneId zone,
                                boolean dryRun, boolean force) {
        public ForgetRequest {
            snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
            groupBy = groupBy == null ? Set.of() : Set.copyOf(groupBy);
        }
    }

    /** The decisions (per group, newest first), what was forgotten, and the forget record (null in a dry run). */
    public record ForgetResult(List<GroupDecision> groups, List<Id> forgotten, String record, boolean dryRun,
                               List<String> warnings) {
    }

    /**
     * Forgets snapshots: decides (with reasons), refuses a policy that would forget every snapshot of a group
     * unless {@code force}, then writes one forget record. Nothing is deleted: the snapshots stay recoverable
     * ({@link #undelete}) until a prune after the recovery window.
     */
    public ForgetResult forget(Vault vault, ForgetRequest request) throws IOException {
        Repository repo = vault.repository();
        if (!request.dryRun()) {
            // refuse before deciding anything: a format 1 vault, append-only credentials
            SoftDelete.checkCanForget(repo);
        }
        List<String> warnings = new ArrayList<>();
        List<Repository.SnapshotRef> live = repo.listSnapshots(Repository.Selection.LIVE, (name, e) ->
                warnings.add("snapshot " + name.substring(0, 8) + " cannot be read (" + e.getMessage() + "); it is"
                        + " left alone"));
        List<GroupDecision> groups;
        if (request.policy() == null) {
            Set<Id> named = new java.util.LinkedHashSet<>();
            Map<Id, Instant> forgotten = repo.forgotten();
            for (String spec : request.snapshots()) {
                Id id = repo.resolveSnapshot(spec);
                if (forgotten.containsKey(id)) {
                    throw new TriplicateException("snapshot " + id.shortHex() + " is forgotten already");
                }
                named.add(id);
            }
            Set<Id> readable = new java.util.HashSet<>();
            live.forEach(s -> readable.add(s.id()));
            for (Id id : named) {
                if (!readable.contains(id)) {
                    throw new TriplicateException("snapshot " + id.shortHex() + " cannot be read, so it cannot be"
                            + " forgotten by name (run 'triplicate check')");
                }
            }
            List<String> archives = new ArrayList<>();
            for (Repository.SnapshotRef s : live) {
                String why = Retention.archiveReason(info(s));
                if (named.contains(s.id()) && why != null) {
                    archives.add(s.id().shortHex() + " (" + why + ")");
                }
            }
            if (!archives.isEmpty() && !request.force()) {
                throw new ConfirmationRequiredException("snapshot(s) " + String.join(", ", archives) + " hold an"
                        + " archived shoot, which may have no other copy: nothing was forgotten. Bring the shoot back"
                        + " first ('triplicate unarchive SHOOT'), or add --force if it is no longer needed");
            }
            List<KeepDecision> decisions = new ArrayList<>();
            for (Repository.SnapshotRef s : live.reversed()) {
                boolean forget = named.contains(s.id());
                decisions.add(new KeepDecision(info(s), !forget, List.of(forget ? "named on the command line"
                        : "not named")));
            }
            groups = List.of(new GroupDecision(new GroupKey(null, null, null), decisions));
        } else {
            // a policy never forgets an archive, --force or not: it may hold the only copy of a shoot
            groups = Retention.keepArchives(Retention.apply(live.stream().map(VaultService::info).toList(),
                    request.policy(), request.groupBy(), request.zone()));
        }
        List<String> emptied = new ArrayList<>();
        for (GroupDecision g : groups) {
            if (g.forgetsAll()) {
                emptied.add(g.key() + " (" + g.decisions().size() + " snapshot(s))");
            }
        }
        if (!emptied.isEmpty() && !request.force()) {
            throw new ConfirmationRequiredException("this would forget every snapshot of " + (emptied.size() == 1
                    ? "the group " : emptied.size() + " groups: ") + String.join(", ", emptied) + "; nothing was"
                    + " forgotten. If that is what you want, add --force");
        }
        List<Id> forget = new ArrayList<>();
        for (GroupDecision g : groups) {
            for (KeepDecision d : g.decisions()) {
                if (!d.keep()) {
                    forget.add(Id.parse(d.snapshot().id()));
                }
            }
        }
        forget.sort(null);
        String record = null;
        if (!request.dryRun() && !forget.isEmpty()) {
            record = new SoftDelete(repo).forget(forget, clock.instant());
        }
        return new ForgetResult(groups, forget, record, request.dryRun(), warnings);
    }

    private static SnapshotInfo info(Repository.SnapshotRef r) {
        Snapshot s = r.snapshot();
        return new SnapshotInfo(r.id().hex(), s.time(), s.host(), s.paths(), s.tags());
    }

    /** How to prune: the recovery window, the repack threshold (percent of a pack unused), whether to only report. */
    public record PruneRequest(CalendarDuration recoveryWindow, int repackUnusedPercent, boolean dryRun,
                               Duration patience) {
        public static PruneRequest defaults() {
            return new PruneRequest(RecoveryWindow.DEFAULT, Pruner.Options.DEFAULT_REPACK_UNUSED_PERCENT, false, null);
        }
    }

    /**
     * Prunes: deletes the data no snapshot needs any more (forgotten snapshots after their recovery window, unused
     * packs), safely while backups run; see {@link Pruner}. {@code notes} hears what it waits for.
     */
    public Pruner.Result prune(Vault vault, PruneRequest request, Consumer<String> notes) throws IOException {
        return new Pruner(vault.repository(), pruneOptions(request), notes).prune();
    }

    private static Pruner.Options pruneOptions(PruneRequest r) {
        return new Pruner.Options(r.recoveryWindow(), r.repackUnusedPercent(), r.dryRun(), r.patience(), null);
    }

    /** A forgotten snapshot, when it was forgotten, and until when it stays recoverable with the default window. */
    public record ForgottenSnapshot(Id id, Snapshot snapshot, Instant forgotten, Instant recoverableUntil) {
    }

    /** The forgotten snapshots that are still there, oldest first. */
    public List<ForgottenSnapshot> forgottenSnapshots(Vault vault, java.util.function.BiConsumer<String, RuntimeException> damaged)
            throws IOException {
        Repository repo = vault.repository();
        Map<Id, Instant> when = repo.forgotten();
        List<ForgottenSnapshot> out = new ArrayList<>();
        for (Repository.SnapshotRef r : repo.listSnapshots(Repository.Selection.FORGOTTEN, damaged)) {
            Instant t = when.get(r.id());
            out.add(new ForgottenSnapshot(r.id(), r.snapshot(), t, RecoveryWindow.recoverableUntil(t, RecoveryWindow.DEFAULT)));
        }
        return out;
    }

    /** Brings back a forgotten snapshot ({@code spec}: an id or a unique prefix); returns its id. */
    public Id undelete(Vault vault, String spec, Duration patience, Consumer<String> notes) throws IOException {
        Repository repo = vault.repository();
        Id id = repo.resolveSnapshot(spec);
        new SoftDelete(repo).undelete(id, new Pruner.Options(null, Pruner.Options.DEFAULT_REPACK_UNUSED_PERCENT,
                false, patience, null), notes);
        return id;
    }

    /** Upgrades the vault's format to the one this build writes; returns the version it had. */
    public int migrate(Vault vault) throws IOException {
        return vault.repository().upgrade();
    }

    public List<SnapshotDiff.Change> diff(Vault vault, Id a, Id b) throws IOException {
        Repository repo = vault.repository();
        Snapshot sa = repo.loadSnapshot(a);
        Snapshot sb = repo.loadSnapshot(b);
        return new SnapshotDiff(repo).diff(sa.tree(), sb.tree());
    }

    public List<TreeWalker.Entry> ls(Vault vault, Id snapshot, String path, boolean recursive) throws IOException {
        Repository repo = vault.repository();
        return new TreeWalker(repo).list(repo.loadSnapshot(snapshot).tree(), path, recursive);
    }

    public VaultStats.Stats stats(Vault vault) throws IOException {
        return new VaultStats(vault.repository()).compute();
    }
}
