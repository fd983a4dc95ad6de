package triplicate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import triplicate.maintenance.SnapshotDiff;
import triplicate.app.Vault;

@Command(name = "diff", description = {"Show what changed between two snapshots.",
    "+ added, - removed, M content changed, T type changed, U only mode or time changed."})
final class DiffCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SNAPSHOT1")
    String first;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2")
    String second;

    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            var a = repo.resolveSnapshot(first);
            var b = repo.resolveSnapshot(second);
            var changes = ctx.service().diff(repo, a, b);
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("from", a.hex());
                o.put("to", b.hex());
                o.put("changes", changes);
                printJson(o);
            } else {
                for (SnapshotDiff.Change c : changes) {
                    ctx.out().println(c.kind() + " " + c.path());
                }
                ctx.out().println(changes.size() + " change(s)");
            }
            return ExitCodes.OK;
        }
    }
}
