package triplicate.app;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogFile;
import triplicate.catalog.Copy;
import triplicate.catalog.CopyRecord;
import triplicate.catalog.CopyResult;
import triplicate.catalog.ScanProgress;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;
import triplicate.policy.AssetCopies;
import triplicate.policy.CopyState;
import triplicate.policy.Decision;
import triplicate.policy.Holder;
import triplicate.policy.Policy;
import triplicate.policy.PolicyEvaluator;
import triplicate.policy.Retention;
import triplicate.restorer.RestoreDrill;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;

/**
 * {@code triplicate archive} and {@code unarchive} (docs/archive.md): moving a delivered shoot out of the library into
 * archive snapshots of vault targets, only once a fresh restore drill of those snapshots proves that the shoot keeps
 * the archive policy's copies without the library; and bringing it back. Thread-safe (holds only collaborators).
 */
public final class ArchiveService {
    private final InstantSource clock;
    private final CatalogService catalogs;
    private final VaultService vaults;
    private final VaultOpsService ops;
    private final java.util.function.Consumer<Path> beforeRemoving;

    public ArchiveService(InstantSource clock, CatalogService catalogs, VaultService vaults, VaultOpsService ops) {
        this(clock, catalogs, vaults, ops, p -> { });
    }

    /** Tests: {@code beforeRemoving} sees each library file just before it is re-read and removed. */
    ArchiveService(InstantSource clock, CatalogService catalogs, VaultService vaults, VaultOpsService ops,
                   java.util.function.Consumer<Path> beforeRemoving) {
        this.clock = clock;
        this.catalogs = catalogs;
        this.vaults = vaults;
        this.ops = ops;
        this.beforeRemoving = beforeRemoving;
    }

    /** How an archive run ended. */
    public enum Outcome {
        /** {@code --dry-run}: the plan, nothing written. */
        PLANNED,
        /** The shoot is archived (some files may have stayed: see {@code kept}). */
        ARCHIVED,
        /** The archive policy cannot be met (or was not met by the drills): nothing removed. */
        POLICY_NOT_MET,
        /** A drill found a file that did not come back intact: nothing removed. */
        DRILL_FAILED
    }

    /** One vault target's archive snapshot and what its drill found. */
    public record TargetArchive(String target, String snapshot, long drilled, long ok,
                                List<VaultOpsService.Finding> problems, String catalogSnapshot, String catalogWarning) {
    }

    /** A file that stayed in the library, and why. */
    public record Kept(String path, String why) {
    }

    /** A file whose copies fall short of the archive policy without the library, and why. */
    public record Short(String path, String why) {
    }

    /** What an archive run did. */
    public record ArchiveReport(String library, String shoot, Outcome outcome, Policy policy, long files, long bytes,
                                List<String> folders, List<TargetArchive> targets, List<Short> shortOfCopies,
                                List<String> removed, List<Kept> kept, List<String> foldersRemoved, List<String> notes,
                                double seconds) {
        public ArchiveReport {
            notes = List.copyOf(notes);
        }
    }

    // ============================================================================================== archive

