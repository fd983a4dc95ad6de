package triplicate.cli;

/** The exit codes of every command. Stable: scripts depend on them (documented in docs/cli.md). */
public final class ExitCodes {
    /** Everything worked. */
    public static final int OK = 0;
    /** The command failed (the message says why). */
    public static final int FAILURE = 1;
    /** The command line is wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /**
     * The command finished, with warnings: a backup wrote a snapshot but some files could not be read; a catalog
     * scan indexed the library but some files could not be read or had metadata problems (time fallbacks included);
     * an import went through the whole source but some files were not imported, or were named by a guessed date.
     */
    public static final int INCOMPLETE = 3;
    /**
     * The library does not meet its 3-2-1 policy: {@code status} (and {@code sync}, after doing its work) found assets
     * with too few good copies, kinds of media or offsite copies. Schedulers alert on it.
     */
    public static final int POLICY_NOT_MET = 4;

    /**
     * Refused for safety, nothing changed: the command would do something drastic that needs confirming (forget
     * with a policy that forgets every snapshot of a group needs {@code --force}).
     */
    public static final int NEEDS_FORCE = 5;
    /** There is no vault at the given location. */
    public static final int NO_VAULT = 10;
    /** The password opens none of the vault's keys. */
    public static final int WRONG_PASSWORD = 12;
    /**
     * The storage refuses deletes (append-only credentials): forget, prune and undelete cannot run with them.
     * Backups work.
     */
    public static final int APPEND_ONLY = 13;
    /** Another prune or undelete is running on the vault (its maintenance lock is alive); nothing was changed. */
    public static final int BUSY = 14;
    /**
     * The data a command needs is in a cold storage class (S3 GLACIER, DEEP_ARCHIVE) and not thawed: a restore refused
     * before reading anything, or a read the storage refused. {@code thaw} starts the thaw.
     */
    public static final int THAW_NEEDED = 15;

    private ExitCodes() {
    }
}
