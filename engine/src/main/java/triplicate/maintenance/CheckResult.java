package triplicate.maintenance;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a check. {@code errors} are damage (data that cannot be read back); {@code warnings} are harmless
 * leftovers (e.g. packs of an interrupted backup that the next backup will index). {@code affected} names, per
 * snapshot id, every path whose data is damaged.
 */
public record CheckResult(int snapshots, int trees, long blobs, int packs, int packsRead, long bytesRead,
                          List<String> errors, List<String> warnings, Map<String, List<String>> affected) {
    public boolean ok() {
        return errors.isEmpty();
    }
}