    public ArchiveReport archive(Path library, String shoot, List<String> targetNames, boolean dryRun,
                                 TargetPasswords passwords) throws IOException {
        long started = System.nanoTime();
        Path lib = library.toAbsolutePath().normalize();
        LibraryConfig config = ConfigFile.load(lib);
        List<Target> targets = vaultTargets(config, targetNames);
        catalogs.scan(lib, new ScanProgress());   // the catalog is current (busy: the exception says so)
        try (Catalog catalog = catalogs.openExisting(lib)) {
            List<CatalogFile> files = catalog.filesOfShoot(shoot);
            if (files.isEmpty()) {
                throw unknownShoot(catalog, shoot);
            }
            Map<String, String> inSnapshot = snapshotPaths(files);
            List<String> folders = new ArrayList<>(new TreeSet<>(roots(files)));
            long bytes = files.stream().mapToLong(CatalogFile::size).sum();
            Policy policy = config.archivePolicy();
            PolicyEvaluator evaluator = PolicyEvaluator.outsideTheLibrary(policy, config.targetHolders().stream()
                    .filter(h -> config.target(h.name()).orElseThrow().kind() == TargetKind.VAULT).toList());
            // first without writing anything: would copies in these targets be enough at all?
            Instant now = clock.instant();
            Decision planned = evaluator.evaluate(new AssetCopies(shoot, List.of(new AssetCopies.FileCopies(shoot,
                    targets.stream().map(t -> new AssetCopies.KnownCopy(t.name(), CopyState.VERIFIED, now)).toList()))),
                    now);
            if (!planned.met()) {
                List<Short> shortfall = List.of(new Short("(every file)", describe(planned, policy)
                        + ": archive it to more vault targets (--to NAME, repeated)"));
                return new ArchiveReport(lib.toString(), shoot, Outcome.POLICY_NOT_MET, policy, files.size(), bytes,
                        folders, List.of(), shortfall, List.of(), List.of(), List.of(), List.of(), seconds(started));
            }
            if (dryRun) {
                return new ArchiveReport(lib.toString(), shoot, Outcome.PLANNED, policy, files.size(), bytes, folders,
                        targets.stream().map(t -> new TargetArchive(t.name(), null, 0, 0, List.of(), null, null))
                                .toList(), List.of(), List.of(), List.of(), List.of(), List.of(), seconds(started));
            }
            catalog.checkWritable();
            List<Path> paths = folders.stream().map(lib::resolve).toList();
            List<String> tags = List.of(Retention.ARCHIVE_TAG, shootTag(shoot));
            List<TargetArchive> done = new ArrayList<>();
            Map<String, List<AssetCopies.KnownCopy>> copies = new HashMap<>();
            boolean damaged = false;
            // every vault opened first: an unreachable one or a wrong password stops the archive before it writes
            List<Vault> open = new ArrayList<>();
            try {
                for (Target t : targets) {
                    try (Password p = passwords.forTarget(t)) {
                        open.add(vaults.open(t.uri(), p));
                    }
                }
                for (int ti = 0; ti < targets.size(); ti++) {
                    Target t = targets.get(ti);
                    Vault v = open.get(ti);
                    String made = null;
                    try {
                        BackupResult r = vaults.backup(v, paths, vaults.backupOptions(List.of(), tags, null, false),
                                new BackupProgress(false));
                        made = r.id().hex();
                        String detail = "snapshot " + r.id().hex();
                        List<CopyRecord> stored = new ArrayList<>();
                        for (CatalogFile f : files) {
                            stored.add(new CopyRecord(f.path(), f.sha256(), t.name(), r.snapshot().time(),
                                    CopyResult.STORED, detail));
                        }
                        catalog.recordCopies(stored);
                        // the drill: every file of the shoot, from this very snapshot
                        Map<String, List<RestoreDrill.Expected>> byRoot = new LinkedHashMap<>();
                        for (CatalogFile f : files) {
                            String sp = inSnapshot.get(f.path());
                            int slash = sp.indexOf('/');
                            byRoot.computeIfAbsent(sp.substring(0, slash), k -> new ArrayList<>())
                                    .add(new RestoreDrill.Expected(sp.substring(slash + 1), f.size(), f.sha256()));
                        }
                        Map<String, String> back = new HashMap<>();
                        inSnapshot.forEach((path, sp) -> back.put(sp, path));
                        long ok = 0;
                        List<VaultOpsService.Finding> problems = new ArrayList<>();
                        List<Copy> results = new ArrayList<>();
                        Instant drilled = clock.instant();
                        for (Map.Entry<String, List<RestoreDrill.Expected>> e : byRoot.entrySet()) {
                            for (RestoreDrill.Outcome o : ops.drillFiles(v, lib.resolve(Catalog.FOLDER), r.id(), e.getKey(),
                                    e.getValue())) {
                                String path = back.get(e.getKey() + "/" + o.path());
                                CopyResult result = switch (o.verdict()) {
                                    case OK -> CopyResult.OK;
                                    case MISSING -> CopyResult.MISSING;
                                    case DAMAGED -> CopyResult.DAMAGED;
                                };
                                results.add(new Copy(path, t.name(), drilled, result, result == CopyResult.OK ? detail
                                        : o.detail()));
                                if (result == CopyResult.OK) {
                                    ok++;
                                    copies.computeIfAbsent(path, k -> new ArrayList<>()).add(new AssetCopies.KnownCopy(
                                            t.name(), CopyState.VERIFIED, drilled));
                                } else {
                                    problems.add(new VaultOpsService.Finding(path, result.name(), o.detail()));
                                }
                            }
                        }
                        catalog.recordCopyResults(results);
                        damaged |= !problems.isEmpty();
                        done.add(new TargetArchive(t.name(), r.id().hex(), results.size(), ok, problems, null, null));
                    } catch (IOException | RuntimeException e) {
                        // a vault that fails, data that must be thawed before the drill can read it (exit 15): the
                        // shoot stays; its archive snapshots made so far do not stay pinned
                        if (made != null) {
                            done.add(new TargetArchive(t.name(), made, 0, 0, List.of(), null, null));
                        }
                        withdraw(open, done);
                        throw e;
                    }
                }
                if (damaged) {
                    return new ArchiveReport(lib.toString(), shoot, Outcome.DRILL_FAILED, policy, files.size(), bytes,
                            folders, done, List.of(), List.of(), List.of(), List.of(), withdraw(open, done),
                            seconds(started));
                }
                // the policy on what the drills proved, file by file
                Instant judged = clock.instant();
                List<Short> shortfall = new ArrayList<>();
                for (CatalogFile f : files) {
                    Decision d = evaluator.evaluate(new AssetCopies(f.path(), List.of(new AssetCopies.FileCopies(f.path(),
                            copies.getOrDefault(f.path(), List.of())))), judged);
                    if (!d.met()) {
                        shortfall.add(new Short(f.path(), describe(d, policy)));
                    }
                }
                if (!shortfall.isEmpty()) {
                    return new ArchiveReport(lib.toString(), shoot, Outcome.POLICY_NOT_MET, policy, files.size(), bytes,
                            folders, done, shortfall, List.of(), List.of(), List.of(), withdraw(open, done),
                            seconds(started));
                }
                // where the shoot will live, recorded before a single file goes
                List<Catalog.ArchivedFile> archived = files.stream().map(f -> new Catalog.ArchivedFile(f.path(), f.sha256(),
                        f.size(), inSnapshot.get(f.path()))).toList();
                List<Long> ids = new ArrayList<>();
                for (TargetArchive a : done) {
                    ids.add(catalog.recordArchive(shoot, a.target(), a.snapshot(), judged, archived));
                }
                List<String> removed = new ArrayList<>();
                List<Kept> kept = new ArrayList<>();
                for (CatalogFile f : files) {
                    Path file = lib.resolve(f.path());
                    beforeRemoving.accept(file);
                    try {
                        // re-read just before removing: a file edited since the scan is not the one the vaults hold
                        String sha = Hashing.sha256(file, n -> { });
                        if (!sha.equals(f.sha256())) {
                            kept.add(new Kept(f.path(), "changed since the archive snapshot was made (it is not the"
                                    + " archived version): left in the library"));
                            continue;
                        }
                        Files.delete(file);
                        removed.add(f.path());
                    } catch (NoSuchFileException e) {
                        removed.add(f.path());   // gone already: the archive holds it
                    } catch (IOException e) {
                        kept.add(new Kept(f.path(), "could not be removed: " + e.getMessage()));
                    }
                }
                catalog.finishArchive(ids, removed, kept.stream().map(Kept::path).toList());
                List<String> foldersRemoved = removeEmptyFolders(lib, folders);
                // the catalog, which now says where the shoot lives, into each vault
                List<TargetArchive> saved = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    Target t = targets.get(i);
                    TargetArchive a = done.get(i);
                    String snapshot = null;
                    String warning = null;
                    // tagged with the shoot, not as an archive: retention treats it as any catalog snapshot
                    VaultService.CatalogSaved cs = vaults.saveCatalog(open.get(i), lib, vaults.backupOptions(List.of(),
                            List.of(shootTag(shoot)), null, false));
                    snapshot = cs.snapshot() == null ? null : cs.snapshot().hex();
                    warning = cs.problem();
                    saved.add(new TargetArchive(a.target(), a.snapshot(), a.drilled(), a.ok(), a.problems(), snapshot,
                            warning == null ? null : "the catalog could not be saved into the vault: " + warning));
                }
                return new ArchiveReport(lib.toString(), shoot, Outcome.ARCHIVED, policy, files.size(), bytes, folders,
                        saved, List.of(), removed, kept, foldersRemoved, List.of(), seconds(started));
            } finally {
                for (Vault v : open) {
                    try {
                        v.close();
                    } catch (IOException | RuntimeException e) {
                        // closing only
                    }
                }
            }
        }
    }

    /**
     * The archive snapshots of a refused archive are forgotten again (recoverable for the recovery window), so that
     * retention does not keep them forever for a shoot that was never archived. Best effort: says what it did.
     */
    private List<String> withdraw(List<Vault> open, List<TargetArchive> made) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            TargetArchive a = made.get(i);
            try {
                vaults.forget(open.get(i), new VaultService.ForgetRequest(null, List.of(a.snapshot()), Set.of(),
                        java.time.ZoneOffset.UTC, false, true));
                notes.add(a.target() + ": archive snapshot " + a.snapshot().substring(0, 8) + " forgotten again (the"
                        + " shoot was not archived)");
            } catch (IOException | RuntimeException e) {
                notes.add(a.target() + ": archive snapshot " + a.snapshot().substring(0, 8) + " could not be forgotten"
                        + " (" + e.getMessage() + "); 'triplicate forget " + a.snapshot().substring(0, 8) + " --force'"
                        + " removes it");
            }
        }
        return notes;
    }

    /** The vault targets named, in the order given; a mirror, an unknown name or none at all is refused. */
    private static List<Target> vaultTargets(LibraryConfig config, List<String> names) {
        List<String> vaultNames = config.targets().stream().filter(t -> t.kind() == TargetKind.VAULT)
                .map(Target::name).toList();
        if (names.isEmpty()) {
            throw new TriplicateException("name the vault target(s) to archive into with --to"
                    + (vaultNames.isEmpty() ? " (the config has none: add one with 'triplicate target add NAME"
                    + " --kind vault …')" : " (the vault targets: " + String.join(", ", vaultNames) + ")"));
        }
        List<Target> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            Target t = config.target(n).orElseThrow(() -> new TriplicateException("there is no target named '" + n
                    + "'" + (vaultNames.isEmpty() ? "; the config has no vault target" : "; the vault targets: "
                    + String.join(", ", vaultNames))));
            if (t.kind() != TargetKind.VAULT) {
                throw new TriplicateException("'" + n + "' is a mirror: a mirror follows the library, so it would"
                        + " move the archived files to its safety net and delete them after "
                        + config.safetyNetDays() + " days. Archive into vault targets"
                        + (vaultNames.isEmpty() ? "" : " (" + String.join(", ", vaultNames) + ")"));
            }
            out.add(t);
        }
        return out;
    }

    /** The shoot is not in the library: archived already, or unknown (then the names that come close). */
    private static TriplicateException unknownShoot(Catalog catalog, String shoot) {
        List<Catalog.Archive> archived = catalog.archives(shoot);
        if (!archived.isEmpty()) {
            Catalog.Archive a = archived.get(0);
            return new TriplicateException("the shoot '" + shoot + "' is archived already (in " + a.target()
                    + ", snapshot " + a.snapshot().substring(0, 8) + ", " + a.at() + "); 'triplicate unarchive' brings"
                    + " it back");
        }
        List<String> names = catalog.shoots().stream().map(Catalog.Shoot::name).toList();
        List<String> close = close(shoot, names);
        return new TriplicateException("the catalog has no shoot '" + shoot + "'" + (close.isEmpty()
                ? (names.isEmpty() ? "" : " ('triplicate find' lists the shoots of the assets)")
                : "; did you mean " + String.join(", ", close.stream().map(n -> "'" + n + "'").toList()) + "?"));
    }

    /** Up to 5 of {@code names} close to {@code wanted}: containing it (or in it), or a few typos away. */
    static List<String> close(String wanted, List<String> names) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return names.stream().map(n -> Map.entry(n, distance(w, n.toLowerCase(Locale.ROOT))))
                .filter(e -> {
                    String n = e.getKey().toLowerCase(Locale.ROOT);
                    return n.contains(w) || w.contains(n) || e.getValue() <= Math.max(2, w.length() / 3);
                })
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(5).map(Map.Entry::getKey).toList();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The folders to back up: the folders the shoot's files are in, without those inside another. Each becomes a root
     * of the snapshot named by its last element, so two must not share one; files at the top of the library cannot be
     * archived (the library itself would be the folder).
     */
    static Set<String> roots(List<CatalogFile> files) {
        Set<String> parents = new TreeSet<>();
        for (CatalogFile f : files) {
            int slash = f.path().lastIndexOf('/');
            if (slash < 0) {
                throw new TriplicateException("the shoot's file " + f.path() + " is at the top of the library, not in a"
                        + " folder: only shoots in folders of their own can be archived");
            }
            parents.add(f.path().substring(0, slash));
        }
        Set<String> roots = new TreeSet<>();
        for (String p : parents) {
            if (roots.stream().noneMatch(r -> p.startsWith(r + "/"))) {
                roots.add(p);
            }
        }
        Map<String, String> names = new HashMap<>();
        for (String r : roots) {
            String name = r.substring(r.lastIndexOf('/') + 1);
            String other = names.putIfAbsent(name, r);
            if (other != null) {
                throw new TriplicateException("the shoot is in two folders named '" + name + "' (" + other + " and "
                        + r + "), which one snapshot cannot hold side by side: rename one of them");
            }
        }
        return roots;
    }

    /** Each file's path inside the archive snapshot: its root folder's name, then its path below it. */
    static Map<String, String> snapshotPaths(List<CatalogFile> files) {
        Set<String> roots = roots(files);
        Map<String, String> out = new LinkedHashMap<>();
        for (CatalogFile f : files) {
            String root = roots.stream().filter(r -> f.path().startsWith(r + "/")).findFirst().orElseThrow();
            out.put(f.path(), root.substring(root.lastIndexOf('/') + 1) + f.path().substring(root.length()));
        }
        return out;
    }

    static String shootTag(String shoot) {
        String t = Retention.SHOOT_TAG_PREFIX + shoot.replaceAll("[,\\p{Cntrl}]", "_").strip();
        return t.length() > 100 ? t.substring(0, 100).strip() : t;
    }

    /** "1 copy outside the library (2 wanted), no offsite copy (1 wanted)". */
    static String describe(Decision d, Policy policy) {
        List<String> parts = new ArrayList<>();
        if (d.copies() < policy.copies()) {
            parts.add(d.copies() + (d.copies() == 1 ? " copy" : " copies") + " outside the library ("
                    + policy.copies() + " wanted)");
        }
        if (d.media().size() < policy.mediaClasses()) {
            parts.add(d.media().size() + " kind(s) of media (" + policy.mediaClasses() + " wanted)");
        }
        if (d.offsite() < policy.offsite()) {
            parts.add((d.offsite() == 0 ? "no offsite copy" : d.offsite() + " offsite cop"
                    + (d.offsite() == 1 ? "y" : "ies")) + " (" + policy.offsite() + " wanted)");
        }
        return String.join(", ", parts);
    }

    /** Removes the folders (and folders below them) left empty, deepest first; returns them. */
    private static List<String> removeEmptyFolders(Path lib, List<String> roots) {
        List<String> out = new ArrayList<>();
        for (String r : roots) {
            Path root = lib.resolve(r);
            List<Path> dirs = new ArrayList<>();
            try (var walk = Files.walk(root)) {
                walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
            } catch (IOException e) {
                continue;
            }
            dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path d : dirs) {
                try {
                    Files.delete(d);
                    out.add(lib.relativize(d).toString().replace('\\', '/'));
                } catch (DirectoryNotEmptyException e) {
                    // holds something that is not the shoot's: stays
                } catch (IOException e) {
                    // left as it is
                }
            }
        }
        return out;
    }

    private static double seconds(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
    }

    // ============================================================================================== unarchive

    /** A file that could not be brought back, and why; it stays archived. */
    public record Problem(String path, String why) {
    }

    /** What an unarchive did. */
    public record UnarchiveReport(String library, String shoot, List<String> sources, long files, long restored,
                                  long alreadyThere, List<Problem> problems, long stillArchived, double seconds) {
        public boolean complete() {
            return problems.isEmpty();
        }
    }

    /**
     * Brings an archived shoot back into the library: every archived file is restored from an archive snapshot (of
     * {@code from}, else of the first configured vault target holding it) into a folder inside {@code .triplicate},
     * checked against the SHA-256 recorded when it was archived, and moved to its path; a file already at its path
     * with that content is kept, one with other content is never replaced (reported, and the file stays archived).
     * Then the files are live in the catalog again and the archive records go. Running it again finishes an
     * interrupted run.
     */
    public UnarchiveReport unarchive(Path library, String shoot, String from, TargetPasswords passwords)
            throws IOException {
        long started = System.nanoTime();
        Path lib = library.toAbsolutePath().normalize();
        LibraryConfig config = ConfigFile.load(lib);
        if (from != null) {
            Target t = config.target(from).orElseThrow(() -> new TriplicateException("there is no target named '"
                    + from + "'"));
            if (t.kind() != TargetKind.VAULT) {
                throw new TriplicateException("'" + from + "' is a mirror; archives are in vault targets");
            }
        }
        try (Catalog catalog = catalogs.openExisting(lib)) {
            List<Catalog.Archive> archives = catalog.archives(shoot);
            if (archives.isEmpty()) {
                List<String> names = catalog.archives(null).stream().map(Catalog.Archive::shoot).distinct().toList();
                List<String> close = close(shoot, names);
                throw new TriplicateException("the shoot '" + shoot + "' is not archived" + (names.isEmpty()
                        ? " (no shoot is)" : close.isEmpty() ? " (archived shoots: " + String.join(", ", names) + ")"
                        : "; did you mean " + String.join(", ", close.stream().map(n -> "'" + n + "'").toList())
                        + "?"));
            }
            catalog.checkWritable();
            // the order in which archives are used: --from, then the config's order of vault targets
            List<String> order = new ArrayList<>();
            if (from != null) {
                order.add(from);
            } else {
                config.targets().stream().filter(t -> t.kind() == TargetKind.VAULT).forEach(t -> order.add(t.name()));
            }
            Map<String, Catalog.Archive> source = new LinkedHashMap<>();   // path -> the archive it comes from
            Map<String, Catalog.ArchivedFile> wanted = new LinkedHashMap<>();
            for (String t : order) {
                for (Catalog.Archive a : archives) {
                    if (a.target().equals(t)) {
                        for (Catalog.ArchivedFile f : a.files()) {
                            source.putIfAbsent(f.path(), a);
                            wanted.putIfAbsent(f.path(), f);
                        }
                    }
                }
            }
            List<Problem> problems = new ArrayList<>();
            for (Catalog.Archive a : archives) {
                for (Catalog.ArchivedFile f : a.files()) {
                    if (!wanted.containsKey(f.path())) {
                        wanted.put(f.path(), f);
                        problems.add(new Problem(f.path(), "archived in " + a.target() + (from != null ? ", not in "
                                + from : ", which is not a vault target of the config")));
                    }
                }
            }
            List<Catalog.FileIdentity> back = new ArrayList<>();
            long restored = 0;
            long already = 0;
            Map<Catalog.Archive, List<Catalog.ArchivedFile>> toRestore = new LinkedHashMap<>();
            for (Map.Entry<String, Catalog.Archive> e : source.entrySet()) {
                Catalog.ArchivedFile f = wanted.get(e.getKey());
                Path at = lib.resolve(f.path());
                if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    String sha = Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS) ? Hashing.sha256(at, n -> { })
                            : null;
                    if (f.sha256().equals(sha)) {
                        back.add(identity(lib, f.path()));
                        already++;
                    } else {
                        problems.add(new Problem(f.path(), "another file is at its place in the library: it was not"
                                + " replaced (move it away and run unarchive again)"));
                    }
                } else {
                    toRestore.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(f);
                }
            }
            List<String> sources = new ArrayList<>();
            Path staging = lib.resolve(Catalog.FOLDER).resolve("unarchive");
            for (Map.Entry<Catalog.Archive, List<Catalog.ArchivedFile>> e : toRestore.entrySet()) {
                Catalog.Archive a = e.getKey();
                Target t = config.target(a.target()).orElseThrow();
                sources.add(a.target() + " snapshot " + a.snapshot().substring(0, 8));
                Path into = staging.resolve(a.snapshot().substring(0, 16));
                try (Password p = passwords.forTarget(t); Vault v = vaults.open(t.uri(), p)) {
                    Map<String, List<Catalog.ArchivedFile>> byRoot = new LinkedHashMap<>();
                    for (Catalog.ArchivedFile f : e.getValue()) {
                        byRoot.computeIfAbsent(f.snapshotPath().substring(0, f.snapshotPath().indexOf('/')),
                                k -> new ArrayList<>()).add(f);
                    }
                    for (Map.Entry<String, List<Catalog.ArchivedFile>> r : byRoot.entrySet()) {
                        String root = r.getKey();
                        RestoreResult rr = vaults.restoreFiles(v, Id.parse(a.snapshot()), root, r.getValue().stream()
                                .map(f -> f.snapshotPath().substring(root.length() + 1)).toList(),
                                into.resolve(root), new RestoreProgress());
                        Map<String, String> failed = new HashMap<>();
                        rr.problems().forEach(x -> failed.putIfAbsent(x.path(), x.message()));
                        for (Catalog.ArchivedFile f : r.getValue()) {
                            String rel = f.snapshotPath().substring(root.length() + 1);
                            Path staged = into.resolve(root).resolve(rel);
                            if (failed.containsKey(rel) || !Files.isRegularFile(staged, LinkOption.NOFOLLOW_LINKS)) {
                                problems.add(new Problem(f.path(), "could not be restored from " + a.target() + ": "
                                        + failed.getOrDefault(rel, "not restored")));
                                continue;
                            }
                            if (!f.sha256().equals(Hashing.sha256(staged, n -> { }))) {
                                problems.add(new Problem(f.path(), "restored from " + a.target() + ", but its content"
                                        + " is not the archived file's (SHA-256 differs): not put back"));
                                continue;
                            }
                            Path at = lib.resolve(f.path());
                            Files.createDirectories(at.getParent());
                            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                                problems.add(new Problem(f.path(), "another file appeared at its place meanwhile: not"
                                        + " replaced"));
                                continue;
                            }
                            Files.move(staged, at, StandardCopyOption.ATOMIC_MOVE);
                            back.add(identity(lib, f.path()));
                            restored++;
                        }
                    }
                }
            }
            catalog.unarchived(shoot, back);
            if (problems.isEmpty()) {
                deleteTree(staging);
            }
            long still = catalog.archives(shoot).stream().mapToLong(a -> a.files().size()).sum();
            return new UnarchiveReport(lib.toString(), shoot, sources, wanted.size(), restored, already, problems,
                    still, seconds(started));
        }
    }

    private static Catalog.FileIdentity identity(Path lib, String path) throws IOException {
        Path p = lib.resolve(path);
        var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object key = attrs.fileKey();
        return new Catalog.FileIdentity(path, attrs.lastModifiedTime().toInstant(), key == null ? null : key.toString());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
