package triplicate.archiver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Copies snapshots from one vault into another: the two have their own master keys (so the same content has
 * unrelated blob ids in each) and possibly their own chunkers. The copy keeps the snapshot's time, host, user, paths,
 * tags, summary and warnings; its trees and blob ids are the destination's own.
 *
 * <ul>
 *   <li>When both vaults cut files alike (same chunker sizes and seed: {@code init --copy-chunker-params-from}),
 *       each chunk is copied as it is: opened (authenticated) in the source, hashed and sealed for the
 *       destination.</li>
 *   <li>Otherwise the chunks of one vault are not those of the other: each file is reassembled into a temporary
 *       file and cut again by the destination's chunker, exactly as a backup into it would.</li>
 * </ul>
 * Blobs the destination has are not stored again. A snapshot already copied (one with the same time, host, user and
 * paths in the destination) is not copied again. A file or folder unchanged since the last snapshot of the same
 * host and paths that was copied before (same blob ids, same tree id in the source) takes that copy's content
 * without a byte being read: copying the new snapshots of a library reads only what changed. Write order as in a
 * backup: data, trees, index, then the snapshot, so an interrupted copy leaves no snapshot and the next one reuses
 * what was stored.
 *
 * <p>Not thread-safe; one copy at a time. Memory: one chunk (or one chunking buffer) and the trees of the path being
 * copied, plus a bounded map of chunk ids already copied in this run.
 */
public final class SnapshotCopier {
    private static final int ID_CACHE = 100_000;

