package triplicate.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import triplicate.app.Vault;

@Command(name = "snapshots", description = "List the snapshots of a vault, oldest first.")
final class SnapshotsCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() throws Exception {
        try (Vault repo = openVault()) {
            List<String> damaged = new ArrayList<>();
            List<Vault.SnapshotEntry> all = repo.snapshots((name, e) -> damaged.add(name.substring(0, 8) + ": " + e.getMessage()));
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Vault.SnapshotEntry r : all) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("id", r.id().hex());
                    o.put("snapshot", r.snapshot());
                    rows.add(o);
                }
                printJson(rows);
            } else {
                ctx.out().printf("%-8s  %-19s  %-16s  %-10s  %s%n", "ID", "Time", "Host", "Size", "Paths");
                for (Vault.SnapshotEntry r : all) {
                    var s = r.snapshot();
                    ctx.out().printf("%-8s  %-19s  %-16s  %-10s  %s%s%n", r.id().shortHex(), TIME.format(s.time()), s.host(),
                            s.summary() == null ? "" : Format.bytes(s.summary().bytesTotal()), String.join(", ", s.paths()),
                            s.tags().isEmpty() ? "" : "  [" + String.join(",", s.tags()) + "]");
                }
                ctx.out().println(all.size() + " snapshot(s)");
            }
            for (String d : damaged) {
                ctx.err().println("damaged snapshot " + d);
            }
            return damaged.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
