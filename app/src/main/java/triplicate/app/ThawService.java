package triplicate.app;

import java.io.IOException;
import triplicate.backend.ThawTier;
import triplicate.core.Id;
import triplicate.restorer.ThawPlanner;

/**
 * The thaw of a vault whose data packs are in a cold storage class (S3 Glacier Flexible Retrieval or Deep Archive):
 * what the restore of a snapshot (or a path in it) needs thawed, and the requests that thaw it. Reads no pack and
 * writes nothing into the vault; idempotent, so running it again reports the progress.
 */
public final class ThawService {
    private ThawService() {
    }

    /** What a thaw did, and where the needed packs stand now. */
    public record Report(String vault, String snapshot, String include, String tier, int days, int packs,
                         long bytes, int requested, long requestedBytes, int thawing, int thawed, int hot,
                         boolean ready, String storageClass, String expectedWait, String indicativeCost) {
    }

    /**
     * Requests a thaw, for {@code days} days at {@code tierName} (expedited, standard, bulk), of every cold pack the restore of {@code include} (null
     * for everything) from {@code snapshot} needs; packs thawed or being thawed are counted, not requested again.
     */
    public static Report thaw(Vault vault, Id snapshot, String include, int days, String tierName) throws IOException {
        ThawTier tier;
        try {
            tier = ThawTier.parse(tierName);
        } catch (IllegalArgumentException e) {
            throw new triplicate.core.TriplicateException(e.getMessage());
        }
        if (days < 1 || days > 30) {
            throw new triplicate.core.TriplicateException("--days must be 1 to 30 (how long the thawed copies are"
                    + " kept, and billed as hot storage), not " + days);
        }
        ThawPlanner planner = new ThawPlanner(vault.repository());
        ThawPlanner.Plan plan = planner.plan(planner.packsNeeded(snapshot, include), tier);
        String cls = plan.storageClass();
        if (plan.cold() > 0 && "not available".equals(plan.estimate().cost())) {
            throw new triplicate.core.TriplicateException("the " + tier.label() + " tier cannot thaw storage class "
                    + cls + ": " + plan.estimate().time() + "; nothing was requested");
        }
        ThawPlanner.ThawResult r = planner.thaw(plan, days);
        int thawing = r.alreadyThawing() + r.requested();
        return new Report(vault.location(), snapshot.hex(), include, tier.label(), days, plan.packs().size(),
                plan.totalBytes(), r.requested(), r.requestedBytes(), thawing, r.alreadyThawed(), r.hot(),
                thawing == 0, cls, plan.estimate().time(), plan.estimate().cost());
    }
}
