package triplicate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import triplicate.archiver.SnapshotCopier;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.CatalogFile;
import triplicate.catalog.Copy;
import triplicate.catalog.CopyResult;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.maintenance.Healer;
import triplicate.repository.Repository;
import triplicate.restorer.RestoreDrill;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;
import triplicate.snapshot.Snapshot;

/**
 * The use cases that make a vault's copy of a library provable and repairable: restore drills ({@code verify}),
 * healing damaged packs ({@code heal}), copying snapshots between vaults ({@code copy}) and recovering a library with
 * its catalog from nothing but a vault and its password ({@code recover}). Each use case comes in two forms: on
 * vaults the caller has opened (the CLI opens them with its bandwidth caps), and on vault locations and passwords
 * (opened and closed here). Thread-safe: it holds only its settings.
 */
public final class VaultOpsService implements VaultDrills {
    /** Files restored per drill batch (and at most {@link #DRILL_BATCH_BYTES}): bounds memory and temporary space. */
    static final int DRILL_BATCH_FILES = 256;
    static final long DRILL_BATCH_BYTES = 512L << 20;
    /** At most this many problems are listed in a report (all are counted). */
    static final int MAX_LISTED = 1000;

    private final VaultService vaults;
    private final InstantSource clock;
    private final Random random;
    private final Duration catalogBusyTimeout;

    /**
     * @param vaults             opens the vaults named by location
     * @param clock              stamps the verifications recorded in the catalog
     * @param random             seeds each drill's sample (seeded in tests, so samples are reproducible)
     * @param catalogBusyTimeout how long a write to a catalog waits for another process's transaction
     */
    public VaultOpsService(VaultService vaults, InstantSource clock, Random random, Duration catalogBusyTimeout) {
        this.vaults = vaults;
        this.clock = clock;
        this.random = random;
        this.catalogBusyTimeout = catalogBusyTimeout;
    }

    /** The service for this machine: the system clock, strong randomness, the catalog's usual busy timeout. */
    public static VaultOpsService forThisMachine(VaultService vaults) {
        return forThisMachine(vaults, Catalog.DEFAULT_BUSY_TIMEOUT);
    }

    /** The service for this machine, waiting {@code catalogWait} for a catalog another process is writing. */
    public static VaultOpsService forThisMachine(VaultService vaults, Duration catalogWait) {
        return new VaultOpsService(vaults, InstantSource.system(), new java.security.SecureRandom(), catalogWait);
    }

    private Vault open(String location, Password password) throws IOException {
        return vaults.open(location, password);
    }

    // ============================================================================================ verify (drill)

    /** One file a drill or a recovery found wanting: OK, MISSING or DAMAGED, and why. */
    public record Finding(String path, String result, String detail) {
    }

    /**
     * What a restore drill found. {@code problems} lists the files that are not OK (at most {@value #MAX_LISTED};
     * {@code problemsListed} false when there were more). {@code recorded}: results written into the catalog's copies
     * table under {@code target}.
     */
    public record DrillReport(String vault, String target, String library, String snapshot, String snapshotPath,
                              long catalogFiles, long drilled, long ok, long missing, long damaged, long recorded,
                              double seconds, List<Finding> problems, boolean problemsListed) {
        public boolean clean() {
            return missing == 0 && damaged == 0;
        }
    }

    /** {@link #verify(Vault, Path, Sample, String, String)} on a vault named by location. */
    public DrillReport verify(String location, Password password, Path library, Sample sample, String targetName,
                              String snapshot) throws IOException {
        try (Vault v = open(location, password)) {
            return verify(v, library, sample, targetName, snapshot);
        }
    }

    /**
     * A restore drill: restores a random sample of the library's files (as the catalog lists them, chosen with this
     * service's randomness) from the vault's latest snapshot of the library (or {@code snapshot}: an id, a prefix, or
     * {@code latest}), into a temporary folder inside the library's {@code .triplicate} (deleted after each batch,
     * whatever happens), hashes each restored file and compares it with the catalog. Each file's result is recorded
     * in the catalog's copies table, for target {@code targetName} (null: the vault's location): OK; MISSING when the
     * snapshot has no copy of this content (the file is newer than the backup, or was edited since); DAMAGED when
     * the snapshot has the file but cannot give it back intact. Files are drilled and recorded in batches of a few
     * hundred, so memory and temporary space stay bounded however large the sample.
     *
     * @throws CatalogBusyException if another process keeps the catalog locked (asked before any work is done)
     */
    public DrillReport verify(Vault vault, Path library, Sample sample, String targetName, String snapshot)
            throws IOException {
        try (Catalog catalog = Catalog.openExisting(library.toAbsolutePath().normalize(), clock, catalogBusyTimeout)) {
            return verify(vault, catalog, sample, targetName, snapshot);
        }
    }

