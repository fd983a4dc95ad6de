package triplicate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.Vault;
import triplicate.app.VaultService;
import triplicate.maintenance.Pruner;
import triplicate.policy.CalendarDuration;

@Command(name = "prune", description = {"Delete the data no snapshot needs any more: forgotten snapshots past the"
    + " recovery window, unused packs, and the unused parts of mostly unused packs (repacked).",
    "Safe while backups run, from any number of computers: it never blocks them and never waits for them to end;",
    "what a running backup may still reuse is deleted by a later prune. See docs/design/retention.md."})
final class PruneCommand extends BaseCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry-run", description = "Only report what would be deleted and repacked.")
    boolean dryRun;

    @Option(names = "--recovery-window", paramLabel = "DURATION", defaultValue = "30d",
            description = "Forgotten snapshots stay recoverable this long (default 30d; 0d purges them now).")
    String recoveryWindow;

    @Option(names = {"--repack-unused", "--max-unused"}, paramLabel = "PERCENT", defaultValue = "50",
            description = "Repack packs with at least this share of unused bytes (1-100, default 50).")
    int repackUnused;

    @Option(names = "--patience-ms", hidden = true, paramLabel = "MS")
    Long patienceMillis;

    @Override
    public Integer call() throws Exception {
        CalendarDuration window;
        try {
            window = CalendarDuration.parse(recoveryWindow);
            if (repackUnused < 1 || repackUnused > 100) {
                throw new IllegalArgumentException("--repack-unused is a percentage from 1 to 100, not " + repackUnused);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (Vault repo = openVault()) {
            long t0 = System.nanoTime();
            Pruner.Result r = service().prune(repo, new VaultService.PruneRequest(window, repackUnused, dryRun,
                    patienceMillis == null ? null : java.time.Duration.ofMillis(patienceMillis)), ctx.err()::println);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                printJson(RetentionOutput.json(r, seconds));
            } else {
                RetentionOutput.print(r, seconds, ctx.out(), ctx.err());
            }
            return ExitCodes.OK;
        }
    }
}
