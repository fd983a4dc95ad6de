package triplicate.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import triplicate.core.TriplicateException;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.PhotoMetadata;
import triplicate.metadata.TimeSource;

/**
 * Indexes an existing library into its catalog, incrementally: a file whose size, modification time and file key
 * (device and inode) are as the catalog has them is not read again; a file moved within the library (same file key,
 * size and time at a new path) is moved in the catalog without being read; new and changed files are hashed and their
 * metadata read, several at once; files gone from the library leave the catalog at the end. Skips
 * {@code .triplicate}, and files and folders whose names start with '.' (system and editor clutter) or are
 * {@code @eaDir} (a NAS's thumbnails). A file or folder that cannot be read is a warning, and the catalog keeps what
 * it knew of it: nothing is removed because it could not be read.
 */
public final class LibraryScanner {
    /** Rows written per transaction. */
    private static final int BATCH = 1000;

    private final Catalog catalog;
    private final MetadataReader reader;
    private final int threads;
    private final ZoneId zone;

    /**
     * @param threads files read at once (at least 1)
     * @param zone    the time zone of a modification time used for a file that is not a photo
     */
    public LibraryScanner(Catalog catalog, MetadataReader reader, int threads, ZoneId zone) {
        this.catalog = catalog;
        this.reader = reader;
        this.threads = Math.max(1, threads);
        this.zone = zone;
    }

    private record Found(Path file, String path, long size, long mtimeNs, String fileKey) {
    }

    private record Outcome(Found found, Catalog.Row row, List<String> warnings, String error) {
    }

