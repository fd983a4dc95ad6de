package triplicate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.Copy;
import triplicate.catalog.CopyRecord;
import triplicate.catalog.CopyResult;

/**
 * One run that brings one mirror in step with the catalog of its library (docs/mirrors.md):
 * <ol>
 *   <li>a file whose manifest line, size and modification time agree with the catalog is left alone, unread;</li>
 *   <li>a new or changed file is copied in ({@link MirrorFolder#install}: temporary file, hashed, read back, renamed);
 *       the version it replaces goes to the safety net;</li>
 *   <li>a file renamed or moved in the library is moved on the mirror when the manifest has its content at a path
 *       the library no longer has (same size and modification time), instead of being copied again;</li>
 *   <li>files in the manifest that the library no longer has go to the safety net; days of the safety net older
 *       than the configured number are deleted;</li>
 *   <li>a file at a library path that the manifest does not list (a lost manifest, or a folder adopted as a mirror)
 *       is read: kept if identical, else moved to the safety net and copied again; any other file the manifest
 *       does not list is left alone and reported;</li>
 *   <li>the manifest is saved every few seconds and at the end, and the copies are recorded in the catalog.</li>
 * </ol>
 * When the mirror's folder vanishes during the run (a drive unplugged) the run stops as {@code UNAVAILABLE}, having
 * recorded what it copied. Not thread-safe: one run, one thread.
 */
final class Mirrorer {
    private static final long SAVE_EVERY_NANOS = 5_000_000_000L;

    /** A test seam: runs before each file is copied in (a test unplugs the drive there). */
    interface Hook {
        void run(String path) throws IOException;
    }

    /** One library file as the catalog knows it. */
    record Entry(String path, String sha256, long size, FileTime mtime) {
    }

    private final Path library;
    private final MirrorFolder folder;
    private final String target;
    private final InstantSource clock;
    private final int safetyNetDays;
    volatile Hook beforeCopy = p -> { };

    Mirrorer(Path library, MirrorFolder folder, String target, InstantSource clock, int safetyNetDays) {
        this.library = library;
        this.folder = folder;
        this.target = target;
        this.clock = clock;
        this.safetyNetDays = safetyNetDays;
    }

    /** The mirror vanished during the run. */
    private static final class Gone extends Exception {
        Gone(String message) {
            super(message, null, false, false);
        }
    }

    static List<Entry> entries(Catalog catalog) {
        List<Entry> out = new ArrayList<>();
        catalog.forEachFile(f -> out.add(new Entry(f.path(), f.sha256(), f.size(), FileTime.from(f.mtime()))));
        return out;
    }

    MirrorReport run(Catalog catalog, List<Entry> files, boolean rebuildManifest, MirrorProgress progress) {
        long started = System.nanoTime();
        String why = folder.unavailableReason(target);
        if (why != null) {
            return MirrorReport.notRun(target, folder.root().toString(), MirrorReport.Outcome.UNAVAILABLE, why);
        }
        Map<String, String> manifest;
        try {
            manifest = folder.readManifest(rebuildManifest);
        } catch (Manifest.DamagedException e) {
            return MirrorReport.notRun(target, folder.root().toString(), MirrorReport.Outcome.FAILED, e.getMessage()
                    + "; run 'triplicate mirror " + target + " --rebuild-manifest' to rebuild it from the files (they"
                    + " are read again; nothing is deleted)");
        } catch (IOException e) {
            return failed(e);
        }
        Run r = new Run(catalog, manifest, progress);
        try {
            r.go(files);
        } catch (Gone e) {
            r.outcome = MirrorReport.Outcome.UNAVAILABLE;
            r.message = e.getMessage();
        } catch (IOException e) {
            r.outcome = folder.isMirror() ? MirrorReport.Outcome.FAILED : MirrorReport.Outcome.UNAVAILABLE;
            r.message = folder.isMirror() ? describe(e) : folder.root() + " became unavailable during the run ("
                    + describe(e) + "; drive unplugged?)";
        }
        r.finish();
        return new MirrorReport(target, folder.root().toString(), r.outcome, r.message, r.copied, r.bytesCopied, r.moved,
                r.unchanged, r.adopted, r.toSafetyNet, r.pruned, r.unexpected, r.changedOnMirror, r.changedInLibrary,
                r.problems, r.recorded, r.catalogWarning, (System.nanoTime() - started) / 1e9);
    }

