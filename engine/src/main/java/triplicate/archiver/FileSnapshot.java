package triplicate.archiver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Saves a few files as a snapshot of their own, recorded as if a folder {@code recordedFolder} held them under the
 * names given, whatever their real names and places: the catalog's consistent copy is written to a temporary file and
 * saved as {@code LIBRARY/.triplicate/catalog.db} (with the library's {@code config.yaml} beside it), so every such
 * snapshot has the same path and its unchanged chunks deduplicate. The snapshot's root holds one folder (the last
 * element of {@code recordedFolder}) holding the files; restoring it into a folder D gives {@code D/<folder>/<name>}.
 * Write order as in any backup: the files' blobs and trees are flushed before the snapshot is saved.
 */
public final class FileSnapshot {
    private static final String PROGRAM = "triplicate 0.1.0";

    private FileSnapshot() {
    }

    /** {@link #save(Repository, Map, Path, BackupOptions)} of one file, saved under the name {@code recordedName}. */
    public static BackupResult save(Repository repo, Path file, Path recordedFolder, String recordedName,
                                    BackupOptions options) throws IOException {
        return save(repo, Map.of(recordedName, file), recordedFolder, options);
    }

    /**
     * @param files          the files to save (each read once, as it is now), by the name each has in the folder
     * @param recordedFolder the absolute path recorded as the snapshot's only path
     * @param options        host, user, tags and clock of the snapshot (excludes, parent and force are ignored:
     *                       the files are read whole, and no parent is recorded, which would cost a listing of every
     *                       snapshot)
     */
    public static BackupResult save(Repository repo, Map<String, Path> files, Path recordedFolder,
                                    BackupOptions options) throws IOException {
        if (!recordedFolder.isAbsolute() || recordedFolder.getFileName() == null || files.isEmpty()
                || !files.keySet().stream().allMatch(Node::isSafeName)) {
            throw new IllegalArgumentException("an absolute folder and plain file names, not " + recordedFolder
                    + " and " + files.keySet());
        }
        long started = System.nanoTime();
        Instant time = options.clock().instant();
        long blobsBefore = repo.writeStats().blobsAdded();
        long bytesBefore = repo.writeStats().bytesAdded();
        long packBytesBefore = repo.writeStats().packBytesWritten();
        ContentChunker chunker = new ContentChunker(repo);
        List<Node> nodes = new ArrayList<>();
        long read = 0;
        for (Map.Entry<String, Path> f : new java.util.TreeMap<>(files).entrySet()) {
            FileMeta meta = FileMeta.read(f.getValue());
            if (meta.type() != NodeType.FILE) {
                throw new TriplicateException(f.getValue() + " is not a file");
            }
            List<Id> content = new ArrayList<>();
            long size = chunker.chunk(f.getValue(), (id, buf, off, len) -> {
                repo.saveBlob(BlobType.DATA, id, buf, off, len);
                content.add(id);
            });
            read += size;
            nodes.add(new Node(f.getKey(), NodeType.FILE, meta.mode(), meta.mtimeNanos(), null, null, null,
                    null, null, size, content, null, null, null));
        }
        Id folderTree = repo.saveTree(new Tree(nodes), repo.newIdHasher());
        long now = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        Node folder = new Node(recordedFolder.getFileName().toString(), NodeType.DIR, 0700, now, null, null, null,
                null, null, 0, null, folderTree, null, null);
        Id root = repo.saveTree(new Tree(List.of(folder)), repo.newIdHasher());
        repo.flush();
        String path = recordedFolder.normalize().toString();
        Snapshot.Summary summary = new Snapshot.Summary(nodes.size(), 0, 0, 1, read,
                read, repo.writeStats().blobsAdded() - blobsBefore, repo.writeStats().bytesAdded() - bytesBefore,
                repo.writeStats().packBytesWritten() - packBytesBefore,
                Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
        Snapshot snap = new Snapshot(1, time, options.host(), options.username(), List.of(path), options.tags(),
                root, null, summary, List.of(), PROGRAM);
        return new BackupResult(repo.saveSnapshot(snap), snap);
    }
}
