package triplicate.restorer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Restores snapshots. Files are written to a hidden temporary name beside their destination and renamed into place
 * once complete, so an interrupted restore never leaves a half file under the real name; on the next run, files
 * whose content already matches (every chunk re-hashed) are skipped.
 */
public final class Restorer {
    private static final String TEMP_PREFIX = ".triplicate-restore-";
    /** Zero runs of this size, aligned in the file, are left as holes. */
    private static final int BLOCK = 4096;
    private final Repository repo;
    private final RestoreProgress progress;
    private final int workers;
    private final ThreadLocal<IdHasher> hashers;
    private final List<RestoreResult.Problem> problems = Collections.synchronizedList(new ArrayList<>());
    /** The first read a cold storage class refused: the restore then fails with it (a thaw is needed first). */
    private volatile triplicate.core.ColdStorageException cold;
    private long files;
    private long bytes;
    private long intact;
    private long dirs;
    private long symlinks;

    public Restorer(Repository repo, RestoreProgress progress, int workers) {
        this.repo = repo;
        this.progress = progress;
        // a pack per worker: as many as the cores decrypt, or the backend's connections if it serves more
        this.workers = workers > 0 ? workers : Math.max(Math.max(2, Runtime.getRuntime().availableProcessors() + 1),
                repo.backend().parallelism());
        this.hashers = ThreadLocal.withInitial(repo::newIdHasher);
    }

    /** A node selected for restore and where it sits in the snapshot. */
    private record Selected(Node node, List<String> parents) {
    }

    /**
     * Restores {@code include} (a path inside the snapshot, or one of the snapshot's original paths; null or empty
     * for everything) from {@code snapshotId} into {@code target}, keeping paths relative to the snapshot root.
     */
    public RestoreResult restore(Id snapshotId, String include, Path target) throws IOException {
        return restore(snapshotId, null, include == null ? List.of() : List.of(include), target);
    }

