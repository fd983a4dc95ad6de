package triplicate.catalog;

/** What the last verification of a copy of a file on a target found. */
public enum CopyResult {
    /** The copy is there and its content hashes to the file's SHA-256. */
    OK,
    /** The target has no copy of the file. */
    MISSING,
    /** The copy is there but its content differs. */
    DAMAGED
}
