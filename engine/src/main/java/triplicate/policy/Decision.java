package triplicate.policy;

import java.util.List;

/** Whether a snapshot is kept or forgotten, and why: every rule that keeps it, or why none does. */
public record Decision(SnapshotInfo snapshot, boolean keep, List<String> reasons) {
    public Decision {
        reasons = List.copyOf(reasons);
    }
}
