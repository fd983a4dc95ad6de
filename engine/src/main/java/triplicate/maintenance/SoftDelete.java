package triplicate.maintenance;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.LockFolder;
import triplicate.repository.Repository;
import triplicate.repository.Session;

/**
 * Forgetting and undeleting snapshots. Forgetting is a write-once addition: one forget record naming the snapshots
 * and the time; the snapshot files and their data stay until a prune finds the recovery window passed. Undeleting
 * removes the snapshot from every forget record naming it (a record that names others too is saved again without it,
 * then removed), under the maintenance lock, so no prune purges the snapshot at the same moment.
 */
public final class SoftDelete {
    private final Repository repo;

    public SoftDelete(Repository repo) {
        this.repo = repo;
    }

    /**
     * Forgets {@code snapshots} at {@code time}; returns the forget record's name. Refuses in a format 1 vault and
     * with append-only credentials (see {@link Pruner}).
     */
    public String forget(List<Id> snapshots, Instant time) throws IOException {
        checkCanForget(repo);
        return repo.locks().saveForgetRecord(time, repo.options().host(), repo.options().username(), snapshots);
    }

    /**
     * Refuses to forget in a format 1 vault (older versions write to it without markers) and with append-only
     * credentials (forgetting only adds a record, but undoing it, and the prune it is for, need deletes).
     */
    public static void checkCanForget(Repository repo) throws IOException {
        Pruner.requireFormat2(repo, "forget");
        Pruner.probeDeletes(repo, "forget");
    }

    /**
     * Brings back a forgotten snapshot, if its file is still there (prune purges it, and then its data, once its
     * recovery window has passed). {@code notes} hears what the maintenance lock waits for.
     */
    public void undelete(Id snapshot, Pruner.Options lockOptions, Consumer<String> notes) throws IOException {
        Pruner.requireFormat2(repo, "undelete");
        Pruner.probeDeletes(repo, "undelete");
        try (Session lock = Pruner.acquireLock(repo, "undelete", lockOptions, notes)) {
            if (!repo.backend().exists(new triplicate.backend.Handle(triplicate.core.FileType.SNAPSHOT, snapshot.hex()))) {
                throw new TriplicateException("snapshot " + snapshot.shortHex() + " is gone: a prune purged it after its"
                        + " recovery window, so it cannot be undeleted");
            }
            List<LockFolder.ForgetRecord> naming = new ArrayList<>();
            for (LockFolder.ForgetRecord r : repo.locks().forgetRecords((name, e) -> {
            })) {
                if (r.snapshots().contains(snapshot)) {
                    naming.add(r);
                }
            }
            if (naming.isEmpty()) {
                throw new TriplicateException("snapshot " + snapshot.shortHex() + " is not forgotten");
            }
            for (LockFolder.ForgetRecord r : naming) {
                List<Id> rest = new ArrayList<>(r.snapshots());
                rest.remove(snapshot);
                if (!rest.isEmpty()) {
                    repo.locks().saveForgetRecord(r.time(), r.host(), r.username(), rest);
                }
                repo.locks().remove(r.name());
            }
            lock.ensureAlive();
        }
        if (repo.forgotten().containsKey(snapshot)) {
            throw new TriplicateException("snapshot " + snapshot.shortHex() + " was forgotten again while it was being"
                    + " undeleted (another forget ran at the same time); run undelete again");
        }
    }
}
