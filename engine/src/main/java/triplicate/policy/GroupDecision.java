package triplicate.policy;

import java.util.List;

/** The decisions for one group of snapshots, newest first. */
public record GroupDecision(GroupKey key, List<KeepDecision> decisions) {
    public GroupDecision {
        decisions = List.copyOf(decisions);
    }

    /** Whether the policy would forget every snapshot of the group. */
    public boolean forgetsAll() {
        return !decisions.isEmpty() && decisions.stream().noneMatch(KeepDecision::keep);
    }
}
