package triplicate.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import triplicate.app.TargetCheck;
import triplicate.app.TargetPasswords;

@Command(name = "heal", description = {"Repair what the last 'verify' found: a damaged or missing mirror file is"
    + " re-written from a healthy copy (the library, another mirror) whose content is checked first; the damaged copy"
    + " is kept in the safety net. Nothing is changed without a verified source.",
    "Exit 1 when something could not be healed, 3 when a target could not be reached."})
final class HealCommand extends InLibraryCommand {
    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "One target. Default: every target.")
    String target;

    @Override
    public Integer call() {
        List<TargetCheck> checks = ctx.library().verify().heal(library(), target,
                new TargetPasswords(library(), ctx.env()));
        if (json) {
            printJson(Map.of("targets", checks));
        } else {
            for (TargetCheck c : checks) {
                if (c.outcome() != TargetCheck.Outcome.DONE) {
                    ctx.err().println(c.kind().label() + " " + c.target() + ": " + VerifyCommand.label(c.outcome()) + ": "
                            + c.message());
                    continue;
                }
                ctx.out().printf("%s %s: %d healed, %d could not be%n", c.kind().label(), c.target(), c.healed().size(),
                        c.damaged().size());
                c.healed().forEach(h -> ctx.out().println("  healed: " + h));
                c.damaged().forEach(h -> ctx.out().println("  not healed: " + h));
                if (c.message() != null) {
                    ctx.err().println("warning: " + c.target() + ": " + c.message());
                }
                if (c.catalogWarning() != null) {
                    ctx.err().println("warning: " + c.target() + ": " + c.catalogWarning());
                }
            }
        }
        if (checks.stream().anyMatch(c -> !c.damaged().isEmpty())) {
            return ExitCodes.FAILURE;
        }
        return checks.stream().allMatch(c -> c.outcome() == TargetCheck.Outcome.DONE && c.catalogWarning() == null)
                ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
