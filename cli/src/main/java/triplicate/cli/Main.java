package triplicate.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import triplicate.app.CatalogService;
import triplicate.app.ImportService;
import triplicate.app.LibraryServices;
import triplicate.app.VaultOpsService;
import triplicate.app.VaultService;
import triplicate.core.AppendOnlyException;
import triplicate.core.ConfirmationRequiredException;
import triplicate.core.TriplicateException;
import triplicate.core.ThawNeededException;
import triplicate.core.VaultBusyException;
import triplicate.core.UnsupportedVersionException;
import triplicate.core.VaultCorruptException;
import triplicate.core.VaultNotFoundException;
import triplicate.core.WrongPasswordException;

/** The {@code triplicate} command. */
@Command(name = "triplicate", mixinStandardHelpOptions = true, version = "triplicate 0.1.0",
        description = "Photo backup that makes the 3-2-1 rule automatic and provable.",
        subcommands = {ImportCommand.class, InitCommand.class, BackupCommand.class, SnapshotsCommand.class, LsCommand.class,
            RestoreCommand.class, CheckCommand.class, DiffCommand.class, ForgetCommand.class, PruneCommand.class,
            UndeleteCommand.class, MigrateCommand.class, KeyCommand.class, StatsCommand.class,
            DemoCommand.class, CatalogCommand.class, FindCommand.class, TargetCommand.class, MirrorCommand.class,
            StatusCommand.class, VerifyCommand.class, HealCommand.class, SyncCommand.class, CopyCommand.class,
            RecoverCommand.class, ThawCommand.class, ArchiveCommand.class, UnarchiveCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 done with warnings (backup: some files unreadable;",
            "catalog scan: unreadable files or metadata problems; import: some files not imported, or named by a",
            "guessed date; mirror, sync: a target unavailable),",
            "4 the 3-2-1 policy is not met (status, sync; archive: its policy), 5 refused: needs --force,",
            "10 no vault at the location,",
            "12 wrong password, 13 storage is append-only (refuses deletes), 14 another prune, undelete or heal",
            "is running, 15 the data needed is in a cold storage class and must be thawed first (see 'thaw').",
            "See docs/cli.md."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs a command line with the given streams and environment; returns the exit code. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        VaultService vaults = VaultService.forThisMachine(env);
        CatalogService catalogs = CatalogService.forThisMachine(catalogWait(env));
        VaultOpsService ops = VaultOpsService.forThisMachine(vaults, catalogWait(env));
        Context ctx = new Context(vaults, catalogs, ImportService.forThisMachine(),
                LibraryServices.forThisMachine(vaults, catalogs, ops), ops, env, out, err);
        CommandLine cl = new CommandLine(new Main(), new Factory(ctx));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, ignored) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                e.println("triplicate: " + describeUnmatched(u.getUnmatched()));
                CommandLine.UnmatchedArgumentException.printSuggestions(u, e);
            } else {
                e.println("triplicate: " + ex.getMessage());
            }
            e.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("triplicate: " + message(ex));
            if (env.containsKey("TRIPLICATE_DEBUG")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return exitCode(ex);
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** How long to wait for a catalog another process is writing: TRIPLICATE_CATALOG_WAIT seconds, default 10. */
    static java.time.Duration catalogWait(Map<String, String> env) {
        String v = env.get("TRIPLICATE_CATALOG_WAIT");
        if (v != null) {
            try {
                double s = Double.parseDouble(v.strip());
                if (s >= 0 && s <= 3600) {
                    return java.time.Duration.ofMillis(Math.round(s * 1000));
                }
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return triplicate.catalog.Catalog.DEFAULT_BUSY_TIMEOUT;
    }

    /**
     * Names unknown arguments without echoing what may be a secret: someone who types {@code --password SECRET}
     * (there is no such option, on purpose) must not find the password in a terminal log or a cron mail. The value
     * after an unknown option, or after its '=', is left out.
     */
    static String describeUnmatched(java.util.List<String> unmatched) {
        java.util.List<String> shown = new java.util.ArrayList<>();
        int hidden = 0;
        boolean afterOption = false;
        for (String a : unmatched) {
            if (a.startsWith("-")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    hidden++;
                }
                shown.add("'" + (eq > 0 ? a.substring(0, eq + 1) + "…" : a) + "'");
                afterOption = eq < 0;
            } else if (afterOption) {
                hidden++;
                afterOption = false;
            } else {
                shown.add("'" + a + "'");
            }
        }
        return "unknown or unexpected argument(s): " + String.join(", ", shown)
                + (hidden > 0 ? " (" + hidden + " value(s) not shown, in case they are secret)" : "");
    }

    static String message(Throwable ex) {
        var cold = triplicate.core.ColdStorageException.find(ex);
        if (cold != null) {
            return cold.getMessage();
        }
        if (ex instanceof TriplicateException) {
            return ex.getMessage();
        }
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return "no such file or folder: " + e.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (ex instanceof java.io.IOException && ex.getMessage() != null && ex.getMessage().contains("No space left")) {
            return "the disk is full: " + ex.getMessage() + " (nothing half-written was left; free space and run again)";
        }
        String m = ex.getMessage();
        return (m == null ? ex.getClass().getSimpleName() : m);
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof ThawNeededException || triplicate.core.ColdStorageException.find(ex) != null) {
            return ExitCodes.THAW_NEEDED;
        }
        if (ex instanceof VaultNotFoundException) {
            return ExitCodes.NO_VAULT;
        }
        if (ex instanceof WrongPasswordException) {
            return ExitCodes.WRONG_PASSWORD;
        }
        if (ex instanceof ConfirmationRequiredException) {
            return ExitCodes.NEEDS_FORCE;
        }
        if (ex instanceof AppendOnlyException) {
            return ExitCodes.APPEND_ONLY;
        }
        if (ex instanceof VaultBusyException) {
            return ExitCodes.BUSY;
        }
        if (ex instanceof VaultCorruptException || ex instanceof UnsupportedVersionException) {
            return ExitCodes.FAILURE;
        }
        return ExitCodes.FAILURE;
    }

    /** Hands every command the shared context. */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K k = CommandLine.defaultFactory().create(cls);
            if (k instanceof BaseCommand b) {
                b.ctx = ctx;
            } else if (k instanceof DemoCommand d) {
                d.ctx = ctx;
            } else if (k instanceof LibraryCommand l) {
                l.ctx = ctx;
            }
            return k;
        }
    }
}
