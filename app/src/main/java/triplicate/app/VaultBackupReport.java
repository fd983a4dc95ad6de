package triplicate.app;

import java.util.List;
import triplicate.snapshot.Snapshot;

/**
 * What {@code sync} did on one vault target.
 *
 * @param target         the target's name
 * @param outcome        whether the backup went through
 * @param message        why not; null when done
 * @param snapshot       the snapshot written (hex id), or null
 * @param summary        its summary, or null
 * @param warnings       files the backup could not read
 * @param recorded       files recorded in the catalog as stored in that snapshot
 * @param catalogWarning why they could not be recorded, or why the catalog could not be saved into the vault; null
 *                       when all went well
 * @param catalogSnapshot the snapshot holding the copy of the catalog saved into the vault after the backup (hex id),
 *                       or null
 */
public record VaultBackupReport(String target, Outcome outcome, String message, String snapshot,
                                Snapshot.Summary summary, List<Snapshot.Warning> warnings, long recorded,
                                String catalogWarning, String catalogSnapshot) {
    public VaultBackupReport {
        warnings = List.copyOf(warnings);
    }

    public enum Outcome {
        /** A snapshot was written. */
        DONE,
        /** The backup failed (no vault there, a wrong password, the backend failing…); the message says why. */
        FAILED
    }

    static VaultBackupReport failed(String target, String message) {
        return new VaultBackupReport(target, Outcome.FAILED, message, null, null, List.of(), 0, null, null);
    }
}
