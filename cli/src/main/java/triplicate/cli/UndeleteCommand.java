package triplicate.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.Vault;
import triplicate.core.Id;

@Command(name = "undelete", description = {"Bring back a forgotten snapshot (see 'snapshots --forgotten').",
    "Works until a prune has purged it, after its recovery window."})
final class UndeleteCommand extends BaseCommand {
    @Parameters(paramLabel = "SNAPSHOT", description = "The forgotten snapshot: its id or a unique prefix.")
    String snapshot;

    @Option(names = "--patience-ms", hidden = true, paramLabel = "MS")
    Long patienceMillis;

    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            Id id = service().undelete(repo, snapshot,
                    patienceMillis == null ? null : java.time.Duration.ofMillis(patienceMillis), ctx.err()::println);
            if (json) {
                printJson(Map.of("undeleted", id.hex()));
            } else {
                ctx.out().println("snapshot " + id.shortHex() + " is back");
            }
            return ExitCodes.OK;
        }
    }
}
