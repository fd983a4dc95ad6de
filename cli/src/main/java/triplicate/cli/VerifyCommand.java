package triplicate.cli;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.Vault;
import triplicate.app.VaultOpsService;
import triplicate.core.TriplicateException;

@Command(name = "verify", description = {"Restore drill: restore a random sample of the library's files (or all of"
    + " them) from the vault into a temporary folder, compare every byte with the catalog's hashes, and record each"
    + " result in the catalog.", "Exit 1 when a file is missing from the vault or damaged in it."})
final class VerifyCommand extends BaseCommand {
    static final String DEFAULT_SAMPLE = "5%";

    @ArgGroup(exclusive = true)
    How how;

    static final class How {
        @Option(names = "--sample", paramLabel = "N%", description = "Drill a random N% of the files (default "
                + DEFAULT_SAMPLE + ", at least one file).")
        String sample;

        @Option(names = "--all", description = "Drill every file of the library.")
        boolean all;
    }

    @Option(names = "--library", paramLabel = "DIR", description = "The library (with its catalog). Default: $TRIPLICATE_LIBRARY.")
    Path library;

    @Option(names = "--target-name", paramLabel = "NAME",
            description = "The name the results are recorded under in the catalog (default: the vault's location).")
    String targetName;

    @Option(names = "--snapshot", paramLabel = "SNAPSHOT",
            description = "The snapshot to drill (default: the latest snapshot of the library).")
    String snapshot;

    @Override
    public Integer call() throws Exception {
        Path lib = library(library);
        if (lib == null) {
            throw new TriplicateException("no library given: use --library DIR or set TRIPLICATE_LIBRARY");
        }
        VaultOpsService.Sample sample = how != null && how.all ? VaultOpsService.Sample.all()
                : VaultOpsService.Sample.percent(percent(how == null || how.sample == null ? DEFAULT_SAMPLE : how.sample));
        try (Vault vault = openVault()) {
            VaultOpsService.DrillReport r = ctx.ops().verify(vault, lib, sample, targetName, snapshot);
            if (json) {
                printJson(r);
            } else {
                ctx.out().printf("drilled %d of %d file(s) of %s from snapshot %s in %.1f s: %d ok, %d missing, %d"
                        + " damaged%n", r.drilled(), r.catalogFiles(), r.library(), r.snapshot().substring(0, 8),
                        r.seconds(), r.ok(), r.missing(), r.damaged());
                for (VaultOpsService.Finding f : r.problems()) {
                    ctx.out().println(f.result().toLowerCase(java.util.Locale.ROOT) + ": " + f.path() + ": " + f.detail());
                }
                if (!r.problemsListed()) {
                    ctx.out().println("(only the first " + r.problems().size() + " are listed)");
                }
                ctx.out().println("recorded in the catalog as copies on '" + r.target() + "'");
            }
            return r.clean() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    /** "5%", "5", "0.5%" → 5, 5, 0.5; anything else is refused. */
    static double percent(String text) {
        String s = text.trim();
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        double p;
        try {
            p = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (!(p > 0 && p <= 100)) {
            throw new TriplicateException("--sample wants a percentage above 0 and at most 100, e.g. 5%, not '" + text + "'");
        }
        return p;
    }
}
