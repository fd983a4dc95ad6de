package triplicate.policy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The verdict on one asset.
 *
 * @param asset     the asset, as {@link AssetCopies#asset()} named it
 * @param met       whether it meets the policy
 * @param heldBy    the holders whose copies counted, the library first
 * @param media     the kinds of media of those copies
 * @param offsite   how many of them are off site
 * @param reasons   why it falls short (first the counts, then each target's problem); problems with copies are listed
 *                  even when the policy is met by the others
 */
public record Decision(String asset, boolean met, List<String> heldBy, Set<MediaClass> media, int offsite,
                       List<Reason> reasons) {
    public Decision {
        heldBy = List.copyOf(heldBy);
        media = Set.copyOf(media);
        reasons = List.copyOf(reasons);
    }

    /** How many copies counted. */
    public int copies() {
        return heldBy.size();
    }

    /** The reasons as one line: "2 copies, no offsite; copy on nas not verified for 120 days". */
    public String summary() {
        String counts = reasons.stream().filter(Decision::isCount).map(Reason::text).collect(Collectors.joining(", "));
        String problems = reasons.stream().filter(r -> !isCount(r)).map(Reason::text).collect(Collectors.joining("; "));
        return counts.isEmpty() ? problems : problems.isEmpty() ? counts : counts + "; " + problems;
    }

    private static boolean isCount(Reason r) {
        return switch (r) {
            case Reason.FewCopies c -> true;
            case Reason.FewMediaClasses m -> true;
            case Reason.FewOffsite o -> true;
            case Reason.Stale s -> false;
            case Reason.Damaged d -> false;
            case Reason.Missing m -> false;
            case Reason.Partial p -> false;
        };
    }
}
