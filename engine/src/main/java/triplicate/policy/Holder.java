package triplicate.policy;

/**
 * A place that may hold a copy: the library itself, or a target.
 *
 * @param name  the target's name, or {@link #LIBRARY} for the library
 * @param media the kind of media it is on
 * @param site  where it is
 */
public record Holder(String name, MediaClass media, Site site) {
    /** The name the library goes by in decisions. */
    public static final String LIBRARY = "library";

    public Holder {
        if (name == null || name.isBlank() || media == null || site == null) {
            throw new IllegalArgumentException("a holder needs a name, a media class and a site");
        }
    }
}
