package triplicate.app;

/** How much of a target a verification reads: everything, or a share of the files, least recently verified first. */
public sealed interface Sample {
    /** Every file. */
    record All() implements Sample {
    }

    /** {@code fraction} of the files (rounded up), those verified longest ago (or never) first. */
    record Share(double fraction) implements Sample {
        public Share {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a sample is more than 0% and at most 100% of the files");
            }
        }
    }

    /** How many of {@code n} files this sample reads (at least one of a share, when there are files). */
    default long of(long n) {
        return switch (this) {
            case All a -> n;
            case Share s -> (long) Math.min(n, Math.ceil(n * s.fraction()));
        };
    }

    /** How many of {@code n} files this sample reads. */
    default int of(int n) {
        return switch (this) {
            case All a -> n;
            case Share s -> (int) Math.min(n, Math.ceil(n * s.fraction()));
        };
    }
}