    /**
     * {@link #verify(Vault, Path, Sample, String, String)} with the library's catalog already open (the caller keeps
     * it open and closes it): for callers that hold the catalog for other work, such as verifying every target of a
     * library in turn.
     */
    public DrillReport verify(Vault vault, Catalog catalog, Sample sample, String targetName, String snapshot)
            throws IOException {
        long started = System.nanoTime();
        Path lib = catalog.library();
        String target = targetName != null && !targetName.isBlank() ? targetName : vault.location();
        Repository repo = vault.repository();
        catalog.checkWritable();
        LibrarySnapshot ls = librarySnapshot(vault, lib, snapshot);
        long n = catalog.counts().files();
        long k = n == 0 ? 0 : sample.of(n);
        Random r = new Random(random.nextLong());
        RestoreDrill drill = new RestoreDrill(repo, lib.resolve(Catalog.FOLDER), 0);
        long seen = 0;
        long chosen = 0;
        long ok = 0;
        long missing = 0;
        long damaged = 0;
        long recorded = 0;
        List<Finding> problems = new ArrayList<>();
        List<RestoreDrill.Expected> batch = new ArrayList<>();
        long batchBytes = 0;
        String after = null;
        while (chosen < k) {
            List<CatalogFile> page = catalog.filesAfter(after, 500);
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).path();
            for (CatalogFile f : page) {
                // selection sampling (Knuth's algorithm S): exactly k of n, each file equally likely, in one pass
                if (chosen < k && r.nextLong(Math.max(1, n - seen)) < k - chosen) {
                    chosen++;
                    batch.add(new RestoreDrill.Expected(f.path(), f.size(), f.sha256()));
                    batchBytes += f.size();
                }
                seen++;
                if (batch.size() >= DRILL_BATCH_FILES || batchBytes >= DRILL_BATCH_BYTES) {
                    long[] c = drillBatch(drill, ls, batch, catalog, target, problems);
                    ok += c[0];
                    missing += c[1];
                    damaged += c[2];
                    recorded += c[3];
                    batch.clear();
                    batchBytes = 0;
                }
            }
        }
        if (!batch.isEmpty()) {
            long[] c = drillBatch(drill, ls, batch, catalog, target, problems);
            ok += c[0];
            missing += c[1];
            damaged += c[2];
            recorded += c[3];
        }
        boolean listed = problems.size() <= MAX_LISTED;
        return new DrillReport(vault.location(), target, lib.toString(), ls.id().hex(), ls.path(), n,
                ok + missing + damaged, ok, missing, damaged, recorded,
                Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0,
                List.copyOf(listed ? problems : problems.subList(0, MAX_LISTED)), listed);
    }

    /** Drills one batch and records it; returns {ok, missing, damaged, recorded}. */
    private long[] drillBatch(RestoreDrill drill, LibrarySnapshot ls, List<RestoreDrill.Expected> batch,
                              Catalog catalog, String target, List<Finding> problems) throws IOException {
        List<RestoreDrill.Outcome> outcomes = drill.drill(ls.id(), ls.path(), batch, new RestoreProgress());
        Instant now = clock.instant();
        long[] c = new long[4];
        List<Copy> copies = new ArrayList<>(outcomes.size());
        for (RestoreDrill.Outcome o : outcomes) {
            CopyResult result = switch (o.verdict()) {
                case OK -> CopyResult.OK;
                case MISSING -> CopyResult.MISSING;
                case DAMAGED -> CopyResult.DAMAGED;
            };
            c[result.ordinal()]++;
            if (result != CopyResult.OK && problems.size() <= MAX_LISTED) {
                problems.add(new Finding(o.path(), result.name(), o.detail()));
            }
            copies.add(new Copy(o.path(), target, now, result, o.detail()));
        }
        try {
            c[3] = catalog.recordCopyResults(copies);
        } catch (CatalogBusyException e) {
            throw new CatalogBusyException("the drill's results could not be recorded: " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * A restore drill of exactly {@code files} (paths relative to the folder {@code base} of {@code snapshot}), in
     * batches, through a scratch folder inside {@code scratch} that is removed after each batch: the verdict of each
     * file, in the given order. Records nothing (the caller knows what the files are to it).
     */
    public List<RestoreDrill.Outcome> drillFiles(Vault vault, Path scratch, Id snapshot, String base,
                                                 List<RestoreDrill.Expected> files) throws IOException {
        RestoreDrill drill = new RestoreDrill(vault.repository(), scratch, 0);
        List<RestoreDrill.Outcome> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i += DRILL_BATCH_FILES) {
            out.addAll(drill.drill(snapshot, base, files.subList(i, Math.min(files.size(), i + DRILL_BATCH_FILES)),
                    new RestoreProgress()));
        }
        return out;
    }

    /** A snapshot of a library and the path in it that is the library. */
    private record LibrarySnapshot(Id id, String path) {
    }

    /**
     * The snapshot to drill: {@code spec}, or the latest snapshot (not a catalog snapshot) that holds {@code lib}.
     * The library is the snapshot's path {@code lib}, or its only path (a library recovered elsewhere).
     */
    private static LibrarySnapshot librarySnapshot(Vault vault, Path lib, String spec) throws IOException {
        Repository repo = vault.repository();
        String path = lib.toString();
        if (spec == null || spec.isBlank()) {
            List<Repository.SnapshotRef> all = repo.listSnapshots();
            for (int i = all.size() - 1; i >= 0; i--) {
                Snapshot s = all.get(i).snapshot();
                if (!CatalogSnapshots.isCatalog(s) && s.paths().contains(path)) {
                    return new LibrarySnapshot(all.get(i).id(), path);
                }
            }
            throw new TriplicateException("the vault at " + vault.location() + " has no snapshot of the library "
                    + path + "; back it up first, or name the snapshot to drill (a library recovered into another"
                    + " folder is still in the snapshots of its old path)");
        }
        Id id = vault.resolveSnapshot(spec);
        Snapshot s = repo.loadSnapshot(id);
        if (s.paths().contains(path)) {
            return new LibrarySnapshot(id, path);
        }
        if (s.paths().size() == 1 && !CatalogSnapshots.isCatalog(s)) {
            return new LibrarySnapshot(id, s.paths().get(0));
        }
        throw new TriplicateException("snapshot " + id.shortHex() + " does not hold the library " + path
                + " (its paths: " + String.join(", ", s.paths()) + ")");
    }

    /**
     * {@link VaultDrills#drill}: a restore drill of the vault target {@code target} (a random share of the library's
     * files, from the latest snapshot of the library), recorded under the target's name.
     */
    @Override
    public VaultDrills.DrillReport drill(String target, String location, Password password, Catalog catalog,
                                         Sample sample) throws IOException {
        DrillReport r;
        try (Vault v = open(location, password)) {
            r = verify(v, catalog, sample, target, null);
        }
        List<String> damaged = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Finding f : r.problems()) {
            (f.result().equals(CopyResult.DAMAGED.name()) ? damaged : missing).add(f.path() + ": " + f.detail());
        }
        List<String> notes = new ArrayList<>();
        notes.add("drilled snapshot " + r.snapshot().substring(0, 8));
        if (!r.problemsListed()) {
            notes.add("only the first " + r.problems().size() + " problems are listed, of " + (r.missing() + r.damaged()));
        }
        return new VaultDrills.DrillReport(r.drilled(), r.ok(), damaged, missing, notes);
    }

    /**
     * {@link VaultDrills#heal}: heals the vault target from the library, the mirrors and the other vaults; nothing
     * is recorded in the catalog (the next drill records the healed copies).
     */
    @Override
    public VaultDrills.HealReport heal(String target, String location, Password password, Catalog catalog,
                                       List<Path> mirrors, List<VaultSource> from) throws IOException {
        List<Vault> others = new ArrayList<>();
        HealReport r;
        try (Vault v = open(location, password)) {
            for (VaultSource s : from) {
                others.add(open(s.location(), s.password()));
            }
            r = heal(v, others, catalog.library(), mirrors);
        } finally {
            for (Vault o : others) {
                o.close();
            }
        }
        List<String> healed = new ArrayList<>();
        for (Healer.HealedFile f : r.result().healed()) {
            healed.add("snapshot " + f.snapshot() + ": " + f.path() + " from " + f.source());
        }
        List<String> unhealed = new ArrayList<>();
        for (Healer.Unhealed u : r.result().unhealed()) {
            unhealed.add("snapshot " + u.snapshot() + ": " + u.path() + ": " + u.reason());
        }
        for (String e : r.remainingErrors()) {
            unhealed.add("still: " + e);
        }
        return new VaultDrills.HealReport(healed, unhealed);
    }

    // ============================================================================================ heal

    /** A vault to heal from: its location and password. */
    public record VaultSource(String location, Password password) {
    }

    /**
     * What heal found and did. {@code checkErrors}: what the full check found before healing; {@code result}: the
     * healing (see {@link Healer.Result}).
     */
    public record HealReport(String vault, List<String> sources, List<String> checkErrors, Healer.Result result,
                             List<String> remainingErrors, double seconds) {
        public boolean clean() {
            return result.complete() && remainingErrors.isEmpty();
        }
    }

    /** {@link #heal(Vault, List, Path)} on vaults named by location. */
    public HealReport heal(String location, Password password, List<VaultSource> from, Path library)
            throws IOException {
        List<Vault> others = new ArrayList<>();
        try (Vault v = open(location, password)) {
            for (VaultSource s : from) {
                others.add(open(s.location(), s.password()));
            }
            return heal(v, others, library);
        } finally {
            for (Vault o : others) {
                o.close();
            }
        }
    }

    /**
     * Heals the vault: reads every pack ({@code check --read-data}), then writes anew every damaged blob for which a
     * verified source is found, and retires the damaged packs (see {@link Healer}). Sources, in this order: an intact
     * second copy in the vault; the library {@code library} (null: none), whose folder may have moved since the
     * backup; the backed-up paths themselves, where they still are on this computer; the vaults {@code from}, which
     * hold the same files (a copy made by {@code copy}, or backups of the same library). Temporary files go into the
     * library's {@code .triplicate} folder (or the system's temporary folder without a library).
     */
    public HealReport heal(Vault vault, List<Vault> from, Path library) throws IOException {
        return heal(vault, from, library, List.of());
    }

    /**
     * {@link #heal(Vault, List, Path)} with mirror folders of the library too: each holds the library's files by their
     * paths in it, and is tried after the library.
     */
    public HealReport heal(Vault vault, List<Vault> from, Path library, List<Path> mirrors) throws IOException {
        long started = System.nanoTime();
        Repository repo = vault.repository();
        // like a backup, first index the packs an interrupted run left (a heal's own new copies among them)
        repo.indexOrphanPacks();
        Checker checker = new Checker(repo);
        CheckResult check = checker.check(1.0, new Random(random.nextLong()));
        Path lib = library == null ? null : library.toAbsolutePath().normalize();
        Path scratch = lib != null ? lib.resolve(Catalog.FOLDER)
                : Path.of(System.getProperty("java.io.tmpdir"));
        List<Healer.Source> sources = new ArrayList<>();
        if (lib != null) {
            sources.add(Healer.localFiles("library " + lib, (s, p) -> inLibrary(lib, lib, s, p)));
            for (Path m : mirrors) {
                sources.add(Healer.localFiles("mirror " + m, (s, p) -> inLibrary(lib, m, s, p)));
            }
        }
        sources.add(Healer.localFiles("the backed-up files on this computer", VaultOpsService::atOriginalPath));
        for (Vault o : from) {
            sources.add(Healer.otherVault("vault " + o.location(), o.repository(), scratch));
        }
        Checker.Damage damage = checker.damage();
        Healer.Result result = new Healer(repo).heal(damage, sources, s -> folders(lib, s));
        // what heal does not repair (a damaged snapshot file, an index file naming packs nothing else names…) stays
        List<String> remaining = damage.none() ? check.errors()
                : new Checker(repo).check(0, new Random(random.nextLong())).errors();
        return new HealReport(vault.location(), sources.stream().map(Healer.Source::name).toList(), check.errors(),
                result, remaining, Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    }

    /**
     * The folders of snapshot {@code s} on this computer, with the excludes a backup of them uses (a library's
     * {@code .triplicate}): its paths where they still are, or the library {@code lib} for a snapshot of one path (a
     * library moved since: its subfolders give back their listings, not the root's); null when they are not here.
     */
    private static Healer.Rebuild folders(Path lib, Snapshot s) {
        if (CatalogSnapshots.isCatalog(s)) {
            return null;
        }
        List<Path> paths = s.paths().stream().map(Path::of).toList();
        if (!paths.stream().allMatch(Files::exists)) {
            if (lib == null || paths.size() != 1 || !Files.isDirectory(lib)) {
                return null;
            }
            paths = List.of(lib);
        }
        List<String> excludes = CatalogSnapshots.libraries(paths).stream().flatMap(l -> CatalogSnapshots.excludesOf(l).stream())
                .toList();
        return new Healer.Rebuild(paths, excludes);
    }

    /**
     * Where the file {@code rel} of snapshot {@code s} is in {@code folder}, a copy of library {@code lib} (the library
     * itself, or a mirror of it): through the library's path in it, or its only path.
     */
    private static Path inLibrary(Path lib, Path folder, Snapshot s, String rel) {
        int slash = rel.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String top = rel.substring(0, slash);
        String rest = rel.substring(slash + 1);
        String path = lib.toString();
        boolean holds = s.paths().contains(path) && top.equals(lib.getFileName().toString());
        boolean only = s.paths().size() == 1 && !CatalogSnapshots.isCatalog(s)
                && top.equals(nameOf(s.paths().get(0)));
        return holds || only ? folder.resolve(rest) : null;
    }

    /** The file {@code rel} of snapshot {@code s} where it was backed up from. */
    private static Path atOriginalPath(Snapshot s, String rel) {
        if (CatalogSnapshots.isCatalog(s)) {
            return null; // the catalog copy was a temporary file; the live catalog has changed since
        }
        int slash = rel.indexOf('/');
        String top = slash < 0 ? rel : rel.substring(0, slash);
        for (String p : s.paths()) {
            if (top.equals(nameOf(p))) {
                return slash < 0 ? Path.of(p) : Path.of(p).resolve(rel.substring(slash + 1));
            }
        }
        return null;
    }

    private static String nameOf(String path) {
        Path p = Path.of(path);
        return p.getFileName() == null ? "root" : p.getFileName().toString();
    }

    // ============================================================================================ copy

    /** What a copy did: per snapshot (and the catalog snapshots that came with them), oldest first. */
    public record CopyReport(String from, String to, boolean sameChunks, List<SnapshotCopier.Copied> snapshots,
                             double seconds) {
    }

    /** {@link #copy(Vault, Vault, List)} on vaults named by location. */
    public CopyReport copy(String fromLocation, Password fromPassword, String toLocation, Password toPassword,
                           List<String> snapshots) throws IOException {
        try (Vault from = open(fromLocation, fromPassword); Vault to = open(toLocation, toPassword)) {
            return copy(from, to, snapshots);
        }
    }

    /**
     * Copies the snapshots {@code specs} (ids, prefixes, {@code latest}) from one vault into another (see
     * {@link SnapshotCopier}): with each snapshot of a library, the catalog snapshot saved with it. Snapshots the
     * destination has already are skipped. Oldest first, so each copy can reuse what the previous one stored.
     */
    public CopyReport copy(Vault from, Vault to, List<String> specs) throws IOException {
        long started = System.nanoTime();
        if (from.id().equals(to.id())) {
            throw new TriplicateException("the source and the destination are the same vault (" + from.location() + ")");
        }
        if (specs.isEmpty()) {
            throw new TriplicateException("name the snapshots to copy: ids, prefixes of ids, or 'latest'");
        }
        List<Repository.SnapshotRef> all = from.repository().listSnapshots();
        Map<Id, Repository.SnapshotRef> chosen = new LinkedHashMap<>();
        for (String spec : specs) {
            Id id = from.resolveSnapshot(spec);
            Repository.SnapshotRef ref = all.stream().filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow(() -> new TriplicateException("snapshot " + id.shortHex() + " cannot be read"));
            chosen.put(id, ref);
            for (Repository.SnapshotRef c : CatalogSnapshots.catalogsOf(ref, all)) {
                chosen.put(c.id(), c);
            }
        }
        List<Repository.SnapshotRef> order = new ArrayList<>(chosen.values());
        order.sort(Comparator.comparing((Repository.SnapshotRef r) -> r.snapshot().time()).thenComparing(Repository.SnapshotRef::id));
        SnapshotCopier copier = new SnapshotCopier(from.repository(), to.repository(),
                Path.of(System.getProperty("java.io.tmpdir")));
        List<SnapshotCopier.Copied> done = new ArrayList<>();
        for (Repository.SnapshotRef r : order) {
            done.add(copier.copy(r.id()));
        }
        return new CopyReport(from.location(), to.location(), copier.sameChunks(), List.copyOf(done),
                Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    }

    // ============================================================================================ recover

    /**
     * What a recovery did: the catalog snapshot and the library snapshot it restored (and the library's path when it
     * was backed up), the restore's result, then the check of every file of the catalog against its hash.
     */
    public record RecoverReport(String vault, String library, String catalogSnapshot, String librarySnapshot,
                                String backedUpFrom, RestoreResult restore, boolean catalogRestored, long catalogFiles,
                                long ok, long missing, long damaged, double seconds, List<Finding> problems,
                                boolean problemsListed) {
        public boolean complete() {
            return restore.complete() && catalogRestored && missing == 0 && damaged == 0;
        }
    }

    /** {@link #recover(Vault, Path, String, RestoreProgress)} on a vault named by location. */
    public RecoverReport recover(String location, Password password, Path library, String catalogSnapshot,
                                 RestoreProgress progress) throws IOException {
        try (Vault v = open(location, password)) {
            return recover(v, library, catalogSnapshot, progress);
        }
    }

    /**
     * Recovers a library with its catalog from nothing but a vault: restores the latest catalog snapshot (or
     * {@code catalogSnapshot}) and the snapshot of its library saved with it into {@code library} (a new or empty
     * folder, or one a recovery was interrupted in, marked by {@code .triplicate/}{@value #RECOVERING}: the restore
     * resumes), the library first and the catalog last,
     * only once every file of the library was restored (else the report says so, and a second run resumes); then
     * opens the catalog (migrating it if it is of an older version) and checks every file it lists against its
     * SHA-256, noting the restored files' new identities so the next scan need not read them again.
     */
    public RecoverReport recover(Vault vault, Path library, String catalogSnapshot, RestoreProgress progress)
            throws IOException {
        long started = System.nanoTime();
        Path lib = library.toAbsolutePath().normalize();
        if (Catalog.exists(lib)) {
            throw new TriplicateException(lib + " already has a catalog (" + Catalog.databaseOf(lib) + "); recover"
                    + " into a new or empty folder, so nothing there is overwritten");
        }
        Path marker = lib.resolve(Catalog.FOLDER).resolve(RECOVERING);
        if (Files.isDirectory(lib) && !Files.exists(marker) && !isEmpty(lib)) {
            throw new TriplicateException(lib + " is not empty; recover into a new or empty folder, so nothing there"
                    + " is overwritten");
        }
        Repository repo = vault.repository();
        List<Repository.SnapshotRef> all = repo.listSnapshots();
        Repository.SnapshotRef catalog;
        if (catalogSnapshot == null || catalogSnapshot.isBlank() || catalogSnapshot.equals("latest")) {
            catalog = CatalogSnapshots.latest(all);
            if (catalog == null) {
                throw new TriplicateException("the vault at " + vault.location() + " holds no catalog (one is saved"
                        + " with each backup of a library that has a catalog); restore the files with 'triplicate"
                        + " restore' and rebuild the catalog with 'triplicate catalog scan'");
            }
        } else {
            Id id = repo.resolveSnapshot(catalogSnapshot);
            catalog = all.stream().filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow(() -> new TriplicateException("snapshot " + id.shortHex() + " cannot be read"));
            if (CatalogSnapshots.libraryOf(catalog.snapshot()) == null) {
                throw new TriplicateException("snapshot " + id.shortHex() + " is not a catalog snapshot (tagged "
                        + CatalogSnapshots.TAG + ")");
            }
        }
        String backedUpFrom = CatalogSnapshots.libraryOf(catalog.snapshot());
        Repository.SnapshotRef data = CatalogSnapshots.libraryFor(catalog, all);
        if (data == null) {
            throw new TriplicateException("the vault at " + vault.location() + " holds the catalog of " + backedUpFrom
                    + " (snapshot " + catalog.id().shortHex() + ") but no snapshot of the library itself");
        }
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "recovering " + backedUpFrom + " from " + vault.location() + " (snapshot "
                + data.id().hex() + ", catalog " + catalog.id().hex() + "); run the same recover again to resume\n");
        RestoreResult restored;
        try {
            restored = new Restorer(repo, progress, 0).restore(data.id(), backedUpFrom, List.of(), lib);
        } catch (IOException e) {
            throw new TriplicateException("the recovery was interrupted: " + e.getMessage() + "; no file in " + lib
                    + " is half-written, and the catalog comes last: run the same command again to resume (files"
                    + " restored intact are not read again)", e);
        }
        if (!restored.complete()) {
            // the catalog comes last: without it the folder is still a recovery in progress, which a second run
            // resumes (files restored intact are skipped)
            return new RecoverReport(vault.location(), lib.toString(), catalog.id().hex(), data.id().hex(),
                    backedUpFrom, restored, false, 0, 0, 0, 0,
                    Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0, List.of(), true);
        }
        Path folder = lib.resolve(Catalog.FOLDER);
        for (String leftover : new String[] {"", "-wal", "-shm", "-journal"}) {
            // a snapshot made before catalogs were saved on their own holds a live copy of the database: never mix
            // its write-ahead log with the consistent copy
            Files.deleteIfExists(folder.resolve(Catalog.FILE_NAME + leftover));
        }
        RestoreResult cat;
        try {
            // the catalog, and the library's config.yaml when the snapshot holds it
            cat = new Restorer(repo, new RestoreProgress(), 0).restore(catalog.id(),
                    catalog.snapshot().paths().get(0), List.of(), folder);
        } catch (IOException e) {
            throw new TriplicateException("the recovery was interrupted: " + e.getMessage() + "; every file of the"
                    + " library was restored into " + lib + " but not yet the catalog: run the same command again to"
                    + " finish", e);
        }
        if (!cat.complete() || !Catalog.exists(lib)) {
            throw new TriplicateException("the catalog could not be restored from snapshot " + catalog.id().shortHex()
                    + ": " + cat.problems().stream().map(RestoreResult.Problem::message).findFirst().orElse("?")
                    + "; the library's files were restored into " + lib + " (" + restored.files() + " files); name an"
                    + " older catalog snapshot to try another");
        }
        Files.deleteIfExists(marker);
        long ok = 0;
        long missing = 0;
        long damaged = 0;
        long files;
        List<Finding> problems = new ArrayList<>();
        try (Catalog c = Catalog.openExisting(lib, clock, catalogBusyTimeout)) {
            files = c.counts().files();
            String after = null;
            while (true) {
                List<CatalogFile> page = c.filesAfter(after, 500);
                if (page.isEmpty()) {
                    break;
                }
                after = page.get(page.size() - 1).path();
                List<Catalog.FileIdentity> confirmed = new ArrayList<>(page.size());
                for (CatalogFile f : page) {
                    Path p = lib.resolve(f.path());
                    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        missing++;
                        add(problems, new Finding(f.path(), CopyResult.MISSING.name(), "not restored"));
                        continue;
                    }
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (Hashing.sha256(p, n -> { }).equals(f.sha256())) {
                        ok++;
                        confirmed.add(new Catalog.FileIdentity(f.path(), a.lastModifiedTime().toInstant(),
                                a.fileKey() == null ? null : a.fileKey().toString()));
                    } else {
                        damaged++;
                        add(problems, new Finding(f.path(), CopyResult.DAMAGED.name(), "restored, but its content"
                                + " is not what the catalog says (the library changed between its backup and the"
                                + " catalog's?)"));
                    }
                }
                c.updateIdentities(confirmed);
            }
        }
        boolean listed = problems.size() <= MAX_LISTED;
        return new RecoverReport(vault.location(), lib.toString(), catalog.id().hex(), data.id().hex(), backedUpFrom,
                restored, true, files, ok, missing, damaged, Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0,
                List.copyOf(listed ? problems : problems.subList(0, MAX_LISTED)), listed);
    }

    /** Marks a folder a recovery is being made in, so that running it again resumes there. */
    static final String RECOVERING = "recover-in-progress";

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void add(List<Finding> problems, Finding f) {
        if (problems.size() <= MAX_LISTED) {
            problems.add(f);
        }
    }
}
