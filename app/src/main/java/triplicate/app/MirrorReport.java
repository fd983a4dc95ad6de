package triplicate.app;

import java.util.List;

/**
 * What one mirror run did on one target.
 *
 * @param target           the target's name
 * @param folder           the mirror's folder
 * @param outcome          whether the run went through, found the mirror unavailable, or failed
 * @param message          why it was unavailable or failed; null when done
 * @param copied           files copied in (new or changed in the library)
 * @param bytesCopied      their bytes
 * @param moved            files moved within the mirror instead of copied (renamed or moved in the library)
 * @param unchanged        files already in step (per the manifest, size and modification time; not read)
 * @param adopted          files found on the mirror, not in its manifest, identical to the library's (read and hashed)
 * @param toSafetyNet      what went into the safety net: "PATH -> .triplicate-mirror/safety-net/DAY/PATH"
 * @param pruned           files deleted from safety-net days older than the configured number of days
 * @param unexpected       files on the mirror that are neither the library's nor in the manifest: left alone
 * @param changedOnMirror  files whose copy had been changed on the mirror (by hand, or rot): kept in the safety net
 *                         and copied again
 * @param changedInLibrary files that changed in the library after the catalog was read: not copied this time
 * @param problems         files that could not be copied, with the reason
 * @param recorded         copies recorded in the catalog
 * @param catalogWarning   why the copies could not be recorded (the catalog busy), or null
 * @param seconds          how long the run took
 */
public record MirrorReport(String target, String folder, Outcome outcome, String message, long copied, long bytesCopied,
                           long moved, long unchanged, long adopted, List<String> toSafetyNet, long pruned,
                           List<String> unexpected, List<String> changedOnMirror, List<String> changedInLibrary,
                           List<String> problems, long recorded, String catalogWarning, double seconds) {
    public MirrorReport {
        toSafetyNet = List.copyOf(toSafetyNet);
        unexpected = List.copyOf(unexpected);
        changedOnMirror = List.copyOf(changedOnMirror);
        changedInLibrary = List.copyOf(changedInLibrary);
        problems = List.copyOf(problems);
    }

    /** How a run on one target ended. */
    public enum Outcome {
        /** The mirror is in step with the catalog, except for the files listed as problems. */
        DONE,
        /** The mirror could not be reached (drive not plugged in, share not mounted, unplugged during the run). */
        UNAVAILABLE,
        /** The run stopped on an error (a damaged manifest, a full disk…); the message says what to do. */
        FAILED
    }

    static MirrorReport notRun(String target, String folder, Outcome outcome, String message) {
        return new MirrorReport(target, folder, outcome, message, 0, 0, 0, 0, 0, List.of(), 0, List.of(), List.of(),
                List.of(), List.of(), 0, null, 0);
    }

    /** Whether the run went through with nothing to warn about. */
    public boolean clean() {
        return outcome == Outcome.DONE && problems.isEmpty() && unexpected.isEmpty() && changedOnMirror.isEmpty()
                && changedInLibrary.isEmpty() && catalogWarning == null;
    }
}
