package triplicate.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.MirrorProgress;
import triplicate.app.Sample;
import triplicate.app.TargetCheck;
import triplicate.app.TargetPasswords;
import triplicate.app.VaultOpsService;
import triplicate.crypto.Password;

@Command(name = "verify", description = {"Verify targets: a mirror's files are read and compared with the catalog's"
    + " SHA-256 and the manifest (bit rot is named file by file); a vault gets a restore drill (files restored into a"
    + " temporary folder and compared with the catalog's SHA-256). Results go into the catalog (when last verified,"
    + " and what was found), which 'status' judges by.",
    "Exit 1 when damaged or missing files were found, 3 when a target could not be checked."})
final class VerifyCommand extends InLibraryCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "One target. Default: every target.")
    String target;

    @CommandLine.ArgGroup(exclusive = true)
    How how;

    @Mixin
    VaultForm vaultForm;

    @Option(names = "--target-name", paramLabel = "NAME", description = "With --vault: the name the results are"
            + " recorded under in the catalog (default: the vault's location).")
    String targetName;

    @Option(names = "--snapshot", paramLabel = "SNAPSHOT",
            description = "With --vault: the snapshot to drill (default: the latest snapshot of the library).")
    String snapshot;

    static final class How {
        @Option(names = "--sample", paramLabel = "N%", description = "Read N% of the files: on a mirror those least"
                + " recently verified first (repeated samples cycle through the whole target), from a vault a random"
                + " choice.")
        String sample;

        @Option(names = "--all", description = "Read every file (the default).")
        boolean all;
    }

    @Override
    public Integer call() throws Exception {
        Sample sample = new Sample.All();
        if (how != null && how.sample != null) {
            sample = new Sample.Share(percent(how.sample) / 100);
        }
        String vault = vaultForm.location(ctx, library(), target, spec.commandLine());
        if (vault != null) {
            return drill(vault, sample);
        }
        MirrorProgress progress = new MirrorProgress();
        List<TargetCheck> checks;
        try (Progress bar = new Progress(showProgress(), ctx.err(), progress::files, progress::filesTotal,
                progress::bytes, progress::bytesTotal)) {
            checks = ctx.library().verify().verify(library(), target, sample, new TargetPasswords(library(), ctx.env()),
                    progress);
        }
        if (json) {
            printJson(Map.of("targets", checks));
        } else {
            for (TargetCheck c : checks) {
                if (c.outcome() != TargetCheck.Outcome.DONE) {
                    ctx.err().println(c.kind().label() + " " + c.target() + ": " + label(c.outcome()) + ": " + c.message());
                    continue;
                }
                ctx.out().printf("%s %s: %d file(s) checked, %d intact, %d damaged, %d missing (%s read)%n",
                        c.kind().label(), c.target(), c.checked(), c.ok(), c.damaged().size(), c.missing().size(),
                        Format.bytes(c.bytesRead()));
                c.damaged().forEach(d -> ctx.out().println("  damaged: " + d));
                c.missing().forEach(d -> ctx.out().println("  missing: " + d));
                if (c.message() != null) {
                    ctx.err().println("note: " + c.target() + ": " + c.message());
                }
                if (c.catalogWarning() != null) {
                    ctx.err().println("warning: " + c.target() + ": " + c.catalogWarning());
                }
            }
            if (checks.stream().anyMatch(c -> !c.damaged().isEmpty() || !c.missing().isEmpty())) {
                ctx.out().println("run 'triplicate heal' to repair them from a healthy copy");
            }
        }
        if (checks.stream().anyMatch(c -> !c.damaged().isEmpty() || !c.missing().isEmpty())) {
            return ExitCodes.FAILURE;
        }
        return checks.stream().allMatch(TargetCheck::clean) ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    /** A restore drill of a vault that is not one of the targets. */
    private int drill(String vault, Sample sample) throws java.io.IOException {
        VaultOpsService.DrillReport r;
        try (Password p = vaultForm.password(ctx, vault)) {
            r = ctx.ops().verify(vault, p, library(), sample, targetName, snapshot);
        }
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

    /** "5%", "5", "0.5%" → 5, 5, 0.5; anything else is refused. */
    double percent(String text) {
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
            throw new CommandLine.ParameterException(spec.commandLine(), "--sample wants a percentage above 0 and at"
                    + " most 100, e.g. 10%, not '" + text + "'");
        }
        return p;
    }

    static String label(TargetCheck.Outcome o) {
        return switch (o) {
            case DONE -> "done";
            case UNAVAILABLE -> "not available";
            case FAILED -> "failed";
        };
    }
}
