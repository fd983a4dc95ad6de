package triplicate.backend;

/**
 * What the caller knows about how often a file will be read, so a backend with storage classes can place it; not part
 * of the file's name or identity (a file saved with either hint is the same file), and a backend without classes
 * ignores it. Carried by the {@link Source} being saved ({@link Source#storageHint()}), so every wrapper that passes
 * the source on passes the hint on.
 */
public enum StorageHint {
    /**
     * Read by everyday commands (listing folders, planning a restore, resuming a backup): must stay readable at once.
     * The default for every file.
     */
    HOT,
    /**
     * Read only to restore file contents, to check them byte for byte, and to repack or heal: may go to a cold class
     * (one that needs a thaw before a read) when the location asks for one. The repository gives it to packs that hold
     * data blobs only.
     */
    MAY_BE_COLD
}
