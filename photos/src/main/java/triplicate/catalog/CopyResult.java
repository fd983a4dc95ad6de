package triplicate.catalog;

/** What the last verification of a copy of a file on a target found. */
public enum CopyResult {
    /** The copy is there and its content hashes to the file's SHA-256. */
    OK,
    /** The target has no copy of the file. */
    MISSING,
    /** The copy is there but its content differs. */
    DAMAGED,
    /**
     * Written by a backup into a vault (the detail names the snapshot) and not read back since: the copy exists as of
     * {@link Copy#verifiedAt()}, the time it was stored, until a restore drill checks it.
     */
    STORED
}
