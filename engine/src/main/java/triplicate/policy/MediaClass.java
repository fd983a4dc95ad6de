package triplicate.policy;

import java.util.Locale;

/** The kind of storage a copy sits on; the rule wants copies on at least two kinds, so one failure mode cannot take them all. */
public enum MediaClass {
    INTERNAL, EXTERNAL_DRIVE, NAS, CLOUD;

    /** As written in the config file and in reports: {@code internal}, {@code external-drive}, {@code nas}, {@code cloud}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The class with this {@link #label()}; null when there is none. */
    public static MediaClass ofLabel(String label) {
        for (MediaClass m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        return null;
    }
}
