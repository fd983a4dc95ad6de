package triplicate.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.Vault;
import triplicate.app.VaultService;

@Command(name = "snapshots", description = {"List the snapshots of a vault, oldest first.",
    "With --forgotten, the forgotten ones that can still be brought back with 'undelete'."})
final class SnapshotsCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(names = "--forgotten", description = "List the forgotten snapshots (recoverable with 'undelete') instead.")
    boolean forgotten;

    @Override
    public Integer call() throws Exception {
        if (forgotten) {
            return forgotten();
        }
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

    private int forgotten() throws Exception {
        try (Vault repo = openVault()) {
            List<String> damaged = new ArrayList<>();
            List<VaultService.ForgottenSnapshot> all = ctx.service().forgottenSnapshots(repo,
                    (name, e) -> damaged.add(name.substring(0, 8) + ": " + e.getMessage()));
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (VaultService.ForgottenSnapshot f : all) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("id", f.id().hex());
                    o.put("snapshot", f.snapshot());
                    o.put("forgotten", f.forgotten());
                    o.put("recoverableUntil", f.recoverableUntil());
                    rows.add(o);
                }
                printJson(rows);
            } else {
                ctx.out().printf("%-8s  %-19s  %-16s  %-19s  %-19s  %s%n", "ID", "Time", "Host", "Forgotten",
                        "Recoverable until", "Paths");
                for (VaultService.ForgottenSnapshot f : all) {
                    var s = f.snapshot();
                    ctx.out().printf("%-8s  %-19s  %-16s  %-19s  %-19s  %s%s%n", f.id().shortHex(), TIME.format(s.time()),
                            s.host(), TIME.format(f.forgotten()), TIME.format(f.recoverableUntil()),
                            String.join(", ", s.paths()), s.tags().isEmpty() ? "" : "  [" + String.join(",", s.tags()) + "]");
                }
                ctx.out().println(all.size() + " forgotten snapshot(s); 'triplicate undelete ID' brings one back"
                        + " (until a prune after the recovery window, by default 30 days after it was forgotten)");
            }
            for (String d : damaged) {
                ctx.err().println("damaged snapshot " + d);
            }
            return damaged.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