    public ScanResult scan(ScanProgress progress) throws IOException {
        Path library = catalog.library();
        Map<String, Catalog.Known> known = catalog.knownFiles();
        List<Found> toRead = new ArrayList<>();
        List<Path> unreadableDirs = new ArrayList<>();
        List<ScanResult.Warning> warnings = new ArrayList<>();
        Map<String, Found> seen = new HashMap<>();
        long[] unchanged = {0};
        Files.walkFileTree(library, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(library) && skipped(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() || skipped(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = relative(library, file);
                Found f = new Found(file, rel, attrs.size(), Catalog.nanos(attrs.lastModifiedTime().toInstant()),
                        attrs.fileKey() == null ? null : attrs.fileKey().toString());
                seen.put(rel, f);
                progress.filesSeen.incrementAndGet();
                Catalog.Known k = known.get(rel);
                if (k != null && k.size() == f.size() && k.mtimeNs() == f.mtimeNs()
                        && (k.fileKey() == null || k.fileKey().equals(f.fileKey()))) {
                    unchanged[0]++;
                } else {
                    toRead.add(f);
                    progress.filesToRead.incrementAndGet();
                    progress.bytesToRead.addAndGet(f.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                warnings.add(new ScanResult.Warning(relative(library, file), "could not be read: " + describe(e)
                        + "; the catalog keeps what it knew of it"));
                unreadableDirs.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        progress.walking = false;

        // vanished files: gone, or moved (same file key, size and time at a new path)
        Map<String, Catalog.Known> vanishedByIdentity = new HashMap<>();
        java.util.Set<String> removals = new java.util.LinkedHashSet<>();
        for (Catalog.Known k : known.values()) {
            if (seen.containsKey(k.path()) || underUnreadable(library, k.path(), unreadableDirs)) {
                continue;
            }
            removals.add(k.path());
            if (k.fileKey() != null) {
                vanishedByIdentity.put(identity(k.fileKey(), k.size(), k.mtimeNs()), k);
            }
        }
        List<Catalog.Move> moves = new ArrayList<>();
        List<Found> reading = new ArrayList<>();
        for (Found f : toRead) {
            Catalog.Known was = f.fileKey() == null || known.containsKey(f.path()) ? null
                    : vanishedByIdentity.remove(identity(f.fileKey(), f.size(), f.mtimeNs()));
            if (was != null) {
                moves.add(new Catalog.Move(was.path(), f.path(), f.mtimeNs(), f.fileKey()));
                removals.remove(was.path());
                progress.filesToRead.decrementAndGet();
                progress.bytesToRead.addAndGet(-f.size());
            } else {
                reading.add(f);
            }
        }
        if (!moves.isEmpty()) {
            catalog.apply(List.of(), moves, List.of());
        }

        long added = 0;
        long updated = 0;
        long fallbacks = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "triplicate-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
            int next = 0;
            int inFlight = 0;
            List<Catalog.Row> batch = new ArrayList<>();
            while (next < reading.size() || inFlight > 0) {
                while (next < reading.size() && inFlight < threads * 8) {
                    Found f = reading.get(next++);
                    done.submit(() -> read(f, progress));
                    inFlight++;
                }
                Outcome o = take(done);
                inFlight--;
                for (String w : o.warnings()) {
                    warnings.add(new ScanResult.Warning(o.found().path(), w));
                }
                if (o.error() != null) {
                    warnings.add(new ScanResult.Warning(o.found().path(), o.error()));
                    continue;
                }
                if (known.containsKey(o.found().path())) {
                    updated++;
                } else {
                    added++;
                }
                PhotoMetadata m = o.row().metadata();
                if (m.format().isMedia() && !m.format().isSidecar() && m.captureTime().isFallback()) {
                    fallbacks++;
                }
                batch.add(o.row());
                if (batch.size() >= BATCH) {
                    catalog.apply(batch, List.of(), List.of());
                    batch.clear();
                }
            }
            catalog.apply(batch, List.of(), removals);
        } finally {
            pool.shutdownNow();
        }
        return new ScanResult(seen.size(), added, updated, unchanged[0], moves.size(), removals.size(),
                progress.filesRead(), progress.bytesRead(), fallbacks, warnings);
    }

    private Outcome read(Found f, ScanProgress progress) {
        try {
            String sha256 = sha256(f.file(), progress);
            PhotoFormat byName = PhotoFormat.fromFileName(f.file().getFileName().toString());
            PhotoMetadata m;
            if (byName.isMedia()) {
                m = reader.read(f.file());
            } else {
                java.time.Instant t = java.time.Instant.ofEpochSecond(Math.floorDiv(f.mtimeNs(), 1_000_000_000L));
                ZoneOffset offset = zone.getRules().getOffset(t);
                m = PhotoMetadata.builder(PhotoFormat.OTHER, new CaptureTime(java.time.LocalDateTime.ofInstant(t, offset),
                        offset, 0, TimeSource.FILE_MTIME)).build();
            }
            progress.filesRead.incrementAndGet();
            return new Outcome(f, new Catalog.Row(f.path(), f.size(), sha256, f.mtimeNs(), f.fileKey(), m, null, false),
                    m.warnings(), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(f, null, List.of(), "could not be read: " + describe(e)
                    + "; the catalog keeps what it knew of it");
        }
    }

    private static String sha256(Path file, ScanProgress progress) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(8192, Files.size(file) + 1))];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                progress.bytesRead.addAndGet(n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Outcome take(ExecutorCompletionService<Outcome> done) throws IOException {
        try {
            Future<Outcome> f = done.take();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("scan interrupted");
        } catch (ExecutionException e) {
            throw new TriplicateException("scan failed: " + describe(e.getCause()), e.getCause());
        }
    }

    static boolean skipped(String name) {
        return name.startsWith(".") || name.equals("@eaDir");
    }

    private static String relative(Path library, Path file) {
        Path rel = library.relativize(file);
        List<String> parts = new ArrayList<>();
        rel.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static boolean underUnreadable(Path library, String path, List<Path> unreadable) {
        for (Path u : unreadable) {
            String r = relative(library, u);
            if (path.equals(r) || path.startsWith(r + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String identity(String fileKey, long size, long mtimeNs) {
        return fileKey + "|" + size + "|" + mtimeNs;
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "it vanished during the scan";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }
}