    private final Repository from;
    private final Repository to;
    private final Path scratch;
    private final boolean sameChunks;
    private final IdHasher toHasher;
    private final ContentChunker toChunker;
    private final Map<Id, Id> copiedIds = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Id> eldest) {
            return size() > ID_CACHE;
        }
    };
    private long files;
    private long filesReused;

    /** What copying one snapshot did. */
    public record Copied(Id source, Id copy, boolean alreadyThere, long files, long filesReused, long blobsAdded,
                         long bytesAdded, boolean rechunked) {
    }

    /** @param scratch where files are reassembled when the chunkers differ (one file at a time, deleted at once) */
    public SnapshotCopier(Repository from, Repository to, Path scratch) {
        this.from = from;
        this.to = to;
        this.scratch = scratch;
        this.sameChunks = from.config().chunkerParams().equals(to.config().chunkerParams());
        this.toHasher = to.newIdHasher();
        this.toChunker = new ContentChunker(to);
    }

    /** Whether chunks are copied as they are (both vaults cut files alike) rather than cut again. */
    public boolean sameChunks() {
        return sameChunks;
    }

    /** Copies snapshot {@code id} of the source; returns what it did. */
    public Copied copy(Id id) throws IOException {
        Snapshot s = from.loadSnapshot(id);
        List<Repository.SnapshotRef> there = to.listSnapshots();
        for (Repository.SnapshotRef d : there) {
            if (sameOrigin(s, d.snapshot())) {
                return new Copied(id, d.id(), true, 0, 0, 0, 0, !sameChunks);
            }
        }
        // the newest earlier copy of a snapshot of the same host and paths: its unchanged parts are reused
        Repository.SnapshotRef parentSource = null;
        Repository.SnapshotRef parentCopy = null;
        Id copyOfParent = null;
        for (Repository.SnapshotRef src : from.listSnapshots()) {
            Repository.SnapshotRef copy = copyOf(src.snapshot(), there);
            if (copy == null) {
                continue;
            }
            if (src.id().equals(s.parent())) {
                copyOfParent = copy.id();
            }
            if (Objects.equals(src.snapshot().host(), s.host()) && src.snapshot().paths().equals(s.paths())) {
                parentSource = src;
                parentCopy = copy;
            }
        }
        long blobsBefore = to.writeStats().blobsAdded();
        long bytesBefore = to.writeStats().bytesAdded();
        files = 0;
        filesReused = 0;
        Tree oldSource = parentSource == null ? null : loadTreeOrNull(from, parentSource.snapshot().tree());
        Tree oldCopy = parentCopy == null ? null : loadTreeOrNull(to, parentCopy.snapshot().tree());
        Id root = copyTree(s.tree(), oldSource, oldCopy, "");
        to.flush();
        Snapshot copy = new Snapshot(s.version(), s.time(), s.host(), s.username(), s.paths(), s.tags(), root,
                copyOfParent, s.summary(), s.warnings(), s.program());
        Id copyId = to.saveSnapshot(copy);
        return new Copied(id, copyId, false, files, filesReused, to.writeStats().blobsAdded() - blobsBefore,
                to.writeStats().bytesAdded() - bytesBefore, !sameChunks);
    }

    /** Whether {@code b} is a copy of {@code a} (or {@code a} itself). */
    static boolean sameOrigin(Snapshot a, Snapshot b) {
        return a.time().equals(b.time()) && Objects.equals(a.host(), b.host())
                && Objects.equals(a.username(), b.username()) && a.paths().equals(b.paths());
    }

    private static Repository.SnapshotRef copyOf(Snapshot s, List<Repository.SnapshotRef> there) {
        for (Repository.SnapshotRef d : there) {
            if (sameOrigin(s, d.snapshot())) {
                return d;
            }
        }
        return null;
    }

    private static Tree loadTreeOrNull(Repository repo, Id id) {
        try {
            return repo.loadTree(id);
        } catch (IOException | TriplicateException e) {
            return null; // nothing to reuse from it; everything is copied
        }
    }

    private Id copyTree(Id sourceTree, Tree oldSource, Tree oldCopy, String path) throws IOException {
        Tree t;
        try {
            t = from.loadTree(sourceTree);
        } catch (TriplicateException e) {
            throw new TriplicateException("cannot copy folder '" + (path.isEmpty() ? "/" : path) + "': "
                    + e.getMessage() + " (run 'triplicate check --read-data' on the source vault)", e);
        }
        List<Node> nodes = new ArrayList<>(t.nodes().size());
        for (Node n : t.nodes()) {
            String p = path.isEmpty() ? n.name() : path + "/" + n.name();
            Node os = Archiver.find(oldSource, n.name());
            Node oc = Archiver.find(oldCopy, n.name());
            switch (n.type()) {
                case DIR -> {
                    if (n.subtree() == null) {
                        nodes.add(n);
                    } else if (os != null && oc != null && os.type() == NodeType.DIR && oc.type() == NodeType.DIR
                            && n.subtree().equals(os.subtree()) && oc.subtree() != null && to.hasBlob(oc.subtree())) {
                        nodes.add(n.withSubtree(oc.subtree()));
                    } else {
                        Tree subSource = os != null && os.type() == NodeType.DIR && os.subtree() != null
                                ? loadTreeOrNull(from, os.subtree()) : null;
                        Tree subCopy = oc != null && oc.type() == NodeType.DIR && oc.subtree() != null
                                ? loadTreeOrNull(to, oc.subtree()) : null;
                        nodes.add(n.withSubtree(copyTree(n.subtree(), subSource, subCopy, p)));
                    }
                }
                case FILE -> nodes.add(withContent(n, copyFile(n, os, oc, p)));
                case SYMLINK, OTHER -> nodes.add(n);
            }
        }
        return to.saveTree(new Tree(nodes), toHasher);
    }

    private static Node withContent(Node n, List<Id> content) {
        return new Node(n.name(), n.type(), n.mode(), n.mtimeNanos(), n.ctimeNanos(), n.inode(), n.device(), n.uid(),
                n.gid(), n.size(), content, n.subtree(), n.linkTarget(), n.xattrs());
    }

    private List<Id> copyFile(Node n, Node oldSource, Node oldCopy, String path) throws IOException {
        if (n.content() == null) {
            return null;
        }
        files++;
        if (oldSource != null && oldCopy != null && oldSource.type() == NodeType.FILE
                && oldCopy.type() == NodeType.FILE && n.content().equals(oldSource.content())
                && oldCopy.size() == n.size() && oldCopy.content() != null
                && oldCopy.content().stream().allMatch(to::hasBlob)) {
            filesReused++;
            return oldCopy.content();
        }
        try {
            return sameChunks ? copyChunks(n) : rechunk(n);
        } catch (TriplicateException e) {
            throw new TriplicateException("cannot copy '" + path + "': " + e.getMessage()
                    + " (run 'triplicate check --read-data' on the source vault, and 'triplicate heal')", e);
        }
    }

    private List<Id> copyChunks(Node n) throws IOException {
        List<Id> out = new ArrayList<>(n.content().size());
        for (Id id : n.content()) {
            Id copied = copiedIds.get(id);
            if (copied == null || !to.hasBlob(copied)) {
                byte[] plain = from.loadBlob(BlobType.DATA, id);
                copied = toHasher.id(plain, 0, plain.length);
                to.saveBlob(BlobType.DATA, copied, plain);
                copiedIds.put(id, copied);
            }
            out.add(copied);
        }
        return out;
    }

    private List<Id> rechunk(Node n) throws IOException {
        Files.createDirectories(scratch);
        Path tmp = Files.createTempFile(scratch, ".triplicate-copy-", "");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (Id id : n.content()) {
                    out.write(from.loadBlob(BlobType.DATA, id));
                }
            }
            List<Id> content = new ArrayList<>();
            toChunker.chunk(tmp, (id, buf, off, len) -> {
                to.saveBlob(BlobType.DATA, id, buf, off, len);
                content.add(id);
            });
            return content;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
