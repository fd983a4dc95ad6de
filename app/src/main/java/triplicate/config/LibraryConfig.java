package triplicate.config;

import java.util.List;
import java.util.Optional;
import triplicate.policy.Holder;
import triplicate.policy.MediaClass;
import triplicate.policy.Policy;
import triplicate.policy.Site;

/**
 * What a library's config file says (docs/config.md). Absent sections take their defaults: the library on internal
 * media on site, {@link Policy#DEFAULT}, a 30-day safety net, no targets.
 *
 * @param media          the media the library itself is on (it counts as one copy)
 * @param location       where the library is
 * @param policy         the 3-2-1 rule to meet
 * @param archivePolicy  what an archived shoot must keep outside the library (copies, kinds of media, offsite copies,
 *                       all in archive snapshots just drilled; docs/archive.md)
 * @param safetyNetDays  how long mirrors keep replaced and deleted files in their safety-net folder
 * @param targets        the targets, in file order
 */
public record LibraryConfig(MediaClass media, Site location, Policy policy, Policy archivePolicy, int safetyNetDays,
                            List<Target> targets) {
    public static final int DEFAULT_SAFETY_NET_DAYS = 30;

    public LibraryConfig {
        targets = List.copyOf(targets);
    }

    /** A config with the default archive policy for {@code policy}. */
    public LibraryConfig(MediaClass media, Site location, Policy policy, int safetyNetDays, List<Target> targets) {
        this(media, location, policy, defaultArchivePolicy(policy), safetyNetDays, targets);
    }

    /** 2 copies outside the library, 1 kind of media, 1 off site; the verification age of {@code policy}. */
    public static Policy defaultArchivePolicy(Policy policy) {
        return new Policy(2, 1, 1, policy.maxVerificationAge());
    }

    public static LibraryConfig defaults() {
        return new LibraryConfig(MediaClass.INTERNAL, Site.ONSITE, Policy.DEFAULT, DEFAULT_SAFETY_NET_DAYS, List.of());
    }

    public Optional<Target> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The library as a holder of copies, for the policy. */
    public Holder libraryHolder() {
        return new Holder(Holder.LIBRARY, media, location);
    }

    /** The targets as holders of copies, for the policy. */
    public List<Holder> targetHolders() {
        return targets.stream().map(t -> new Holder(t.name(), t.media(), t.location())).toList();
    }
}
