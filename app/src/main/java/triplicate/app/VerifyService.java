package triplicate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.Copy;
import triplicate.catalog.CopyRecord;
import triplicate.catalog.CopyResult;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;

/**
 * {@code verify} and {@code heal} (docs/mirrors.md). A mirror is scrubbed: each file chosen is read and hashed, and
 * compared with the catalog's SHA-256 and the manifest, so bit rot is named file by file; results go into the
 * catalog's copies (when last verified, and what was found), which is what status judges by. Heal re-writes every
 * mirror file the last verify found damaged or missing from a source whose content is checked first: the library,
 * another mirror. Vault targets go to {@link VaultDrills}. Thread-safe (holds only its collaborators).
 */
public final class VerifyService {
    private final InstantSource clock;
    private final CatalogService catalogs;
    private final VaultDrills drills;
    private final VaultService vaults;

    /** @param vaults opens vault targets to heal a mirror from a snapshot; null: mirrors heal from the library and mirrors only */
    public VerifyService(InstantSource clock, CatalogService catalogs, VaultDrills drills, VaultService vaults) {
        this.clock = clock;
        this.catalogs = catalogs;
        this.drills = drills;
        this.vaults = vaults;
    }

    private static List<Target> targets(LibraryConfig config, String name) {
        if (name != null) {
            return List.of(config.target(name).orElseThrow(() -> new TriplicateException("there is no target named '"
                    + name + "' (see 'triplicate target list')")));
        }
        if (config.targets().isEmpty()) {
            throw new TriplicateException("the config has no target; add one with 'triplicate target add'");
        }
        return config.targets();
    }

    /** Verifies {@code target} (every target when null). */
    public List<TargetCheck> verify(Path library, String target, Sample sample, TargetPasswords passwords,
                                    MirrorProgress progress) {
        LibraryConfig config = ConfigFile.load(library);
        List<TargetCheck> out = new ArrayList<>();
        try (Catalog catalog = catalogs.openExisting(library)) {
            List<Mirrorer.Entry> files = Mirrorer.entries(catalog);
            for (Target t : targets(config, target)) {
                out.add(switch (t.kind()) {
                    case MIRROR -> verifyMirror(catalog, t, files, sample, progress);
                    case VAULT -> drill(catalog, t, sample, passwords);
                });
            }
        }
        return out;
    }

    private TargetCheck drill(Catalog catalog, Target t, Sample sample, TargetPasswords passwords) {
        try (Password p = passwords.forTarget(t)) {
            VaultDrills.DrillReport r = drills.drill(t.name(), t.uri(), p, catalog, sample);
            return new TargetCheck(t.name(), TargetKind.VAULT, TargetCheck.Outcome.DONE,
                    r.notes().isEmpty() ? null : String.join("; ", r.notes()), r.checked(), r.ok(), r.damaged(),
                    r.missing(), List.of(), 0, r.checked(), null);
        } catch (IOException | TriplicateException e) {
            return TargetCheck.notRun(t.name(), TargetKind.VAULT, TargetCheck.Outcome.FAILED, e.getMessage());
        }
    }

