package triplicate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import triplicate.archiver.BackupOptions;
import triplicate.archiver.BackupResult;
import triplicate.archiver.FileSnapshot;
import triplicate.catalog.Catalog;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Snapshot;

/**
 * The catalog saved into vaults. After each backup of a library that has a catalog, a consistent copy of the catalog
 * (SQLite's {@code VACUUM INTO}, taken while others may keep using it) is saved as a small snapshot of its own:
 * tagged {@value #TAG}, its only path {@code LIBRARY/.triplicate}, holding {@code .triplicate/catalog.db}. It needs
 * no change to the vault format, and its unchanged chunks deduplicate from one backup to the next. The library's
 * own snapshot leaves {@code .triplicate} out ({@link #excludesOf}); the catalog snapshot also holds the library's
 * {@code .triplicate/config.yaml} (its targets and policies), so that a recovery brings them back.
 *
 * <p>A library snapshot and the catalog saved with it are told apart by the tag, and paired by path and time: the
 * catalog snapshot's path is the library's path plus {@code .triplicate}, and it is the first one saved after the
 * library's snapshot.
 */
final class CatalogSnapshots {
    /** The tag of catalog snapshots. */
    static final String TAG = "triplicate-catalog";

    private CatalogSnapshots() {
    }

    static boolean isCatalog(Snapshot s) {
        return s.tags().contains(TAG);
    }

    /** The library a catalog snapshot belongs to (its path without {@code .triplicate}), or null. */
    static String libraryOf(Snapshot catalog) {
        if (!isCatalog(catalog) || catalog.paths().size() != 1) {
            return null;
        }
        Path p = Path.of(catalog.paths().get(0));
        return p.getParent() == null ? null : p.getParent().toString();
    }

    /** The paths among {@code paths} that are libraries with a catalog, absolute and normalised. */
    static List<Path> libraries(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            if (Files.isDirectory(abs) && Catalog.exists(abs)) {
                out.add(abs);
            }
        }
        return out;
    }

    /**
     * A glob (for {@link BackupOptions#excludes()}) that keeps {@code library}'s {@code .triplicate} folder out of a
     * snapshot of the library: the live catalog (a database copied file by file while in use would not be
     * consistent), its journal files and the scratch folders of drills and heals, whose changes would also change the
     * library's own folder listing at every backup (and keep heal from regenerating it). What of it matters, the
     * catalog and the library's {@code config.yaml}, goes into the catalog snapshot ({@link #save}).
     */
    static List<String> excludesOf(Path library) {
        return List.of(glob(library.resolve(Catalog.FOLDER).toString()));
    }

    private static String glob(String path) {
        StringBuilder glob = new StringBuilder(path.length() + 8);
        for (char ch : path.toCharArray()) {
            if ("\\*?[]{}".indexOf(ch) >= 0) {
                glob.append('\\');
            }
            glob.append(ch);
        }
        return glob.toString();
    }

    /**
     * Saves a consistent copy of {@code library}'s catalog into {@code repo} as a catalog snapshot (host, user and
     * clock from {@code options}). The temporary copy is made inside {@code .triplicate} (so it is on the library's
     * disk, skipped by scans and by the library's snapshots) and deleted afterwards.
     */
    static BackupResult save(Repository repo, Path library, BackupOptions options, InstantSource clock)
            throws IOException {
        Path folder = library.resolve(Catalog.FOLDER);
        Path copy = folder.resolve("catalog-copy-" + Long.toHexString(System.nanoTime()) + "-"
                + ProcessHandle.current().pid() + ".db");
        try {
            try (Catalog c = Catalog.openExisting(library, clock)) {
                c.copyTo(copy);
            }
            BackupOptions o = new BackupOptions(List.of(), List.of(TAG), options.host(), options.username(), null,
                    false, 1, options.clock());
            java.util.Map<String, Path> files = new java.util.TreeMap<>();
            files.put(Catalog.FILE_NAME, copy);
            Path config = folder.resolve(triplicate.config.ConfigFile.FILE_NAME);
            if (Files.isRegularFile(config, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                files.put(triplicate.config.ConfigFile.FILE_NAME, config);
            }
            return FileSnapshot.save(repo, files, folder, o);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The latest catalog snapshot of {@code snapshots} (oldest first), or null. */
    static Repository.SnapshotRef latest(List<Repository.SnapshotRef> snapshots) {
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            if (isCatalog(snapshots.get(i).snapshot())) {
                return snapshots.get(i);
            }
        }
        return null;
    }

    /**
     * The library snapshot that {@code catalog} was saved with: the latest snapshot (not a catalog) of the same host
     * that holds the catalog's library and is not newer than it; else the latest one holding it at all; or null.
     */
    static Repository.SnapshotRef libraryFor(Repository.SnapshotRef catalog, List<Repository.SnapshotRef> snapshots) {
        String library = libraryOf(catalog.snapshot());
        Repository.SnapshotRef best = null;
        Repository.SnapshotRef any = null;
        for (Repository.SnapshotRef r : snapshots) {
            Snapshot s = r.snapshot();
            if (isCatalog(s) || !s.paths().contains(library)) {
                continue;
            }
            any = r;
            if (!s.time().isAfter(catalog.snapshot().time())
                    && java.util.Objects.equals(s.host(), catalog.snapshot().host())) {
                best = r;
            }
        }
        return best != null ? best : any;
    }

    /**
     * The catalog snapshot saved with library snapshot {@code library}, if any: for each of its paths that has one,
     * the first catalog snapshot of that library from the same host, not older than it, before the next snapshot
     * holding that library.
     */
    static List<Repository.SnapshotRef> catalogsOf(Repository.SnapshotRef library, List<Repository.SnapshotRef> snapshots) {
        List<Repository.SnapshotRef> out = new ArrayList<>();
        Snapshot lib = library.snapshot();
        for (String path : lib.paths()) {
            for (Repository.SnapshotRef r : snapshots) {
                Snapshot s = r.snapshot();
                if (s.time().isBefore(lib.time()) || r.id().equals(library.id())) {
                    continue;
                }
                if (!isCatalog(s) && s.paths().contains(path)) {
                    break; // the next backup of the library: its catalog is the next one's
                }
                if (path.equals(libraryOf(s)) && java.util.Objects.equals(s.host(), lib.host())) {
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    /** Id of the latest snapshot that is not a catalog snapshot. */
    static Id latestData(List<Repository.SnapshotRef> snapshots, String location) {
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            if (!isCatalog(snapshots.get(i).snapshot())) {
                return snapshots.get(i).id();
            }
        }
        throw new TriplicateException("the vault at " + location + " has no snapshots yet");
    }
}
