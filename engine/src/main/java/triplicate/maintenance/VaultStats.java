package triplicate.maintenance;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import triplicate.backend.FileInfo;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;

/** Sizes of a vault: what the snapshots hold, what is stored once, and what that costs on the backend. */
public final class VaultStats {
    /**
     * @param restoreSize bytes a restore of every snapshot would write (sum over snapshots)
     * @param uniqueBytes plaintext bytes of the distinct data blobs
     * @param storedBytes bytes of all files on the backend
     */
    public record Stats(int snapshots, long files, long restoreSize, long dataBlobs, long treeBlobs, long uniqueBytes,
                        int packs, long packBytes, long storedBytes) {
        /** How many times smaller the vault is than all its snapshots restored. */
        public double dedupRatio() {
            return storedBytes == 0 ? 0 : (double) restoreSize / storedBytes;
        }
    }

    private final Repository repo;

    public VaultStats(Repository repo) {
        this.repo = repo;
    }

    public Stats compute() throws IOException {
        List<Repository.SnapshotRef> snaps = repo.liveSnapshots();
        long files = 0;
        long restore = 0;
        for (Repository.SnapshotRef s : snaps) {
            long[] acc = new long[2];
            Set<Id> seen = new HashSet<>();
            walk(s.snapshot().tree(), acc, seen);
            files += acc[0];
            restore += acc[1];
        }
        long data = 0;
        long trees = 0;
        long unique = 0;
        for (PackedBlob b : repo.index().all()) {
            if (b.type() == BlobType.DATA) {
                data++;
                unique += b.rawLength();
            } else {
                trees++;
            }
        }
        long stored = 0;
        long packBytes = 0;
        int packs = 0;
        for (FileType t : FileType.values()) {
            if (t == FileType.CONFIG) {
                continue;
            }
            for (FileInfo f : repo.backend().list(t)) {
                stored += f.size();
                if (t == FileType.PACK) {
                    packs++;
                    packBytes += f.size();
                }
            }
        }
        stored += repo.backend().stat(triplicate.backend.Handle.config()).size();
        return new Stats(snaps.size(), files, restore, data, trees, unique, packs, packBytes, stored);
    }

    private void walk(Id tree, long[] acc, Set<Id> seen) throws IOException {
        for (Node n : repo.loadTree(tree).nodes()) {
            if (n.type() == NodeType.DIR && n.subtree() != null) {
                walk(n.subtree(), acc, seen);
            } else if (n.type() == NodeType.FILE) {
                acc[0]++;
                acc[1] += n.size();
            }
        }
    }
}
