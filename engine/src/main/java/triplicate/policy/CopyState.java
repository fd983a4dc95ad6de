package triplicate.policy;

/** What is known of one file's copy on one target. */
public enum CopyState {
    /** Verified: the copy was read back and hashes to the file's content. */
    VERIFIED,
    /** Written by a backup (or a mirror run) and not read back since: counts, as of when it was written. */
    STORED,
    /** The last verification found no copy. */
    MISSING,
    /** The last verification found a copy whose content differs. */
    DAMAGED
}
