package triplicate.archiver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Saves one file as a snapshot of its own, recorded as if a folder {@code recordedFolder} held it under the name
 * {@code recordedName}, whatever the file's real name and place: the catalog's consistent copy is written to a
 * temporary file and saved as {@code LIBRARY/.triplicate/catalog.db}, so every such snapshot has the same path and
 * its unchanged chunks deduplicate. The snapshot's root holds one folder (the last element of
 * {@code recordedFolder}) holding the file; restoring it into a folder D gives {@code D/<folder>/<name>}. Write order
 * as in any backup: the file's blobs and trees are flushed before the snapshot is saved.
 */
public final class FileSnapshot {
    private static final String PROGRAM = "triplicate 0.1.0";

    private FileSnapshot() {
    }

    /**
     * @param file           the file to save (read once, as it is now)
     * @param recordedFolder the absolute path recorded as the snapshot's only path
     * @param recordedName   the file's name inside it
     * @param options        host, user, tags and clock of the snapshot (excludes, parent and force are ignored:
     *                       the file is read whole, and no parent is recorded, which would cost a listing of every
     *                       snapshot)
     */
    public static BackupResult save(Repository repo, Path file, Path recordedFolder, String recordedName,
                                    BackupOptions options) throws IOException {
        if (!recordedFolder.isAbsolute() || recordedFolder.getFileName() == null || !Node.isSafeName(recordedName)) {
            throw new IllegalArgumentException("an absolute folder and a plain file name, not " + recordedFolder
                    + " and " + recordedName);
        }
        long started = System.nanoTime();
        Instant time = options.clock().instant();
        long blobsBefore = repo.writeStats().blobsAdded();
        long bytesBefore = repo.writeStats().bytesAdded();
        long packBytesBefore = repo.writeStats().packBytesWritten();
        FileMeta meta = FileMeta.read(file);
        if (meta.type() != NodeType.FILE) {
            throw new TriplicateException(file + " is not a file");
        }
        List<Id> content = new ArrayList<>();
        ContentChunker chunker = new ContentChunker(repo);
        long read = chunker.chunk(file, (id, buf, off, len) -> {
            repo.saveBlob(BlobType.DATA, id, buf, off, len);
            content.add(id);
        });
        Node fileNode = new Node(recordedName, NodeType.FILE, meta.mode(), meta.mtimeNanos(), null, null, null,
                null, null, read, content, null, null, null);
        Id folderTree = repo.saveTree(new Tree(List.of(fileNode)), repo.newIdHasher());
        long now = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        Node folder = new Node(recordedFolder.getFileName().toString(), NodeType.DIR, 0700, now, null, null, null,
                null, null, 0, null, folderTree, null, null);
        Id root = repo.saveTree(new Tree(List.of(folder)), repo.newIdHasher());
        repo.flush();
        String path = recordedFolder.normalize().toString();
        Snapshot.Summary summary = new Snapshot.Summary(1, 0, 0, 1, read,
                read, repo.writeStats().blobsAdded() - blobsBefore, repo.writeStats().bytesAdded() - bytesBefore,
                repo.writeStats().packBytesWritten() - packBytesBefore,
                Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
        Snapshot snap = new Snapshot(1, time, options.host(), options.username(), List.of(path), options.tags(),
                root, null, summary, List.of(), PROGRAM);
        return new BackupResult(repo.saveSnapshot(snap), snap);
    }
}
