package triplicate.policy;

import java.util.Locale;

/** Where a copy is kept: in the same building as the library, or somewhere a fire or a burglary there cannot reach. */
public enum Site {
    ONSITE, OFFSITE;

    /** As written in the config file and in reports: {@code onsite}, {@code offsite}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The site with this {@link #label()}; null when there is none. */
    public static Site ofLabel(String label) {
        for (Site s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null;
    }
}
