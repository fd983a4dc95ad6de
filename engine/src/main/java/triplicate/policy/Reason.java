package triplicate.policy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Why an asset falls short of its policy, or what is wrong with one of its copies. Closed: reports switch over it. */
public sealed interface Reason {
    /** One line of text for people ("2 copies", "no offsite", "damaged on usb: IMG_1.CR3"). */
    String text();

    /** A stable code for scripts ({@code --json}). */
    String code();

    /** Fewer good copies than the policy wants (the library counts as one). */
    record FewCopies(int have, int want) implements Reason {
        @Override
        public String text() {
            return have == 1 ? "1 copy (the library only)" : have + " copies";
        }

        @Override
        public String code() {
            return "copies";
        }
    }

    /** The good copies sit on fewer kinds of media than the policy wants. */
    record FewMediaClasses(Set<MediaClass> have, int want) implements Reason {
        public FewMediaClasses {
            have = Set.copyOf(have);
        }

        @Override
        public String text() {
            String names = have.stream().sorted().map(MediaClass::label).collect(Collectors.joining(", "));
            return (have.size() == 1 ? "1 kind of media" : have.size() + " kinds of media") + " (" + names + ")";
        }

        @Override
        public String code() {
            return "media";
        }
    }

    /** Fewer good copies off site than the policy wants. */
    record FewOffsite(int have, int want) implements Reason {
        @Override
        public String text() {
            return have == 0 ? "no offsite" : have + " offsite (" + want + " wanted)";
        }

        @Override
        public String code() {
            return "offsite";
        }
    }

    /** The copy on {@code target} was last verified (or written) {@code days} days ago: too long to count. */
    record Stale(String target, long days) implements Reason {
        @Override
        public String text() {
            return "copy on " + target + " not verified for " + days + " days";
        }

        @Override
        public String code() {
            return "stale";
        }
    }

    /** The last verification found these files damaged on {@code target}. */
    record Damaged(String target, List<String> paths) implements Reason {
        public Damaged {
            paths = List.copyOf(paths);
        }

        @Override
        public String text() {
            return "damaged on " + target + ": " + String.join(", ", paths);
        }

        @Override
        public String code() {
            return "damaged";
        }
    }

    /** The last verification found these files missing on {@code target}. */
    record Missing(String target, List<String> paths) implements Reason {
        public Missing {
            paths = List.copyOf(paths);
        }

        @Override
        public String text() {
            return "missing on " + target + ": " + String.join(", ", paths);
        }

        @Override
        public String code() {
            return "missing";
        }
    }

    /** {@code target} holds some of the asset's files but not these (never copied, or changed since). */
    record Partial(String target, List<String> lacking) implements Reason {
        public Partial {
            lacking = List.copyOf(lacking);
        }

        @Override
        public String text() {
            return target + " lacks " + String.join(", ", lacking);
        }

        @Override
        public String code() {
            return "partial";
        }
    }
}
