package triplicate.policy;

import java.util.List;

/** Whether a snapshot is kept or forgotten, and why: every rule that keeps it, or why none does. */
public record KeepDecision(SnapshotInfo snapshot, boolean keep, List<String> reasons) {
    public KeepDecision {
        reasons = List.copyOf(reasons);
    }
}
