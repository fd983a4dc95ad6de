package triplicate.restorer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * A restore drill: proves that a vault gives files back. The chosen files are restored from a snapshot, with the
 * {@link Restorer} (every chunk authenticated, as in any restore), into a fresh temporary folder; each restored file
 * is hashed (SHA-256) and compared with the hash the caller expects (the catalog's); the folder is deleted
 * afterwards, whatever happened. Memory is bounded by one call's files: callers drill a large sample in batches.
 */
public final class RestoreDrill {
    /** What the drill found for one file. */
    public enum Verdict {
        /** Restored, and its SHA-256 is the expected one. */
        OK,
        /** The snapshot has no copy of this content: no file at the path, or another version of it. */
        MISSING,
        /** The snapshot has the file but it cannot be restored intact (damaged or lost data). */
        DAMAGED
    }

    /** A file to drill: its path (relative to the drill's base folder, '/' between names), size and SHA-256. */
    public record Expected(String path, long size, String sha256) {
    }

    /** The verdict on one file, with what explains it. */
    public record Outcome(String path, Verdict verdict, String detail) {
    }

    private final Repository repo;
    private final Path scratch;
    private final int workers;

    /**
     * @param scratch the folder in which each drill makes (and removes) its temporary folder
     * @param workers restore threads (0: as many as suit the backend)
     */
    public RestoreDrill(Repository repo, Path scratch, int workers) {
        this.repo = repo;
        this.scratch = scratch;
        this.workers = workers;
    }

    /**
     * Drills {@code files} of snapshot {@code snapshot}, whose paths are relative to the folder {@code base} of the
     * snapshot (a path inside it, or one of its original paths); the paths must be distinct. Returns one outcome per
     * file, in the given order.
     */
    public List<Outcome> drill(Id snapshot, String base, List<Expected> files, RestoreProgress progress)
            throws IOException {
        Snapshot snap = repo.loadSnapshot(snapshot);
        Tree top = baseTree(snap, base);
        String snapName = snapshot.shortHex();
        Map<String, Outcome> decided = new HashMap<>();
        List<String> toRestore = new ArrayList<>();
        for (Expected e : files) {
            Node n;
            try {
                n = nodeAt(top, e.path());
            } catch (DamagedFolder d) {
                decided.put(e.path(), new Outcome(e.path(), Verdict.DAMAGED, "snapshot " + snapName + ": folder "
                        + d.getMessage()));
                continue;
            }
            if (n == null || n.type() != NodeType.FILE) {
                decided.put(e.path(), new Outcome(e.path(), Verdict.MISSING, "not in snapshot " + snapName));
            } else if (n.size() != e.size()) {
                decided.put(e.path(), new Outcome(e.path(), Verdict.MISSING, "snapshot " + snapName
                        + " holds another version of it (" + n.size() + " bytes, the library's has " + e.size() + ")"));
            } else {
                toRestore.add(e.path());
            }
        }
        if (!toRestore.isEmpty()) {
            Files.createDirectories(scratch);
            Path into = Files.createTempDirectory(scratch, ".triplicate-drill-");
            try {
                RestoreResult r = new Restorer(repo, progress, workers).restore(snapshot, base, toRestore, into);
                Map<String, String> problems = new HashMap<>();
                for (RestoreResult.Problem p : r.problems()) {
                    problems.putIfAbsent(p.path(), p.message());
                }
                for (Expected e : files) {
                    if (decided.containsKey(e.path())) {
                        continue;
                    }
                    String problem = problems.get(e.path());
                    Path restored = into.resolve(e.path());
                    if (problem != null) {
                        decided.put(e.path(), new Outcome(e.path(), Verdict.DAMAGED, "snapshot " + snapName + ": "
                                + problem));
                    } else if (!Files.isRegularFile(restored, LinkOption.NOFOLLOW_LINKS)) {
                        decided.put(e.path(), new Outcome(e.path(), Verdict.DAMAGED, "snapshot " + snapName
                                + ": the restore did not produce it"));
                    } else if (sha256(restored).equals(e.sha256())) {
                        decided.put(e.path(), new Outcome(e.path(), Verdict.OK, "snapshot " + snapshot.hex()));
                    } else {
                        // every chunk authenticated, so this is what was backed up: another version of the file
                        decided.put(e.path(), new Outcome(e.path(), Verdict.MISSING, "snapshot " + snapName
                                + " holds another version of it (same size, other content)"));
                    }
                }
            } finally {
                deleteTree(into);
            }
        }
        List<Outcome> out = new ArrayList<>(files.size());
        for (Expected e : files) {
            out.add(decided.get(e.path()));
        }
        return out;
    }

    private Tree baseTree(Snapshot snap, String base) throws IOException {
        Tree root = repo.loadTree(snap.tree());
        if (base == null || base.isBlank() || base.equals("/")) {
            return root;
        }
        String rel = base;
        for (String original : snap.paths()) {
            if (base.equals(original)) {
                Path op = Path.of(original);
                rel = op.getFileName() == null ? "root" : op.getFileName().toString();
            }
        }
        Node n = nodeAt(root, rel);
        if (n == null || n.type() != NodeType.DIR || n.subtree() == null) {
            throw new TriplicateException("'" + base + "' is not a folder in the snapshot");
        }
        return repo.loadTree(n.subtree());
    }

    /** The node at {@code path} below {@code top}, or null. */
    private Node nodeAt(Tree top, String path) throws IOException {
        Tree t = top;
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            Node n = t.node(parts[i]);
            if (n == null || i == parts.length - 1) {
                return n;
            }
            if (n.type() != NodeType.DIR || n.subtree() == null) {
                return null;
            }
            try {
                t = repo.loadTree(n.subtree());
            } catch (TriplicateException e) {
                throw new DamagedFolder(String.join("/", java.util.Arrays.asList(parts).subList(0, i + 1)) + ": "
                        + e.getMessage());
            }
        }
        return null;
    }

    /** A folder on the way to a file cannot be read. */
    private static final class DamagedFolder extends IOException {
        DamagedFolder(String message) {
            super(message);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
