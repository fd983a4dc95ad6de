package triplicate.app;

import java.util.List;
import triplicate.config.TargetKind;

/**
 * What {@code verify} or {@code heal} found or did on one target.
 *
 * @param target         the target's name
 * @param kind           mirror or vault
 * @param outcome        whether it ran
 * @param message        why it did not, or a warning (a damaged manifest); null when nothing to say
 * @param checked        files read and compared (verify) or looked at (heal)
 * @param ok             files found intact (verify) or healed (heal)
 * @param damaged        verify: files whose content differs from the catalog's ("PATH: why"); heal: files that
 *                       could not be healed, and why
 * @param missing        verify: files not on the target ("PATH" or "PATH: why")
 * @param healed         heal: "PATH from SOURCE"
 * @param bytesRead      bytes read
 * @param recorded       results recorded in the catalog
 * @param catalogWarning why results could not be recorded, or null
 */
public record TargetCheck(String target, TargetKind kind, Outcome outcome, String message, long checked, long ok,
                          List<String> damaged, List<String> missing, List<String> healed, long bytesRead,
                          long recorded, String catalogWarning) {
    public TargetCheck {
        damaged = List.copyOf(damaged);
        missing = List.copyOf(missing);
        healed = List.copyOf(healed);
    }

    public enum Outcome {
        /** Ran through. */
        DONE,
        /** The target could not be reached. */
        UNAVAILABLE,
        /** The target could not be checked (an error); the message says why. */
        FAILED
    }

    static TargetCheck notRun(String target, TargetKind kind, Outcome outcome, String message) {
        return new TargetCheck(target, kind, outcome, message, 0, 0, List.of(), List.of(), List.of(), 0, 0, null);
    }

    /** Whether everything checked was found intact (or healed) and the target could be reached. */
    public boolean clean() {
        return outcome == Outcome.DONE && damaged.isEmpty() && missing.isEmpty() && catalogWarning == null;
    }
}
