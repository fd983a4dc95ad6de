package triplicate.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, asset by asset, whether a library meets its {@link Policy}. Pure: the same records and the same "now"
 * give the same decision. Thread-safe (immutable).
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>The library holds every catalogued file: it is always one copy, on its own media class and site.</li>
 *   <li>A target holds the asset when every file of the asset has a copy there that is {@link CopyState#VERIFIED} or
 *       {@link CopyState#STORED}. Its age is that of its oldest file copy; a copy older than the policy's maximum
 *       verification age does not count ({@link Reason.Stale}).</li>
 *   <li>A target with damaged or missing files ({@link Reason.Damaged}, {@link Reason.Missing}), or with only some of
 *       the files ({@link Reason.Partial}), does not count, and says why.</li>
 *   <li>Copies on targets that are not among the holders given (a target removed from the config) are ignored.</li>
 *   <li>An evaluator made by {@link #outsideTheLibrary} does not count the library: it judges whether the copies
 *       elsewhere are enough on their own (before the library's files are archived away).</li>
 *   <li>The asset meets the policy when the counted copies reach the number of copies, of media classes and of offsite
 *       copies the policy wants.</li>
 * </ol>
 */
public final class PolicyEvaluator {
    private final Policy policy;
    private final Holder library;
    private final Map<String, Holder> targets;

    /** @param targets the configured targets, in the order reports should list them */
    public PolicyEvaluator(Policy policy, Holder library, List<Holder> targets) {
        this(policy, java.util.Objects.requireNonNull(library, "library"), targets, true);
    }

    private PolicyEvaluator(Policy policy, Holder library, List<Holder> targets, boolean unused) {
        this.policy = policy;
        this.library = library;
        Map<String, Holder> m = new LinkedHashMap<>();
        for (Holder h : targets) {
            if (h.name().equals(Holder.LIBRARY) || m.put(h.name(), h) != null) {
                throw new IllegalArgumentException("two holders are named " + h.name());
            }
        }
        this.targets = m;
    }

    /**
     * An evaluator that counts only the copies on {@code targets}, not the library: whether an asset keeps
     * {@code policy} once its files leave the library. Its decisions' {@link Decision#heldBy()} start empty.
     */
    public static PolicyEvaluator outsideTheLibrary(Policy policy, List<Holder> targets) {
        return new PolicyEvaluator(policy, null, targets, true);
    }

    public Policy policy() {
        return policy;
    }

    public Decision evaluate(AssetCopies asset, Instant now) {
        List<String> heldBy = new ArrayList<>(library == null ? List.of() : List.of(library.name()));
        Set<MediaClass> media = library == null ? EnumSet.noneOf(MediaClass.class) : EnumSet.of(library.media());
        int offsite = library != null && library.site() == Site.OFFSITE ? 1 : 0;
        List<Reason> problems = new ArrayList<>();
        for (Holder t : targets.values()) {
            Map<String, AssetCopies.KnownCopy> byFile = new HashMap<>();
            for (AssetCopies.FileCopies f : asset.files()) {
                for (AssetCopies.KnownCopy c : f.copies()) {
                    if (c.target().equals(t.name())) {
                        byFile.put(f.path(), c);
                    }
                }
            }
            if (byFile.isEmpty()) {
                continue;   // the target has never held any of it: nothing to say beyond the counts
            }
            List<String> damaged = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            List<String> lacking = new ArrayList<>();
            Instant oldest = null;
            for (AssetCopies.FileCopies f : asset.files()) {
                AssetCopies.KnownCopy c = byFile.get(f.path());
                if (c == null) {
                    lacking.add(f.path());
                    continue;
                }
                switch (c.state()) {
                    case VERIFIED, STORED -> oldest = oldest == null || c.at().isBefore(oldest) ? c.at() : oldest;
                    case DAMAGED -> damaged.add(f.path());
                    case MISSING -> missing.add(f.path());
                }
            }
            if (!damaged.isEmpty()) {
                problems.add(new Reason.Damaged(t.name(), damaged));
            }
            if (!missing.isEmpty()) {
                problems.add(new Reason.Missing(t.name(), missing));
            }
            if (!lacking.isEmpty()) {
                problems.add(new Reason.Partial(t.name(), lacking));
            }
            if (!damaged.isEmpty() || !missing.isEmpty() || !lacking.isEmpty()) {
                continue;
            }
            Duration age = Duration.between(oldest, now);
            if (age.compareTo(policy.maxVerificationAge()) > 0) {
                problems.add(new Reason.Stale(t.name(), age.toDays()));
                continue;
            }
            heldBy.add(t.name());
            media.add(t.media());
            offsite += t.site() == Site.OFFSITE ? 1 : 0;
        }
        List<Reason> reasons = new ArrayList<>();
        if (heldBy.size() < policy.copies()) {
            reasons.add(new Reason.FewCopies(heldBy.size(), policy.copies()));
        }
        if (media.size() < policy.mediaClasses()) {
            reasons.add(new Reason.FewMediaClasses(media, policy.mediaClasses()));
        }
        if (offsite < policy.offsite()) {
            reasons.add(new Reason.FewOffsite(offsite, policy.offsite()));
        }
        boolean met = reasons.isEmpty();
        reasons.addAll(problems);
        return new Decision(asset.asset(), met, heldBy, media, offsite, reasons);
    }
}
