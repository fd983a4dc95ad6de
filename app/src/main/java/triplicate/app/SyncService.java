package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.CopyRecord;
import triplicate.catalog.CopyResult;
import triplicate.catalog.ScanProgress;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;
import triplicate.maintenance.TreeWalker;
import triplicate.snapshot.NodeType;

/**
 * {@code triplicate sync}: everything the config asks, in order (docs/sync.md): scan the library into its catalog;
 * back the library up to each vault target and record, for each catalogued file the snapshot holds unchanged, that
 * the vault stores it (STORED, the snapshot's id and time); bring each mirror in step; judge the status. A target
 * that fails or cannot be reached is reported, and the others are served. Thread-safe (holds only collaborators).
 */
public final class SyncService {
    private final CatalogService catalogs;
    private final VaultService vaults;
    private final MirrorService mirrors;
    private final StatusService status;

    public SyncService(CatalogService catalogs, VaultService vaults, MirrorService mirrors, StatusService status) {
        this.catalogs = catalogs;
        this.vaults = vaults;
        this.mirrors = mirrors;
        this.status = status;
    }

    /**
     * What a sync did.
     *
     * @param library     the library
     * @param scanned     the catalog scan, or null when the catalog was busy
     * @param scanWarning why the scan could not run, or null
     * @param vaults      one report per vault target, in config order
     * @param mirrors     one report per mirror target, in config order
     * @param status      the status afterwards
     */
    public record Report(Path library, CatalogService.Scan scanned, String scanWarning, List<VaultBackupReport> vaults,
                         List<MirrorReport> mirrors, StatusService.Status status) {
        public Report {
            vaults = List.copyOf(vaults);
            mirrors = List.copyOf(mirrors);
        }
    }

    public Report sync(Path library, TargetPasswords passwords, MirrorProgress progress) throws IOException {
        Path lib = library.toAbsolutePath().normalize();
        LibraryConfig config = ConfigFile.load(lib);
        if (config.targets().isEmpty()) {
            throw new TriplicateException("the config has no target: add mirrors and vaults with 'triplicate target"
                    + " add' (see docs/config.md)");
        }
        CatalogService.Scan scanned = null;
        String scanWarning = null;
        try {
            scanned = catalogs.scan(lib, new ScanProgress());
        } catch (CatalogBusyException e) {
            scanWarning = "the catalog was busy (another Triplicate process holds it), so the library was not scanned:"
                    + " working from what the catalog knew";
        }
        List<VaultBackupReport> vaultReports = new ArrayList<>();
        List<MirrorReport> mirrorReports = new ArrayList<>();
        try (Catalog catalog = catalogs.openExisting(lib)) {
            for (Target t : config.targets()) {
                if (t.kind() == TargetKind.VAULT) {
                    vaultReports.add(backup(lib, catalog, t, passwords));
                }
            }
            List<Mirrorer.Entry> files = Mirrorer.entries(catalog);
            MirrorService.Options options = new MirrorService.Options(false, false, false);
            for (Target t : config.targets()) {
                if (t.kind() == TargetKind.MIRROR) {
                    mirrorReports.add(mirrors.runOne(catalog, config, t, files, options, progress));
                }
            }
        }
        return new Report(lib, scanned, scanWarning, vaultReports, mirrorReports, status.status(lib));
    }

    VaultBackupReport backup(Path library, Catalog catalog, Target t, TargetPasswords passwords) {
        BackupResult r;
        try (Password p = passwords.forTarget(t); Vault v = vaults.open(t.uri(), p)) {
            r = vaults.backup(v, List.of(library), vaults.backupOptions(List.of(), List.of("sync"), null, false),
                    new BackupProgress(false));
            // what the snapshot holds, as the catalog names it: paths in a snapshot start with the library's name
            String root = library.getFileName().toString();
            Map<String, long[]> held = new HashMap<>();
            for (TreeWalker.Entry e : vaults.ls(v, r.id(), root, true)) {
                if (e.node().type() == NodeType.FILE && e.path().startsWith(root + "/")) {
                    held.put(e.path().substring(root.length() + 1), new long[] {e.node().size(), e.node().mtimeNanos()});
                }
            }
            List<CopyRecord> records = new ArrayList<>();
            String detail = "snapshot " + r.id().hex();
            catalog.forEachFile(f -> {
                long[] n = held.get(f.path());
                long mtime = f.mtime().getEpochSecond() * 1_000_000_000L + f.mtime().getNano();
                // the snapshot's file is the catalogued one when size and mtime agree (both read from the same file)
                if (n != null && n[0] == f.size() && n[1] == mtime) {
                    records.add(new CopyRecord(f.path(), f.sha256(), t.name(), r.snapshot().time(), CopyResult.STORED,
                            detail));
                }
            });
            long recorded = 0;
            String catalogWarning = null;
            try {
                recorded = catalog.recordCopies(records);
            } catch (CatalogBusyException e) {
                catalogWarning = "the catalog is busy (another Triplicate process holds it): the snapshot's files were not"
                        + " recorded as stored; the next sync records them";
            }
            // after the copies are recorded, so the catalog in the vault knows this snapshot holds them
            VaultService.CatalogSaved saved = vaults.saveCatalog(v, library, vaults.backupOptions(List.of(),
                    List.of("sync"), null, false));
            if (saved.snapshot() == null) {
                catalogWarning = (catalogWarning == null ? "" : catalogWarning + "; ") + "the catalog could not be"
                        + " saved into the vault: " + saved.problem();
            }
            return new VaultBackupReport(t.name(), VaultBackupReport.Outcome.DONE, null, r.id().hex(),
                    r.snapshot().summary(), r.snapshot().warnings(), recorded, catalogWarning,
                    saved.snapshot() == null ? null : saved.snapshot().hex());
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return VaultBackupReport.failed(t.name(), m);
        }
    }
}
