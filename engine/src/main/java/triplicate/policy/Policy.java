package triplicate.policy;

import java.time.Duration;

/**
 * The 3-2-1 rule of one library: at least {@code copies} copies of every asset (the library counts as one), on at
 * least {@code mediaClasses} kinds of media, at least {@code offsite} of them off site, and no copy counted unless
 * it was verified (or written) within {@code maxVerificationAge}.
 */
public record Policy(int copies, int mediaClasses, int offsite, Duration maxVerificationAge) {
    /** 3 copies, 2 kinds of media, 1 off site, each verified within 90 days. */
    public static final Policy DEFAULT = new Policy(3, 2, 1, Duration.ofDays(90));

    public Policy {
        if (copies < 1 || mediaClasses < 1 || offsite < 0) {
            throw new IllegalArgumentException("a policy wants at least 1 copy and 1 kind of media, and no negative"
                    + " number of offsite copies");
        }
        if (maxVerificationAge == null || maxVerificationAge.isNegative() || maxVerificationAge.isZero()) {
            throw new IllegalArgumentException("the maximum verification age must be positive");
        }
    }
}