    /**
     * Restores several paths of a snapshot in one run (each pack read once for all of them), relative to a folder
     * of the snapshot: {@code base} (a folder inside the snapshot, or one of its original paths; null for the
     * snapshot root) is restored as {@code target} itself, and {@code includes} (paths inside {@code base}; empty
     * for everything in it) keep their paths relative to it. Without a base, an include may also be an original
     * path. Includes must not overlap (a folder and a file inside it). A path that is not in the snapshot is an
     * error, raised before anything is written.
     */
    public RestoreResult restore(Id snapshotId, String base, List<String> includes, Path target) throws IOException {
        Snapshot snap = repo.loadSnapshot(snapshotId);
        Path root = target.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new TriplicateException("cannot restore into " + root + ": it exists and is not a folder");
        }
        Files.createDirectories(root);
        Tree rootTree = repo.loadTree(snap.tree());
        List<Selected> selected = select(snap, rootTree, base, includes);
        if (repo.backend().mayHoldColdFiles()) {
            // trees are hot; data packs may be cold: refuse before reading any, with the thaw that is needed
            Set<Id> packs = new HashSet<>();
            for (Selected s : selected) {
                collectPacks(s.node(), packs);
            }
            ThawPlanner.Plan plan = new ThawPlanner(repo).plan(packs, triplicate.backend.ThawTier.STANDARD);
            if (!plan.ready()) {
                String spec = snapshotId.shortHex();
                String include = base == null ? (includes.size() == 1 ? includes.get(0) : null) : base;
                throw new triplicate.core.ThawNeededException(ThawPlanner.refusal(plan, spec, include));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "triplicate-restore");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(256);
        List<Future<?>> futures = new ArrayList<>();
        List<Runnable> dirMeta = new ArrayList<>();
        Set<Path> cleaned = new HashSet<>();
        Set<String> topNames = new HashSet<>();
        java.util.Queue<Placement> placements = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try {
            for (Selected s : selected) {
                if (s.parents().isEmpty() && !topNames.add(s.node().name())) {
                    problem(printable(s.node().name()), "refused: the snapshot lists this name twice");
                    continue;
                }
                Path dir = root;
                String rel = "";
                boolean ok = true;
                for (String p : s.parents()) {
                    rel = rel.isEmpty() ? p : rel + "/" + p;
                    if (!Node.isSafeName(p)) { // a folder named ".." in the snapshot, reached with --include
                        problem(printable(rel), "refused: unsafe name in snapshot (empty, '.', '..', a separator or"
                                + " NUL); nothing was written for it");
                        ok = false;
                        break;
                    }
                    dir = dir.resolve(p);
                    if (!ensureDir(dir, rel)) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    // the folder the selected node goes into (the target itself, or the parent of an included path)
                    // is not one restoreNode cleans; all selected nodes share it, so it is cleaned before any write
                    if (cleaned.add(dir)) {
                        removeStaleTemps(dir);
                    }
                    restoreNode(s.node(), dir, root, rel, pool, inFlight, futures, dirMeta, placements);
                }
            }
            progress.filesTotal = files;
            progress.bytesTotal = bytes;
            await(futures);
            // every file checked: now read each pack's needed blobs in as few reads as possible
            futures.clear();
            for (List<List<Placement>> run : plan(new ArrayList<>(placements))) {
                futures.add(pool.submit(() -> readRun(run)));
            }
            await(futures);
        } finally {
            pool.shutdownNow();
        }
        if (cold != null) {
            throw cold;
        }
        for (int i = dirMeta.size() - 1; i >= 0; i--) {
            dirMeta.get(i).run();
        }
        List<RestoreResult.Problem> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparing(RestoreResult.Problem::path));
        return new RestoreResult(files, bytes, intact, dirs, symlinks, List.copyOf(sorted));
    }

    /**
     * The packs that hold the data of {@code include} (null for all) in the snapshot: what a restore of it reads.
     * Reads trees only.
     */
    public Set<Id> packsNeeded(Id snapshotId, String include) throws IOException {
        Snapshot snap = repo.loadSnapshot(snapshotId);
        Tree rootTree = repo.loadTree(snap.tree());
        Set<Id> packs = new HashSet<>();
        for (Selected s : select(snap, rootTree, null, include == null ? List.of() : List.of(include))) {
            collectPacks(s.node(), packs);
        }
        return packs;
    }

    private void collectPacks(Node n, Set<Id> packs) throws IOException {
        if (n.type() == NodeType.FILE && n.content() != null) {
            for (Id id : n.content()) {
                PackedBlob where = repo.index().get(id);
                if (where != null) {
                    packs.add(where.pack());
                }
            }
        } else if (n.type() == NodeType.DIR && n.subtree() != null) {
            for (Node c : repo.loadTree(n.subtree()).nodes()) {
                collectPacks(c, packs);
            }
        }
    }

    private List<Selected> select(Snapshot snap, Tree rootTree, String base, List<String> includes)
            throws IOException {
        Tree top = rootTree;
        boolean originals = true;
        if (!isRoot(base)) {
            Selected b = resolve(snap, rootTree, base, true);
            if (b.node().type() != NodeType.DIR || b.node().subtree() == null) {
                throw new TriplicateException("'" + base + "' is not a folder in the snapshot");
            }
            top = repo.loadTree(b.node().subtree());
            originals = false;
        }
        List<Selected> out = new ArrayList<>();
        if (includes.isEmpty() || includes.stream().anyMatch(Restorer::isRoot)) {
            for (Node n : top.nodes()) {
                out.add(new Selected(n, List.of()));
            }
            return out;
        }
        for (String include : includes) {
            out.add(resolve(snap, top, include, originals));
        }
        return out;
    }

    private static boolean isRoot(String path) {
        return path == null || path.isBlank() || path.equals("/") || path.equals(".") || path.equals("./");
    }

    /** The node at {@code include} below {@code top}; with {@code originals}, an original path of the snapshot too. */
    private Selected resolve(Snapshot snap, Tree top, String include, boolean originals) throws IOException {
        String rel = include;
        if (originals) {
            for (String original : snap.paths()) {
                Path op = Path.of(original);
                String name = op.getFileName() == null ? "root" : op.getFileName().toString();
                if (include.equals(original) || include.startsWith(original.endsWith("/") ? original : original + "/")) {
                    rel = name + include.substring(original.length());
                    break;
                }
            }
        }
        List<String> parts = new ArrayList<>();
        for (String p : rel.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            throw new TriplicateException("'" + include + "' names no file or folder");
        }
        Tree tree = top;
        Node node = null;
        for (int i = 0; i < parts.size(); i++) {
            node = tree.node(parts.get(i));
            if (node == null) {
                throw new TriplicateException("'" + include + "' is not in snapshot " + "(looked for '"
                        + String.join("/", parts.subList(0, i + 1)) + "')");
            }
            if (i < parts.size() - 1) {
                if (node.type() != NodeType.DIR) {
                    throw new TriplicateException("'" + String.join("/", parts.subList(0, i + 1)) + "' is not a folder");
                }
                tree = repo.loadTree(node.subtree());
            }
        }
        return new Selected(node, parts.subList(0, parts.size() - 1));
    }

    /** Creates a folder inside the target; refuses to go through a symlink. */
    private boolean ensureDir(Path dir, String rel) {
        try {
            if (Files.isSymbolicLink(dir)) {
                problem(rel, "refused: a symlink is in the way of this folder (restoring through it could write"
                        + " outside the target)");
                return false;
            }
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            Files.createDirectory(dir);
            return true;
        } catch (IOException e) {
            problem(rel, "cannot create folder: " + e.getMessage());
            return false;
        }
    }

    private void restoreNode(Node n, Path dir, Path root, String relDir, ExecutorService pool, Semaphore inFlight,
                             List<Future<?>> futures, List<Runnable> dirMeta, java.util.Queue<Placement> placements)
            throws IOException {
        String rel = relDir.isEmpty() ? n.name() : relDir + "/" + n.name();
        if (!Node.isSafeName(n.name())) {
            problem(printable(rel), "refused: unsafe name in snapshot (empty, '.', '..', a separator or NUL);"
                    + " nothing was written for it");
            return;
        }
        String malformed = switch (n.type()) {
            case DIR -> n.subtree() == null ? "a folder without its tree" : null;
            case FILE -> n.content() == null ? "a file without its list of chunks" : null;
            case SYMLINK -> n.linkTarget() == null || n.linkTarget().isEmpty() ? "a symlink without a target" : null;
            case OTHER -> null;
        };
        if (malformed != null) {
            problem(rel, "not restored: the snapshot is damaged here (" + malformed + ")");
            return;
        }
        Path dest;
        try {
            dest = dir.resolve(n.name());
        } catch (java.nio.file.InvalidPathException e) {
            problem(printable(rel), "not restored: this file system cannot hold the name (" + e.getReason() + ")");
            return;
        }
        if (!dest.normalize().startsWith(root) || dest.normalize().equals(root)) {
            problem(rel, "refused: would be written outside the target");
            return;
        }
        switch (n.type()) {
            case DIR -> {
                if (!ensureDir(dest, rel)) {
                    return;
                }
                dirs++;
                removeStaleTemps(dest);
                Tree t;
                try {
                    t = repo.loadTree(n.subtree());
                } catch (IOException | TriplicateException e) {
                    problem(rel + "/", "folder content lost: " + e.getMessage());
                    return;
                }
                Set<String> seen = new HashSet<>();
                for (Node c : t.nodes()) {
                    if (!seen.add(c.name())) {
                        problem(rel + "/" + printable(c.name()), "refused: the snapshot lists this name twice");
                        continue;
                    }
                    restoreNode(c, dest, root, rel, pool, inFlight, futures, dirMeta, placements);
                }
                dirMeta.add(() -> applyMeta(dest, n, rel));
            }
            case FILE -> {
                files++;
                bytes += n.size();
                acquire(inFlight);
                futures.add(pool.submit(() -> {
                    try {
                        placements.addAll(prepare(n, dest, rel));
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            case SYMLINK -> {
                symlinks++;
                try {
                    if (Files.isSymbolicLink(dest) && Files.readSymbolicLink(dest).toString().equals(n.linkTarget())) {
                        return;
                    }
                    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                            problem(rel, "not restored: a folder is in the way of this symlink");
                            return;
                        }
                        Files.delete(dest);
                    }
                    Files.createSymbolicLink(dest, Path.of(n.linkTarget()));
                    setTimes(dest, n);
                } catch (IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
                    problem(rel, "cannot create symlink: " + e.getMessage());
                }
            }
            case OTHER -> problem(rel, "not restored: special file");
        }
    }

    /**
     * Checks a file before any pack is read: whether something is in the way, whether the index knows every chunk,
     * whether the destination already holds the content. Returns the file's placements (which blob goes where), or
     * an empty list when there is nothing more to read for it (intact, empty, or refused with a problem).
     */
    private List<Placement> prepare(Node n, Path dest, String rel) {
        try {
            if (Files.isSymbolicLink(dest) || Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                problem(rel, "not restored: a " + (Files.isSymbolicLink(dest) ? "symlink" : "folder")
                        + " is in the way");
                return List.of();
            }
            List<PackedBlob> blobs = new ArrayList<>(n.content().size());
            long length = 0;
            for (Id id : n.content()) {
                PackedBlob b = repo.index().get(id);
                if (b == null || b.type() != BlobType.DATA) {
                    problem(rel, "not restored: lost: chunk " + id.shortHex() + " is not in the vault's index");
                    return List.of();
                }
                blobs.add(b);
                length += b.rawLength();
            }
            if (length != n.size()) {
                problem(rel, "not restored: its chunks hold " + length + " bytes, the snapshot says " + n.size());
                return List.of();
            }
            if (alreadyIntact(dest, n, blobs)) {
                synchronized (this) {
                    intact++;
                }
                progress.files.increment();
                progress.bytes.add(n.size());
                applyMeta(dest, n, rel);
                return List.of();
            }
            // not derived from the file's name: a name of 255 bytes (the usual limit) must still fit
            Path tmp = dest.resolveSibling(TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    new java.nio.file.attribute.FileAttribute<?>[0]).close();
            FileJob job = new FileJob(n, dest, tmp, rel, blobs.size());
            if (blobs.isEmpty()) {
                job.complete();
                return List.of();
            }
            List<Placement> placements = new ArrayList<>(blobs.size());
            long at = 0;
            for (PackedBlob b : blobs) {
                placements.add(new Placement(b, job, at));
                at += b.rawLength();
            }
            return placements;
        } catch (IOException | RuntimeException e) {
            problem(rel, "not restored: " + e.getMessage());
            return List.of();
        }
    }

    /** Where one blob goes: into {@code job}'s file at offset {@code at}. */
    private record Placement(PackedBlob blob, FileJob job, long at) {
    }

    /**
     * Reads are coalesced: the blobs a restore needs from one pack are read with one ranged read, unless
     * {@value} or more bytes that no file needs lie between two of them. Over a network, one round trip costs
     * about as much as this many bytes (100 Mbit/s with 20 ms of latency); on a local disk, it is one seek.
     */
    static final int MAX_GAP = 256 * 1024;

    /** Plans one read per run of neighbouring blobs in each pack, in the order the files first need the packs. */
    static List<List<List<Placement>>> plan(List<Placement> placements) {
        Map<Id, List<Placement>> byPack = new java.util.LinkedHashMap<>();
        for (Placement p : placements) {
            byPack.computeIfAbsent(p.blob().pack(), k -> new ArrayList<>()).add(p);
        }
        List<List<List<Placement>>> reads = new ArrayList<>();
        for (List<Placement> inPack : byPack.values()) {
            inPack.sort(java.util.Comparator.comparingLong(p -> p.blob().offset()));
            List<List<Placement>> run = new ArrayList<>(); // each element: every placement of one blob
            long end = -1;
            for (Placement p : inPack) {
                PackedBlob b = p.blob();
                if (!run.isEmpty() && b.offset() == run.get(run.size() - 1).get(0).blob().offset()) {
                    run.get(run.size() - 1).add(p); // the same blob again (a file holds it twice, or two files do)
                    continue;
                }
                if (!run.isEmpty() && b.offset() - end > MAX_GAP) {
                    reads.add(run);
                    run = new ArrayList<>();
                }
                List<Placement> same = new ArrayList<>(2);
                same.add(p);
                run.add(same);
                end = b.offset() + b.length();
            }
            reads.add(run);
        }
        return reads;
    }

    /** Reads one run of blobs from a pack with one ranged read and writes each blob wherever it goes. */
    private void readRun(List<List<Placement>> run) {
        PackedBlob first = run.get(0).get(0).blob();
        PackedBlob last = run.get(run.size() - 1).get(0).blob();
        long from = first.offset();
        long to = last.offset() + last.length();
        int done = 0;
        try (java.io.InputStream in = repo.openPack(first.pack(), from, to - from)) {
            long position = from;
            for (List<Placement> same : run) {
                PackedBlob b = same.get(0).blob();
                in.skipNBytes(b.offset() - position);
                byte[] sealed = in.readNBytes(b.length());
                if (sealed.length < b.length()) {
                    throw new triplicate.core.VaultCorruptException("pack " + b.pack().shortHex()
                            + " is truncated (it should hold blob " + b.id().shortHex() + ")");
                }
                position = b.offset() + b.length();
                byte[] plain;
                try {
                    plain = repo.openBlob(b, sealed);
                } catch (RuntimeException e) {
                    for (Placement p : same) {
                        p.job().failed(e.getMessage());
                    }
                    done++;
                    continue;
                }
                for (Placement p : same) {
                    p.job().write(plain, p.at());
                }
                done++;
            }
        } catch (IOException | RuntimeException e) {
            var refused = triplicate.core.ColdStorageException.find(e);
            if (refused != null && cold == null) {
                cold = refused;
            }
            String message = e instanceof java.io.EOFException && done < run.size()
                    ? "pack " + first.pack().shortHex() + " is truncated (it should hold blob "
                            + run.get(done).get(0).blob().id().shortHex() + ")"
                    : e.getMessage();
            for (List<Placement> same : run.subList(done, run.size())) {
                for (Placement p : same) {
                    p.job().failed(message);
                }
            }
        }
    }

    /**
     * A file being restored into its temporary name. Its blobs arrive in pack order, not file order, each written
     * at its own offset; the last one to arrive completes the file (size, metadata, rename into place), or removes
     * the temporary file when any blob could not be had.
     */
    private final class FileJob {
        private final Node node;
        private final Path dest;
        private final Path tmp;
        private final String rel;
        private final java.util.concurrent.atomic.AtomicInteger pending;
        private volatile String failure;

        FileJob(Node node, Path dest, Path tmp, String rel, int blobs) {
            this.node = node;
            this.dest = dest;
            this.tmp = tmp;
            this.rel = rel;
            this.pending = new java.util.concurrent.atomic.AtomicInteger(blobs);
        }

        void write(byte[] plain, long at) {
            if (failure == null) {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    writeSparse(ch, plain, at);
                    progress.bytes.add(plain.length);
                } catch (IOException | RuntimeException e) {
                    failure = e.getMessage();
                }
            }
            arrived();
        }

        void failed(String message) {
            if (failure == null) {
                failure = message;
            }
            arrived();
        }

        private void arrived() {
            if (pending.decrementAndGet() == 0) {
                complete();
            }
        }

        void complete() {
            try {
                if (failure != null) {
                    problem(rel, "not restored: " + failure);
                    return;
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    if (ch.size() < node.size()) { // the file ends in a hole
                        ch.write(ByteBuffer.wrap(new byte[1]), node.size() - 1);
                    }
                }
                applyMeta(tmp, node, rel);
                try {
                    Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
                }
                progress.files.increment();
            } catch (IOException | RuntimeException e) {
                problem(rel, "not restored: " + e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file never has a real file's name; the next restore removes it
                }
            }
        }
    }

    /**
     * Writes {@code b} at {@code at} in a file that was created empty, leaving out every zero run that covers a
     * file-system block ({@value #BLOCK} bytes, aligned in the file) or the edge of one: a new file reads as zeros
     * wherever nothing was written, so sparse files stay sparse without a byte of difference.
     */
    static void writeSparse(FileChannel ch, byte[] b, long at) throws IOException {
        int i = 0;
        while (i < b.length) {
            int blockEnd = (int) Math.min(b.length, i + (BLOCK - Math.floorMod(at + i, BLOCK)));
            if (isZero(b, i, blockEnd)) {
                i = blockEnd;
                continue;
            }
            int j = blockEnd; // aligned from here on: extend the run of blocks that hold data
            while (j < b.length) {
                int next = Math.min(b.length, j + BLOCK);
                if (isZero(b, j, next)) {
                    break;
                }
                j = next;
            }
            ByteBuffer buf = ByteBuffer.wrap(b, i, j - i);
            long position = at + i;
            while (buf.hasRemaining()) {
                position += ch.write(buf, position);
            }
            i = j;
        }
    }

    private static final byte[] ZEROS = new byte[BLOCK];

    /** Whether {@code b[from, to)} (at most one block) is all zeros. */
    private static boolean isZero(byte[] b, int from, int to) {
        return java.util.Arrays.equals(b, from, to, ZEROS, 0, to - from);
    }

    /** Whether {@code dest} already holds exactly the file's content (size, then every chunk's id re-computed). */
    private boolean alreadyIntact(Path dest, Node n, List<PackedBlob> blobs) throws IOException {
        if (!Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS) || Files.size(dest) != n.size()) {
            return false;
        }
        IdHasher hasher = hashers.get();
        try (FileChannel ch = FileChannel.open(dest, StandardOpenOption.READ)) {
            for (PackedBlob b : blobs) {
                ByteBuffer buf = ByteBuffer.allocate(b.rawLength());
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        return false;
                    }
                }
                if (!hasher.id(buf.array(), 0, buf.capacity()).equals(b.id())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void applyMeta(Path p, Node n, String rel) {
        try {
            if (n.xattrs() != null) {
                UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                if (v != null) {
                    for (Map.Entry<String, byte[]> e : n.xattrs().entrySet()) {
                        try {
                            v.write(e.getKey(), ByteBuffer.wrap(e.getValue()));
                        } catch (IOException ignored) {
                            // not every target file system keeps extended attributes
                        }
                    }
                }
            }
            try {
                Files.setPosixFilePermissions(p, permissions(n.mode()));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX target
            }
            setTimes(p, n);
        } catch (IOException e) {
            problem(rel, "restored, but its mode or time could not be set: " + e.getMessage());
        }
    }

    private static void setTimes(Path p, Node n) throws IOException {
        FileTime t = FileTime.from(n.mtimeNanos(), TimeUnit.NANOSECONDS);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    private static void await(List<Future<?>> futures) throws IOException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("restore interrupted");
            }
        }
    }

    private void problem(String path, String message) {
        problems.add(new RestoreResult.Problem(path, message));
    }

    private static String printable(String name) {
        return name.replace("\0", "\\0");
    }

    private static void acquire(Semaphore s) throws java.io.InterruptedIOException {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("restore interrupted");
        }
    }

    /** Deletes half-written files left in {@code dir} by an interrupted restore. */
    private static void removeStaleTemps(Path dir) {
        try (var ds = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp file is harmless: it never has a real file's name
        }
    }

}
