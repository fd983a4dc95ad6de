package triplicate.config;

import java.util.Locale;

/** What a target holds: plain files any program can open, or an encrypted, deduplicated vault of snapshots. */
public enum TargetKind {
    MIRROR, VAULT;

    /** As written in the config file: {@code mirror}, {@code vault}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this {@link #label()}; null when there is none. */
    public static TargetKind ofLabel(String label) {
        for (TargetKind k : values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        return null;
    }
}