    TargetCheck verifyMirror(Catalog catalog, Target t, List<Mirrorer.Entry> files, Sample sample,
                             MirrorProgress progress) {
        MirrorFolder folder = MirrorFolder.of(t.uri());
        String why = folder.unavailableReason(t.name());
        if (why != null) {
            return TargetCheck.notRun(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.UNAVAILABLE, why);
        }
        String warning = null;
        Map<String, String> manifest;
        try {
            manifest = Manifest.read(folder.manifest());
        } catch (Manifest.DamagedException e) {
            warning = e.getMessage() + ": files were compared with the catalog only; run 'triplicate mirror " + t.name()
                    + " --rebuild-manifest'";
            manifest = Map.of();
        } catch (IOException e) {
            return TargetCheck.notRun(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.FAILED, Mirrorer.describe(e));
        }
        Map<String, Copy> last = catalog.copiesOn(t.name());
        // least recently verified first (never verified before all), then by path
        List<Mirrorer.Entry> order = new ArrayList<>(files);
        order.sort(Comparator.comparing((Mirrorer.Entry f) -> last.containsKey(f.path())
                ? last.get(f.path()).verifiedAt() : Instant.MIN).thenComparing(Mirrorer.Entry::path));
        List<Mirrorer.Entry> chosen = order.subList(0, sample.of(order.size()));
        progress.filesTotal.addAndGet(chosen.size());
        progress.bytesTotal.addAndGet(chosen.stream().mapToLong(Mirrorer.Entry::size).sum());
        Instant now = clock.instant();
        List<CopyRecord> records = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        long ok = 0;
        long bytes = 0;
        TargetCheck.Outcome outcome = TargetCheck.Outcome.DONE;
        for (Mirrorer.Entry f : chosen) {
            Path p = folder.file(f.path());
            String listed = manifest.get(f.path());
            try {
                String sha = Hashing.sha256(p, progress.bytes::addAndGet);
                bytes += f.size();
                if (sha.equals(f.sha256())) {
                    ok++;
                    records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.OK, "verified"));
                } else if (sha.equals(listed)) {
                    missing.add(f.path() + ": the mirror has an older version (run 'triplicate mirror " + t.name() + "')");
                    records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.MISSING,
                            "an older version"));
                } else {
                    String detail = "content differs from the catalog" + (f.sha256().equals(listed)
                            ? " and the manifest: bit rot, or changed on the mirror" : listed == null
                            ? " (not in the manifest)" : " and the manifest");
                    damaged.add(f.path() + ": " + detail);
                    records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.DAMAGED, detail));
                }
            } catch (NoSuchFileException e) {
                if (!folder.isMirror()) {
                    outcome = TargetCheck.Outcome.UNAVAILABLE;
                    warning = folder.root() + " became unavailable during the verification (drive unplugged?)";
                    break;
                }
                missing.add(f.path());
                records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.MISSING, "not on the mirror"));
            } catch (IOException e) {
                if (!folder.isMirror()) {
                    outcome = TargetCheck.Outcome.UNAVAILABLE;
                    warning = folder.root() + " became unavailable during the verification (drive unplugged?)";
                    break;
                }
                damaged.add(f.path() + ": cannot be read: " + Mirrorer.describe(e));
                records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.DAMAGED,
                        "cannot be read: " + Mirrorer.describe(e)));
            }
            progress.files.incrementAndGet();
        }
        long recorded = 0;
        String catalogWarning = null;
        try {
            recorded = catalog.recordCopies(records);
        } catch (CatalogBusyException e) {
            catalogWarning = "the catalog is busy (another Triplicate process holds it): the results were not recorded";
        }
        return new TargetCheck(t.name(), TargetKind.MIRROR, outcome, warning, records.size(), ok, damaged, missing,
                List.of(), bytes, recorded, catalogWarning);
    }

    // ------------------------------------------------------------------------------------------------ heal

    /** Heals {@code target} (every target when null): what the last verify found damaged or missing. */
    public List<TargetCheck> heal(Path library, String target, TargetPasswords passwords) {
        LibraryConfig config = ConfigFile.load(library);
        List<TargetCheck> out = new ArrayList<>();
        try (Catalog catalog = catalogs.openExisting(library)) {
            Map<String, Mirrorer.Entry> files = new HashMap<>();
            Mirrorer.entries(catalog).forEach(e -> files.put(e.path(), e));
            for (Target t : targets(config, target)) {
                out.add(switch (t.kind()) {
                    case MIRROR -> healMirror(catalog, config, t, files, passwords);
                    case VAULT -> healVault(catalog, config, t, passwords);
                });
            }
        }
        return out;
    }

    private TargetCheck healVault(Catalog catalog, LibraryConfig config, Target t, TargetPasswords passwords) {
        // the other targets as sources: mirrors that are plugged in, and vaults whose password is at hand
        List<Path> mirrors = new ArrayList<>();
        List<VaultOpsService.VaultSource> others = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            for (Target o : config.targets()) {
                if (o.name().equals(t.name())) {
                    continue;
                }
                if (o.kind() == TargetKind.MIRROR) {
                    MirrorFolder m = MirrorFolder.of(o.uri());
                    if (m.isMirror()) {
                        mirrors.add(m.root());
                    }
                } else {
                    try {
                        others.add(new VaultOpsService.VaultSource(o.uri(), passwords.forTarget(o)));
                    } catch (TriplicateException e) {
                        notes.add("vault " + o.name() + " is not used as a source: " + e.getMessage());
                    }
                }
            }
            try (Password p = passwords.forTarget(t)) {
                VaultDrills.HealReport r = drills.heal(t.name(), t.uri(), p, catalog, mirrors, others);
                return new TargetCheck(t.name(), TargetKind.VAULT, TargetCheck.Outcome.DONE,
                        notes.isEmpty() ? null : String.join("; ", notes), r.healed().size() + r.unhealed().size(),
                        r.healed().size(), r.unhealed(), List.of(), r.healed(), 0, 0, null);
            }
        } catch (IOException | TriplicateException e) {
            return TargetCheck.notRun(t.name(), TargetKind.VAULT, TargetCheck.Outcome.FAILED, e.getMessage());
        } finally {
            others.forEach(o -> o.password().close());
        }
    }

    TargetCheck healMirror(Catalog catalog, LibraryConfig config, Target t, Map<String, Mirrorer.Entry> files,
                           TargetPasswords passwords) {
        MirrorFolder folder = MirrorFolder.of(t.uri());
        String why = folder.unavailableReason(t.name());
        if (why != null) {
            return TargetCheck.notRun(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.UNAVAILABLE, why);
        }
        Map<String, String> manifest;
        String warning = null;
        try {
            manifest = Manifest.read(folder.manifest());
        } catch (Manifest.DamagedException e) {
            manifest = new TreeMap<>();
            warning = e.getMessage() + ": it is rewritten with the healed files only; run 'triplicate mirror "
                    + t.name() + " --rebuild-manifest' to list the others again";
        } catch (IOException e) {
            return TargetCheck.notRun(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.FAILED, Mirrorer.describe(e));
        }
        List<Copy> broken = catalog.copiesOn(t.name()).values().stream()
                .filter(c -> c.result() == CopyResult.DAMAGED || c.result() == CopyResult.MISSING)
                .sorted(Comparator.comparing(Copy::path)).toList();
        // other mirrors that can serve as sources, in config order
        List<MirrorFolder> others = config.targets().stream()
                .filter(o -> o.kind() == TargetKind.MIRROR && !o.name().equals(t.name()))
                .map(o -> MirrorFolder.of(o.uri())).filter(MirrorFolder::isMirror).toList();
        List<String> healed = new ArrayList<>();
        List<String> unhealed = new ArrayList<>();
        List<CopyRecord> records = new ArrayList<>();
        Instant now = clock.instant();
        long bytes = 0;
        try (VaultSources fromVaults = new VaultSources(catalog, config, passwords, folder)) {
            for (Copy c : broken) {
                Mirrorer.Entry f = files.get(c.path());
                if (f == null) {
                    continue;
                }
                List<String> tried = new ArrayList<>();
                boolean done = false;
                List<Map.Entry<String, Path>> sources = new ArrayList<>();
                sources.add(Map.entry("the library", catalog.library().resolve(f.path())));
                for (MirrorFolder o : others) {
                    sources.add(Map.entry(o.root().toString(), o.file(f.path())));
                }
                for (Map.Entry<String, Path> source : sources) {
                    try {
                        if (!Files.isRegularFile(source.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                            tried.add(source.getKey() + ": not there");
                            continue;
                        }
                        String[] replaced = {null};
                        MirrorFolder.Installed r = folder.install(source.getValue(), f.path(), f.sha256(), f.mtime(), now,
                                to -> replaced[0] = to, n -> { });
                        if (r == MirrorFolder.Installed.SOURCE_CHANGED) {
                            tried.add(source.getKey() + ": differs from the catalog too");
                            continue;
                        }
                        bytes += f.size();
                        manifest.put(f.path(), f.sha256());
                        healed.add(f.path() + " from " + source.getKey()
                                + (replaced[0] == null ? "" : " (the damaged copy kept in " + replaced[0] + ")"));
                        records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.OK,
                                "healed from " + source.getKey()));
                        done = true;
                        break;
                    } catch (IOException e) {
                        if (!folder.isMirror()) {
                            return TargetCheck.notRun(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.UNAVAILABLE,
                                    folder.root() + " became unavailable during the heal (drive unplugged?)");
                        }
                        tried.add(source.getKey() + ": " + Mirrorer.describe(e));
                    }
                }
                if (!done) {
                    // last, the vaults whose snapshots hold the file: restored into the mirror's scratch folder first
                    for (VaultSources.Restored v : fromVaults.restore(f.path(), tried)) {
                        try {
                            String[] replaced = {null};
                            MirrorFolder.Installed r = folder.install(v.file(), f.path(), f.sha256(), f.mtime(), now,
                                    to -> replaced[0] = to, n -> { });
                            if (r == MirrorFolder.Installed.SOURCE_CHANGED) {
                                tried.add(v.source() + ": differs from the catalog");
                                continue;
                            }
                            bytes += f.size();
                            manifest.put(f.path(), f.sha256());
                            healed.add(f.path() + " from " + v.source()
                                    + (replaced[0] == null ? "" : " (the damaged copy kept in " + replaced[0] + ")"));
                            records.add(new CopyRecord(f.path(), f.sha256(), t.name(), now, CopyResult.OK,
                                    "healed from " + v.source()));
                            done = true;
                            break;
                        } catch (IOException e) {
                            tried.add(v.source() + ": " + Mirrorer.describe(e));
                        } finally {
                            v.delete();
                        }
                    }
                }
                if (!done) {
                    unhealed.add(f.path() + ": no healthy copy found (" + String.join("; ", tried) + ")");
                }
            }
        }
        try {
            Manifest.write(folder.manifest(), manifest);
        } catch (IOException e) {
            warning = (warning == null ? "" : warning + "; ") + "the manifest could not be saved: " + Mirrorer.describe(e);
        }
        long recorded = 0;
        String catalogWarning = null;
        try {
            recorded = catalog.recordCopies(records);
        } catch (CatalogBusyException e) {
            catalogWarning = "the catalog is busy (another Triplicate process holds it): the healed copies were not"
                    + " recorded; the next verify records them";
        }
        return new TargetCheck(t.name(), TargetKind.MIRROR, TargetCheck.Outcome.DONE, warning, broken.size(),
                healed.size(), unhealed, List.of(), healed, bytes, recorded, catalogWarning);
    }


    /**
     * The vault targets as sources for healing a mirror: each vault whose catalog record says a snapshot stores the
     * file (STORED or OK, detail {@code snapshot ID}) is opened once (with its password) and the file restored from
     * that snapshot into the mirror's scratch folder, {@code .triplicate-mirror/heal}; the caller checks its content.
     */
    private final class VaultSources implements AutoCloseable {
        record Restored(String source, Path file, Path scratch) {
            void delete() {
                try (var walk = Files.walk(scratch)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // a scratch file left behind is removed by the next heal
                }
            }
        }

        private final Catalog catalog;
        private final List<Target> vaultTargets;
        private final TargetPasswords passwords;
        private final MirrorFolder folder;
        private final Map<String, Vault> open = new HashMap<>();
        private final Map<String, String> failed = new HashMap<>();

        VaultSources(Catalog catalog, LibraryConfig config, TargetPasswords passwords, MirrorFolder folder) {
            this.catalog = catalog;
            this.vaultTargets = config.targets().stream().filter(x -> x.kind() == TargetKind.VAULT).toList();
            this.passwords = passwords;
            this.folder = folder;
        }

        List<Restored> restore(String path, List<String> tried) {
            List<Restored> out = new ArrayList<>();
            if (vaults == null || passwords == null) {
                return out;
            }
            Map<String, Copy> copies = new HashMap<>();
            catalog.copies(path).forEach(c -> copies.put(c.target(), c));
            for (Target v : vaultTargets) {
                Copy c = copies.get(v.name());
                if (c == null || c.detail() == null || !c.detail().startsWith("snapshot ")
                        || !(c.result() == CopyResult.STORED || c.result() == CopyResult.OK)) {
                    continue;
                }
                String source = "vault " + v.name() + " (" + c.detail() + ")";
                if (failed.containsKey(v.name())) {
                    tried.add(source + ": " + failed.get(v.name()));
                    continue;
                }
                try {
                    Vault vault = open.get(v.name());
                    if (vault == null) {
                        try (Password p = passwords.forTarget(v)) {
                            vault = vaults.open(v.uri(), p);
                        }
                        open.put(v.name(), vault);
                    }
                    Path scratch = folder.meta().resolve("heal");
                    Files.createDirectories(scratch);
                    String root = catalog.library().getFileName().toString();
                    triplicate.core.Id snapshot = triplicate.core.Id.parse(c.detail().substring("snapshot ".length()));
                    triplicate.restorer.RestoreResult r = vaults.restore(vault, snapshot, root + "/" + path, scratch,
                            new triplicate.restorer.RestoreProgress());
                    Path file = scratch.resolve(root).resolve(path);
                    if (!r.complete() || !Files.isRegularFile(file)) {
                        tried.add(source + ": could not be restored" + (r.problems().isEmpty() ? ""
                                : " (" + r.problems().get(0).message() + ")"));
                        new Restored(source, file, scratch.resolve(root)).delete();
                        continue;
                    }
                    out.add(new Restored(source, file, scratch.resolve(root)));
                    break;   // one good restore is enough; the caller checks it
                } catch (IOException | RuntimeException e) {
                    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    failed.put(v.name(), m);
                    tried.add(source + ": " + m);
                }
            }
            return out;
        }

        @Override
        public void close() {
            for (Vault v : open.values()) {
                try {
                    v.close();
                } catch (IOException e) {
                    // nothing was written to it
                }
            }
        }
    }
}
