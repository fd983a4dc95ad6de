package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import triplicate.catalog.Catalog;
import triplicate.crypto.Password;

/**
 * What {@code verify} and {@code heal} of a library's targets need of a vault target: a restore drill and the repair of
 * damaged packs. {@link VaultOpsService} implements it (restoring into a scratch folder and comparing with the
 * catalog's SHA-256s, re-writing a damaged pack's blobs from a verified copy); this interface is the whole of what
 * the target commands know of it, and lets their tests stand in for it.
 */
public interface VaultDrills {
    /**
     * Restores {@code sample} of the library's files from the vault at {@code location} and compares each with the
     * catalog's SHA-256; records every result in {@code catalog}'s copies for {@code target} (OK, DAMAGED, MISSING).
     */
    DrillReport drill(String target, String location, Password password, Catalog catalog, Sample sample)
            throws IOException;

    /**
     * Re-writes the vault's damaged data from verified copies, changing nothing without one: the library (whose
     * catalog is {@code catalog}), the mirror folders {@code mirrors} (which hold the library's files by their paths
     * in it), and the other vaults {@code vaults}.
     */
    HealReport heal(String target, String location, Password password, Catalog catalog, List<Path> mirrors,
                    List<VaultOpsService.VaultSource> vaults) throws IOException;

    /**
     * What a drill found.
     *
     * @param checked files restored and compared
     * @param ok      of them, identical to the catalog's
     * @param damaged paths whose restored content differs, or that could not be restored for damage
     * @param missing paths the vault's snapshots do not hold
     * @param notes   anything else to report
     */
    record DrillReport(long checked, long ok, List<String> damaged, List<String> missing, List<String> notes) {
        public DrillReport {
            damaged = List.copyOf(damaged);
            missing = List.copyOf(missing);
            notes = List.copyOf(notes);
        }
    }

    /**
     * What a repair did.
     *
     * @param healed   what was re-written, and from where
     * @param unhealed what could not be, and why
     */
    record HealReport(List<String> healed, List<String> unhealed) {
        public HealReport {
            healed = List.copyOf(healed);
            unhealed = List.copyOf(unhealed);
        }
    }
}
