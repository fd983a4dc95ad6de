package triplicate.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.MirrorProgress;
import triplicate.app.Sample;
import triplicate.app.TargetCheck;
import triplicate.app.TargetPasswords;

@Command(name = "verify", description = {"Verify targets: a mirror's files are read and compared with the catalog's"
    + " SHA-256 and the manifest (bit rot is named file by file); a vault gets a restore drill. Results go into the"
    + " catalog (when last verified, and what was found), which 'status' judges by.",
    "Exit 1 when damaged or missing files were found, 3 when a target could not be checked."})
final class VerifyCommand extends InLibraryCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "One target. Default: every target.")
    String target;

    @CommandLine.ArgGroup(exclusive = true)
    How how;

    static final class How {
        @Option(names = "--sample", paramLabel = "N%", description = "Read N% of the files, least recently verified"
                + " first (repeated samples cycle through the whole target).")
        String sample;

        @Option(names = "--all", description = "Read every file (the default).")
        boolean all;
    }

    @Override
    public Integer call() {
        Sample sample = new Sample.All();
        if (how != null && how.sample != null) {
            String s = how.sample.endsWith("%") ? how.sample.substring(0, how.sample.length() - 1) : how.sample;
            double f;
            try {
                f = Double.parseDouble(s) / 100;
            } catch (NumberFormatException e) {
                f = -1;
            }
            if (!(f > 0 && f <= 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sample wants a percentage above 0 and at"
                        + " most 100, e.g. 10%");
            }
            sample = new Sample.Share(f);
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
                    ctx.err().println("warning: " + c.target() + ": " + c.message());
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

    static String label(TargetCheck.Outcome o) {
        return switch (o) {
            case DONE -> "done";
            case UNAVAILABLE -> "not available";
            case FAILED -> "failed";
            case NOT_AVAILABLE -> "not checked";
        };
    }
}
