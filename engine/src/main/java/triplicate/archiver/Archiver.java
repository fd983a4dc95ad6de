package triplicate.archiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import triplicate.chunker.Chunker;
import triplicate.chunker.FileChunker;
import triplicate.chunker.PhotoBoundaries;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.SessionExpiredException;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.repository.Session;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Backs up paths into a repository. A few walker threads list folders (each folder is a task, so listing and
 * {@code lstat}-ing a large tree runs in parallel) and hand each file to a pool of workers (read → chunk → hash →
 * seal → pack); a directory's tree blob is written as soon as all its entries are done.
 * At most {@link #MAX_FILES_IN_FLIGHT} files are queued at once, and each worker keeps one chunking buffer from file
 * to file and seals chunks from it straight into the open pack, so memory stays bounded whatever the size of the
 * source, and large files cause no allocation per chunk.
 */
public final class Archiver {
    static final int MAX_FILES_IN_FLIGHT = 512;
    private static final String PROGRAM = "triplicate 0.1.0";

    private final Repository repo;
    private final BackupOptions options;
    private final BackupProgress progress;
    private final Chunker chunker;
    private final List<PathMatcher> nameExcludes = new ArrayList<>();
    private final List<PathMatcher> pathExcludes = new ArrayList<>();
    private final ThreadLocal<IdHasher> hashers;
    /** Each worker's chunking buffer (up to twice the largest chunk), kept from one file to the next. */
    private final ThreadLocal<byte[]> chunkBuffers = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Snapshot.Warning> warnings = new ConcurrentLinkedQueue<>();
    private final LongAdder filesNew = new LongAdder();
    private final LongAdder filesChanged = new LongAdder();
    private final LongAdder filesUnmodified = new LongAdder();
    private final LongAdder dirs = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesTotal = new LongAdder();
    private ParentIndex parentIndex;
    /** Test seam: called with each file just before it is opened for reading. */
    volatile ReadHook beforeRead;

    /** What a test does to a file between the directory listing and the read (delete it, append to it). */
    interface ReadHook {
        void run(Path file) throws IOException;
    }

    public Archiver(Repository repo, BackupOptions options, BackupProgress progress) {
        this.repo = repo;
        this.options = options;
        this.progress = progress;
        this.chunker = new Chunker(repo.config().chunkerParams());
        this.hashers = ThreadLocal.withInitial(repo::newIdHasher);
        for (String pattern : options.excludes()) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            (pattern.contains("/") ? pathExcludes : nameExcludes).add(m);
        }
    }

    /** Backs up {@code paths} and writes a snapshot. Files that cannot be read become warnings in the snapshot. */
    public BackupResult backup(List<Path> paths) throws IOException {
        return run(paths, true);
    }

    /**
     * Does all that {@link #backup} does but save the snapshot: reads {@code paths} (files unchanged since the parent
     * snapshot are not read), stores their data and trees, flushes, and returns the root tree's id. With the
     * repository restricted by {@link Repository#storeOnly}, it stores nothing but blobs it regenerates: how heal
     * rebuilds damaged folder listings from the folders themselves.
     */
    public Id trees(List<Path> paths) throws IOException {
        return run(paths, false).snapshot().tree();
    }

    private BackupResult run(List<Path> paths, boolean save) throws IOException {
        long started = System.nanoTime();
        Instant time = options.clock().instant();
        // the repository counts for its whole session, which may hold several backups
        long blobsBefore = repo.writeStats().blobsAdded();
        long bytesBefore = repo.writeStats().bytesAdded();
        long packBytesBefore = repo.writeStats().packBytesWritten();
        List<Path> roots = normalise(paths);
        // announce the backup before reading what may be reused: a prune then keeps every blob this backup can see
        // (docs/design/retention.md); the session also re-reads the prune plans and the index
        try (Session session = repo.startSession("backup")) {
            return backup(roots, time, started, blobsBefore, bytesBefore, packBytesBefore, session, save);
        }
    }

    private BackupResult backup(List<Path> roots, Instant time, long started, long blobsBefore, long bytesBefore,
                                long packBytesBefore, Session session, boolean save) throws IOException {
        repo.indexOrphanPacks();
        Repository.SnapshotRef parent = findParent(roots);
        parentIndex = new ParentIndex(repo, parent == null ? null : parent.snapshot().tree());
        Thread scanner = progress.countsTotals()
                ? Thread.ofPlatform().daemon().name("triplicate-scan").start(() -> scan(roots)) : null;
        if (scanner == null) {
            progress.scanDone.set(true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "triplicate-backup");
            t.setDaemon(true);
            return t;
        });
        // walkers wait for file slots, workers never wait for walkers: separate pools, so neither can starve the other
        ExecutorService walkers = Executors.newFixedThreadPool(Math.max(2, Math.min(4, options.workers())), r -> {
            Thread t = new Thread(r, "triplicate-walk");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(MAX_FILES_IN_FLIGHT);
        try {
            Tree parentRoot = parentIndex.root();
            List<CompletableFuture<Node>> top = new ArrayList<>();
            for (Path root : roots) {
                String name = root.getFileName() == null ? "root" : root.getFileName().toString();
                Node old = find(parentRoot, name);
                FileMeta meta;
                try {
                    meta = FileMeta.read(root);
                } catch (NoSuchFileException e) {
                    throw new TriplicateException("cannot back up " + root + ": it does not exist");
                }
                top.add(visit(root, name, meta, old, new Pools(pool, walkers), inFlight));
            }
            List<Node> nodes = joinAll(top);
            Id rootTree = repo.saveTree(new Tree(nodes), hashers.get());
            repo.flush();
            Snapshot.Summary summary = new Snapshot.Summary(filesNew.sum(), filesChanged.sum(), filesUnmodified.sum(),
                    dirs.sum(), bytesRead.sum(), bytesTotal.sum(), repo.writeStats().blobsAdded() - blobsBefore,
                    repo.writeStats().bytesAdded() - bytesBefore, repo.writeStats().packBytesWritten() - packBytesBefore,
                    Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
            Snapshot snap = new Snapshot(1, time, options.host(), options.username(),
                    roots.stream().map(Path::toString).toList(), options.tags(), rootTree,
                    parent == null ? null : parent.id(), summary, new ArrayList<>(warnings), PROGRAM);
            if (!save) {
                return new BackupResult(null, snap);
            }
            // a session a prune took for dead (this process was paused too long) must not save a snapshot: the
            // prune may have deleted blobs it reuses. Checked before and after the save (see Session).
            try {
                session.ensureAlive();
            } catch (SessionExpiredException e) {
                throw new SessionExpiredException(e.getMessage() + "; it saved no snapshot. Run the backup again");
            }
            Id id = repo.saveSnapshot(snap);
            try {
                session.ensureAlive();
            } catch (SessionExpiredException e) {
                try {
                    repo.removeSnapshotFile(id);
                } catch (IOException | RuntimeException ignored) {
                    // check reports the snapshot if it stays
                }
                throw new SessionExpiredException(e.getMessage() + "; its snapshot " + id.shortHex() + " was"
                        + " removed again. Run the backup again");
            }
            return new BackupResult(id, snap);
        } finally {
            pool.shutdownNow();
            walkers.shutdownNow();
            if (scanner != null) {
                scanner.interrupt();
            }
        }
    }

    private static List<Path> normalise(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new TriplicateException("name at least one path to back up");
        }
        List<Path> roots = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
            Path clash = byName.putIfAbsent(name, abs);
            if (clash != null) {
                throw new TriplicateException("two paths to back up have the same name '" + name + "': " + clash
                        + " and " + abs + "; back them up in separate snapshots or name their common parent");
            }
            roots.add(abs);
        }
        return roots;
    }

    private Repository.SnapshotRef findParent(List<Path> roots) throws IOException {
        if (options.force()) {
            return null;
        }
        List<Repository.SnapshotRef> all = repo.liveSnapshots();
        if (options.parent() != null) {
            for (Repository.SnapshotRef r : all) {
                if (r.id().equals(options.parent())) {
                    return r;
                }
            }
            throw new TriplicateException("parent snapshot " + options.parent().shortHex() + " not found");
        }
        List<String> wanted = roots.stream().map(Path::toString).sorted().toList();
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i).snapshot();
            if (Objects.equals(s.host(), options.host()) && s.paths().stream().sorted().toList().equals(wanted)) {
                return all.get(i);
            }
        }
        return null;
    }

    private boolean excluded(Path p, String name) {
        for (PathMatcher m : nameExcludes) {
            if (m.matches(Path.of(name))) {
                return true;
            }
        }
        for (PathMatcher m : pathExcludes) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    /** The workers (files, trees) and the walkers (folders) of one backup. */
    private record Pools(ExecutorService workers, ExecutorService walkers) {
    }

    private CompletableFuture<Node> visit(Path path, String name, FileMeta meta, Node old, Pools pools,
                                          Semaphore inFlight) {
        switch (meta.type()) {
            case DIR -> {
                dirs.increment();
                return CompletableFuture.supplyAsync(() -> visitDir(path, name, meta, old, pools, inFlight),
                        pools.walkers()).thenCompose(f -> f);
            }
            case FILE -> {
                acquire(inFlight);
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return saveFile(path, name, meta, old);
                    } finally {
                        inFlight.release();
                    }
                }, pools.workers());
            }
            case SYMLINK -> {
                String target;
                try {
                    target = Files.readSymbolicLink(path).toString();
                } catch (IOException e) {
                    warn(path, "cannot read symlink: " + e.getMessage());
                    return CompletableFuture.completedFuture(null);
                }
                return CompletableFuture.completedFuture(node(name, meta, null, null, target, null));
            }
            default -> {
                warn(path, "skipped: not a regular file, folder or symlink (device, socket or pipe)");
                return CompletableFuture.completedFuture(null);
            }
        }
    }

    private CompletableFuture<Node> visitDir(Path dir, String name, FileMeta meta, Node old, Pools pools,
                                             Semaphore inFlight) {
        Tree oldTree = null;
        if (old != null && old.type() == NodeType.DIR && old.subtree() != null) {
            oldTree = parentIndex.tree(old.subtree());
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                children.add(c);
            }
        } catch (IOException e) {
            warn(dir, "cannot list folder: " + describe(e));
        }
        children.sort(null);
        List<CompletableFuture<Node>> futures = new ArrayList<>(children.size());
        for (Path child : children) {
            String childName = child.getFileName().toString();
            if (excluded(child, childName)) {
                continue;
            }
            FileMeta cm;
            try {
                cm = FileMeta.read(child);
            } catch (IOException e) {
                warn(child, "cannot read attributes: " + describe(e));
                continue;
            }
            futures.add(visit(child, childName, cm, find(oldTree, childName), pools, inFlight));
        }
        Map<String, byte[]> xattrs = xattrs(dir);
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<Node> nodes = new ArrayList<>(futures.size());
            for (CompletableFuture<Node> f : futures) {
                Node n = f.join();
                if (n != null) {
                    nodes.add(n);
                }
            }
            try {
                Id tree = repo.saveTree(new Tree(nodes), hashers.get());
                return node(name, meta, null, tree, null, xattrs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, pools.workers());
    }

    private Node saveFile(Path path, String name, FileMeta meta, Node old) {
        progress.filesDone.increment();
        bytesTotal.add(meta.size());
        if (!options.force()) {
            List<Id> reused = parentIndex.unchanged(meta, old);
            if (reused != null) {
                filesUnmodified.increment();
                progress.bytesDone.add(meta.size());
                return node(name, meta, reused, null, null, sameCtime(meta, old) ? old.xattrs() : xattrs(path));
            }
        }
        Map<String, byte[]> xattrs = xattrs(path);
        List<Id> content = new ArrayList<>();
        long read = 0;
        ReadHook hook = beforeRead;
        try {
            if (hook != null) {
                hook.run(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long[] cuts = PhotoBoundaries.cuts(ch, meta.size());
            ch.position(0);
            IdHasher hasher = hashers.get();
            try (FileChunker fc = new FileChunker(chunker, ch, cuts, chunkBuffers.get())) {
                try {
                    int n;
                    while ((n = fc.nextSlice()) >= 0) {
                        byte[] buf = fc.buffer();
                        int off = fc.sliceOffset();
                        Id id = hasher.id(buf, off, n);
                        store(id, buf, off, n);
                        content.add(id);
                        read += n;
                        progress.bytesDone.add(n);
                    }
                } finally {
                    chunkBuffers.set(fc.buffer());
                }
            }
        } catch (RepositoryFailure f) {
            throw f;
        } catch (IOException | UncheckedIOException e) {
            warn(path, "cannot read: " + describe(e instanceof UncheckedIOException u ? u.getCause() : e));
            return null;
        }
        bytesRead.add(read);
        FileMeta after;
        try {
            after = FileMeta.read(path);
        } catch (IOException e) {
            warn(path, "vanished while being read; the version read was saved");
            after = meta;
        }
        if (!after.sameContentAs(meta) || read != meta.size()) {
            warn(path, "changed while being read (" + meta.size() + " bytes before, " + read + " read, "
                    + after.size() + " after); the bytes read were saved, back it up again to get a consistent copy");
        }
        (old == null ? filesNew : filesChanged).increment();
        FileMeta recorded = new FileMeta(meta.type(), meta.mode(), meta.mtimeNanos(), meta.ctimeNanos(), meta.inode(),
                meta.device(), meta.uid(), meta.gid(), read);
        return node(name, recorded, content, null, null, xattrs);
    }

    private void store(Id id, byte[] buf, int off, int len) {
        try {
            repo.saveBlob(BlobType.DATA, id, buf, off, len);
        } catch (IOException | RuntimeException e) {
            throw new RepositoryFailure(e);
        }
    }

    /** A failure of the vault (not of the source): it aborts the backup instead of becoming a warning. */
    static final class RepositoryFailure extends RuntimeException {
        RepositoryFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Node node(String name, FileMeta m, List<Id> content, Id subtree, String link,
                             Map<String, byte[]> xattrs) {
        return new Node(name, m.type(), m.mode(), m.mtimeNanos(), m.ctimeNanos(), m.inode(), m.device(), m.uid(),
                m.gid(), m.type() == NodeType.FILE ? m.size() : 0, content, subtree, link, xattrs);
    }

    /**
     * Whether {@code old} is this very file (same inode) with the same change time: then its extended attributes are
     * those recorded, since setting one changes the ctime. Spares an open, a listxattr and a close per unchanged file.
     */
    private static boolean sameCtime(FileMeta m, Node old) {
        return old != null && old.type() == NodeType.FILE && m.ctimeNanos() != null && m.inode() != null
                && m.ctimeNanos().equals(old.ctimeNanos()) && m.inode().equals(old.inode())
                && Objects.equals(m.device(), old.device());
    }

    private static Map<String, byte[]> xattrs(Path p) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (v == null) {
                return null;
            }
            List<String> names = v.list();
            if (names.isEmpty()) {
                return null;
            }
            Map<String, byte[]> out = new java.util.TreeMap<>();
            for (String n : names) {
                ByteBuffer b = ByteBuffer.allocate(v.size(n));
                v.read(n, b);
                out.put(n, b.array());
            }
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The entry {@code name} of {@code tree}, or null (also when there is no tree). */
    static Node find(Tree tree, String name) {
        return tree == null ? null : tree.node(name);
    }

    private void warn(Path p, String message) {
        warnings.add(new Snapshot.Warning(p.toString(), message));
        progress.warnings.increment();
    }

    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it vanished";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void acquire(Semaphore s) {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TriplicateException("backup interrupted");
        }
    }

    private static List<Node> joinAll(List<CompletableFuture<Node>> futures) throws IOException {
        List<Node> out = new ArrayList<>();
        for (CompletableFuture<Node> f : futures) {
            Node n;
            try {
                n = f.join();
            } catch (CompletionException e) {
                Throwable c = e.getCause();
                while ((c instanceof RepositoryFailure || c instanceof UncheckedIOException || c instanceof CompletionException)
                        && c.getCause() != null) {
                    c = c.getCause();
                }
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(c);
            }
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** Counts files and bytes ahead of the workers, so progress can show a total and an ETA. */
    private void scan(List<Path> roots) {
        try {
            for (Path r : roots) {
                Files.walkFileTree(r, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
                        if (Thread.currentThread().isInterrupted()) {
                            return java.nio.file.FileVisitResult.TERMINATE;
                        }
                        return d.equals(r) || !excluded(d, d.getFileName().toString())
                                ? java.nio.file.FileVisitResult.CONTINUE : java.nio.file.FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                        if (a.isRegularFile() && !excluded(f, f.getFileName().toString())) {
                            progress.filesTotal.increment();
                            progress.bytesTotal.add(a.size());
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            // the scan only feeds the progress display
        } finally {
            progress.scanDone.set(true);
        }
    }
}
