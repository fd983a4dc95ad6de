package triplicate.core;

/** The closed set of file kinds a vault stores; each lives in its own folder (or key prefix) of the backend. */
public enum FileType {
    /** The single {@code config} file: format version and the vault's sealed settings. */
    CONFIG("config"),
    /** Key files: the master key wrapped by a password-derived key. */
    KEY("keys"),
    /** Pack files: sealed blobs followed by a sealed header. */
    PACK("data"),
    /** Index files: which blob lives in which pack, at which offset. */
    INDEX("index"),
    /** Snapshot files. */
    SNAPSHOT("snapshots"),
    /** Lock and marker files used by maintenance. */
    LOCK("locks");

    private final String folder;

    FileType(String folder) {
        this.folder = folder;
    }

    /** Folder name (or key prefix) for this type; {@code config} for the config file itself. */
    public String folder() {
        return folder;
    }
}