    private MirrorReport failed(IOException e) {
        return MirrorReport.notRun(target, folder.root().toString(), folder.isMirror() ? MirrorReport.Outcome.FAILED
                : MirrorReport.Outcome.UNAVAILABLE, describe(e));
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String m = e.getMessage();
        if (m != null && m.contains("No space left")) {
            return "the disk is full (" + m + "); free space on it and run again";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** The state of one run. */
    private final class Run {
        final Catalog catalog;
        final Map<String, String> manifest;
        final MirrorProgress progress;
        final Instant now = clock.instant();
        final Map<String, Copy> recordedBefore;
        final List<CopyRecord> records = new ArrayList<>();
        final List<String> toSafetyNet = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> changedOnMirror = new ArrayList<>();
        final List<String> changedInLibrary = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        /** Folders files were moved out of: removed at the end if that left them empty, as the library has them no more. */
        final Set<Path> vacated = new HashSet<>();
        MirrorReport.Outcome outcome = MirrorReport.Outcome.DONE;
        String message;
        long copied;
        long bytesCopied;
        long moved;
        long unchanged;
        long adopted;
        long pruned;
        long recorded;
        String catalogWarning;
        boolean manifestDirty;
        long lastSave = System.nanoTime();
        Instant manifestTime;

        Run(Catalog catalog, Map<String, String> manifest, MirrorProgress progress) {
            this.catalog = catalog;
            this.manifest = manifest;
            this.progress = progress;
            this.recordedBefore = catalog.copiesOn(target);
            Instant t;
            try {
                t = Files.getLastModifiedTime(folder.manifest()).toInstant();
            } catch (IOException e) {
                t = now;
            }
            this.manifestTime = t;
        }

        void go(List<Entry> files) throws IOException, Gone {
            Set<String> inLibrary = new HashSet<>();
            long total = 0;
            for (Entry f : files) {
                inLibrary.add(f.path());
                total += f.size();
            }
            progress.filesTotal.set(files.size());
            progress.bytesTotal.set(total);
            // manifest entries the library no longer has: by content, for moves
            Map<String, List<String>> leftByContent = new HashMap<>();
            Set<String> listed = new HashSet<>(manifest.keySet());
            for (Map.Entry<String, String> e : manifest.entrySet()) {
                if (!inLibrary.contains(e.getKey())) {
                    leftByContent.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
                }
            }
            for (Entry f : files) {
                one(f, leftByContent);
                progress.files.incrementAndGet();
                saveNowAndThen();
            }
            // what the library no longer has: into the safety net
            for (String p : new ArrayList<>(manifest.keySet())) {
                if (inLibrary.contains(p)) {
                    continue;
                }
                try {
                    if (Files.exists(folder.file(p), LinkOption.NOFOLLOW_LINKS)) {
                        toSafetyNet.add(p + " -> " + folder.toSafetyNet(p, now));
                        vacated.add(folder.file(p).getParent());
                    }
                    manifest.remove(p);
                    manifestDirty = true;
                } catch (IOException e) {
                    gone(e);
                    problems.add(p + ": could not be moved to the safety net: " + describe(e));
                }
            }
            removeEmptied(inLibrary);
            pruned = folder.pruneSafetyNet(safetyNetDays, now);
            folder.walk(p -> {
                if (!inLibrary.contains(p) && !listed.contains(p)) {
                    unexpected.add(p);
                }
            });
            save();
        }

        private void one(Entry f, Map<String, List<String>> leftByContent) throws IOException, Gone {
            Path dest = folder.file(f.path());
            String listedSha = manifest.get(f.path());
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(dest, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                a = null;
            } catch (IOException e) {
                gone(e);
                problems.add(f.path() + ": " + describe(e));
                return;
            }
            try {
                if (a != null && a.isRegularFile() && f.sha256().equals(listedSha) && a.size() == f.size()
                        && a.lastModifiedTime().equals(f.mtime())) {
                    unchanged++;
                    progress.bytes.addAndGet(f.size());
                    Copy c = recordedBefore.get(f.path());
                    if (c == null || c.result() != CopyResult.OK) {
                        // copied by a run whose catalog records were lost (the catalog was busy): as of that run
                        records.add(new CopyRecord(f.path(), f.sha256(), target, manifestTime, CopyResult.OK,
                                "in the manifest"));
                    }
                    return;
                }
                if (a != null && listedSha == null && a.isRegularFile() && a.size() == f.size()) {
                    // not in the manifest: ours from a run whose manifest was lost, or a folder being adopted
                    if (Hashing.sha256(dest, n -> { }).equals(f.sha256())) {
                        adopted++;
                        manifest.put(f.path(), f.sha256());
                        manifestDirty = true;
                        progress.bytes.addAndGet(f.size());
                        records.add(new CopyRecord(f.path(), f.sha256(), target, now, CopyResult.OK, "verified"));
                        return;
                    }
                }
                if (a != null && f.sha256().equals(listedSha)) {
                    changedOnMirror.add(f.path());   // the manifest says it was right: changed on the mirror since
                }
                if (a == null && tryMove(f, leftByContent)) {
                    return;
                }
                beforeCopy.run(f.path());
                String[] replacedTo = {null};
                MirrorFolder.Installed result = folder.install(library.resolve(f.path()), f.path(), f.sha256(),
                        f.mtime(), now, to -> replacedTo[0] = to, progress.bytes::addAndGet);
                if (replacedTo[0] != null) {
                    toSafetyNet.add(f.path() + " -> " + replacedTo[0]);
                }
                if (result == MirrorFolder.Installed.SOURCE_CHANGED) {
                    changedInLibrary.add(f.path());
                    return;
                }
                copied++;
                bytesCopied += f.size();
                manifest.put(f.path(), f.sha256());
                manifestDirty = true;
                records.add(new CopyRecord(f.path(), f.sha256(), target, now, CopyResult.OK, "copied"));
            } catch (NoSuchFileException e) {
                gone(e);
                if (!Files.exists(library.resolve(f.path()), LinkOption.NOFOLLOW_LINKS)) {
                    changedInLibrary.add(f.path());   // deleted from the library since the scan
                } else {
                    problems.add(f.path() + ": " + describe(e));
                }
            } catch (IOException e) {
                gone(e);
                if (describe(e).startsWith("the disk is full")) {
                    throw e;
                }
                problems.add(f.path() + ": " + describe(e));
            }
        }

        /**
         * Deletes the folders this run emptied by moving files out, and their parents that became empty, unless the
         * library still has the folder (an empty folder the library has is the library's business).
         */
        private void removeEmptied(Set<String> inLibrary) throws IOException {
            Set<String> libraryFolders = new HashSet<>();
            for (String p : inLibrary) {
                for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
                    libraryFolders.add(p.substring(0, i));
                }
            }
            List<Path> dirs = new ArrayList<>(vacated);
            dirs.sort(java.util.Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path d : dirs) {
                for (Path p = d; p != null && p.startsWith(folder.root()) && !p.equals(folder.root()); p = p.getParent()) {
                    String rel = folder.root().relativize(p).toString().replace('\\', '/');
                    if (libraryFolders.contains(rel)) {
                        break;
                    }
                    try (var entries = Files.newDirectoryStream(p)) {
                        if (entries.iterator().hasNext()) {
                            break;
                        }
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    Files.deleteIfExists(p);
                }
            }
        }

        /** Moves a file the manifest has at a path the library no longer has, to {@code f}'s path. */
        private boolean tryMove(Entry f, Map<String, List<String>> leftByContent) throws IOException {
            List<String> candidates = leftByContent.get(f.sha256());
            if (candidates == null) {
                return false;
            }
            for (String from : candidates) {
                Path src = folder.file(from);
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (!a.isRegularFile() || a.size() != f.size() || !a.lastModifiedTime().equals(f.mtime())) {
                    continue;
                }
                Path dest = folder.file(f.path());
                folder.mkdirs(dest.getParent());
                Files.move(src, dest, StandardCopyOption.ATOMIC_MOVE);
                vacated.add(src.getParent());
                candidates.remove(from);
                manifest.remove(from);
                manifest.put(f.path(), f.sha256());
                manifestDirty = true;
                moved++;
                progress.bytes.addAndGet(f.size());
                Copy c = recordedBefore.get(f.path());
                if (c == null || c.result() != CopyResult.OK) {
                    records.add(new CopyRecord(f.path(), f.sha256(), target, manifestTime, CopyResult.OK,
                            "moved on the mirror"));
                }
                return true;
            }
            return false;
        }

        /** Turns a failure into {@link Gone} when the mirror itself has vanished. */
        private void gone(IOException e) throws Gone {
            if (!folder.isMirror()) {
                throw new Gone(folder.root() + " became unavailable during the run (drive unplugged? " + describe(e)
                        + "); " + copied + " file(s) were copied before; the next run goes on from there");
            }
        }

        private void saveNowAndThen() throws IOException {
            if (manifestDirty && System.nanoTime() - lastSave > SAVE_EVERY_NANOS) {
                save();
            }
        }

        private void save() throws IOException {
            if (manifestDirty || !Files.exists(folder.manifest())) {
                Manifest.write(folder.manifest(), manifest);
                manifestDirty = false;
            }
            lastSave = System.nanoTime();
        }

        /** Saves what can be saved whatever happened, and records the copies in the catalog. */
        void finish() {
            if (outcome != MirrorReport.Outcome.DONE && folder.isMirror()) {
                try {
                    save();
                } catch (IOException e) {
                    // the manifest stays as last saved; the next run re-reads the files it does not list
                }
            }
            try {
                recorded = catalog.recordCopies(records);
            } catch (CatalogBusyException e) {
                catalogWarning = "the catalog is busy (another Triplicate process holds it): " + records.size()
                        + " copies were not recorded in it; the next mirror run records them";
            }
        }
    }
}
