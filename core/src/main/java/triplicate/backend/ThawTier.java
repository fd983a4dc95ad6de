package triplicate.backend;

import java.util.Locale;

/** How fast (and at what price) a cold file is thawed: the retrieval tiers of S3 Glacier and its kin. */
public enum ThawTier {
    EXPEDITED, STANDARD, BULK;

    /** The tier named (any case): {@code expedited}, {@code standard} or {@code bulk}. */
    public static ThawTier parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a thaw tier: \"" + name + "\" (expedited, standard or bulk)");
        }
    }

    /** Lower-case name, as typed on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
