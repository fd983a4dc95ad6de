package triplicate.app;

import java.io.IOException;
import java.util.List;
import triplicate.catalog.Catalog;
import triplicate.crypto.Password;

/**
 * What {@code verify} and {@code heal} need of a vault target: a restore drill and the repair of damaged packs. The
 * vault side implements it (restoring into a scratch folder and comparing with the catalog's SHA-256s, re-writing a
 * damaged pack's blobs from a healthy copy); this interface is the whole of what the target commands know of it.
 * Until an implementation is wired in, {@link #NOT_AVAILABLE} stands in and the commands say so for vault targets.
 */
public interface VaultDrills {
    /**
     * Restores {@code sample} of the library's files from the vault at {@code location} and compares each with the
     * catalog's SHA-256; records every result in {@code catalog}'s copies for {@code target} (OK, DAMAGED, MISSING).
     */
    DrillReport drill(String target, String location, Password password, Catalog catalog, Sample sample)
            throws IOException;

    /**
     * Re-writes the vault's damaged data from healthy copies (the library, a mirror, another vault), changing nothing
     * without a verified source; records what it healed in {@code catalog}'s copies for {@code target}.
     */
    HealReport heal(String target, String location, Password password, Catalog catalog) throws IOException;

    /** Whether this build has vault drills; when false, the commands report vault targets as not verified. */
    default boolean available() {
        return true;
    }

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

    /** The stand-in until the vault side is wired in: not available. */
    VaultDrills NOT_AVAILABLE = new VaultDrills() {
        @Override
        public DrillReport drill(String target, String location, Password password, Catalog catalog, Sample sample) {
            throw new UnsupportedOperationException("restore drills on vaults are not in this build");
        }

        @Override
        public HealReport heal(String target, String location, Password password, Catalog catalog) {
            throw new UnsupportedOperationException("healing vaults is not in this build");
        }

        @Override
        public boolean available() {
            return false;
        }
    };
}
