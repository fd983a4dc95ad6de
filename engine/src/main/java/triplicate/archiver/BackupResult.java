package triplicate.archiver;

import triplicate.core.Id;
import triplicate.snapshot.Snapshot;

/** The snapshot a backup wrote, with its id. {@code snapshot().warnings()} lists what could not be read. */
public record BackupResult(Id id, Snapshot snapshot) {
    public boolean complete() {
        return snapshot.warnings().isEmpty();
    }
}
