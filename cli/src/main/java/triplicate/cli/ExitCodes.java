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
    /** There is no vault at the given location. */
    public static final int NO_VAULT = 10;
    /** The password opens none of the vault's keys. */
    public static final int WRONG_PASSWORD = 12;

    private ExitCodes() {
    }
}
