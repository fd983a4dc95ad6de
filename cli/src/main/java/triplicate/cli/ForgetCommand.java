package triplicate.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.Vault;
import triplicate.app.VaultService;
import triplicate.maintenance.Pruner;
import triplicate.policy.CalendarDuration;
import triplicate.policy.KeepDecision;
import triplicate.policy.GroupBy;
import triplicate.policy.GroupDecision;
import triplicate.policy.RetentionPolicy;
import triplicate.policy.Tags;

@Command(name = "forget", description = {"Forget snapshots by a retention policy, or the snapshots named.",
    "Forgotten snapshots stay recoverable ('undelete') until a prune after the recovery window (30 days by default);",
    "nothing is deleted until then. Each snapshot is listed as kept or forgotten, with the reasons."})
final class ForgetCommand extends BaseCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Snapshots to forget (instead of a policy).")
    List<String> snapshots = new ArrayList<>();

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
    int keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the N newest hours that have one.")
    int keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "... of each of the N newest days.")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "... of each of the N newest ISO weeks.")
    int keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "... of each of the N newest months.")
    int keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "... of each of the N newest years.")
    int keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION",
            description = "Keep every snapshot within DURATION of the group's newest one (e.g. 30d, 2w, 6m, 1y6m, 36h).")
    String keepWithin;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep every snapshot with this tag. Repeatable.")
    List<String> keepTags = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "LIST", defaultValue = "host,paths",
            description = "Apply the policy to each group of snapshots with the same host, paths and/or tags"
                    + " (default: host,paths; '' for one group).")
    String groupBy;

    @Option(names = "--dry-run", description = "Only show what would be forgotten, and why.")
    boolean dryRun;

    @Option(names = "--force", description = "Forget even if every snapshot of a group would go.")
    boolean force;

    @Option(names = "--prune", description = "Run a prune afterwards (see 'triplicate help prune').")
    boolean prune;

    @Option(names = "--recovery-window", paramLabel = "DURATION", defaultValue = "30d",
            description = "With --prune: how long forgotten snapshots stay recoverable (default 30d).")
    String recoveryWindow;

    @Option(names = "--repack-unused", paramLabel = "PERCENT", defaultValue = "50",
            description = "With --prune: repack packs with at least this share of unused bytes (default 50).")
    int repackUnused;

    @Option(names = "--patience-ms", hidden = true, paramLabel = "MS")
    Long patienceMillis;

    @Override
    public Integer call() throws Exception {
        RetentionPolicy policy;
        Set<GroupBy> groups;
        CalendarDuration window;
        try {
            policy = new RetentionPolicy(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly,
                    keepWithin == null ? null : CalendarDuration.parse(keepWithin), new LinkedHashSet<>(keepTags));
            keepTags.forEach(Tags::check);
            groups = GroupBy.parse(groupBy);
            window = CalendarDuration.parse(recoveryWindow);
            if (repackUnused < 1 || repackUnused > 100) {
                throw new IllegalArgumentException("--repack-unused is a percentage from 1 to 100, not " + repackUnused);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (policy.isEmpty() == snapshots.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), policy.isEmpty()
                    ? "give a policy (--keep-last, --keep-daily, --keep-within, --keep-tag …) or the snapshots to forget"
                    : "give either a policy or snapshots to forget, not both");
        }
        if (prune && dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prune and --dry-run do not go together"
                    + " (see 'triplicate prune --dry-run')");
        }
        try (Vault repo = openVault()) {
            VaultService.ForgetResult r = service().forget(repo, new VaultService.ForgetRequest(
                    policy.isEmpty() ? null : policy, snapshots, groups, ZoneId.systemDefault(), dryRun, force));
            Pruner.Result pruned = null;
            double seconds = 0;
            if (prune) {
                long t0 = System.nanoTime();
                pruned = service().prune(repo, new VaultService.PruneRequest(window, repackUnused, false,
                        patienceMillis == null ? null : java.time.Duration.ofMillis(patienceMillis)), ctx.err()::println);
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            int kept = 0;
            for (GroupDecision g : r.groups()) {
                kept += (int) g.decisions().stream().filter(KeepDecision::keep).count();
            }
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("dryRun", r.dryRun());
                o.put("record", r.record());
                o.put("forgotten", r.forgotten().stream().map(triplicate.core.Id::hex).toList());
                o.put("kept", kept);
                List<Map<String, Object>> gs = new ArrayList<>();
                for (GroupDecision g : r.groups()) {
                    Map<String, Object> go = new LinkedHashMap<>();
                    go.put("host", g.key().host());
                    go.put("paths", g.key().paths());
                    go.put("tags", g.key().tags());
                    List<Map<String, Object>> ss = new ArrayList<>();
                    for (KeepDecision d : g.decisions()) {
                        Map<String, Object> so = new LinkedHashMap<>();
                        so.put("id", d.snapshot().id());
                        so.put("time", d.snapshot().time());
                        so.put("host", d.snapshot().host());
                        so.put("paths", d.snapshot().paths());
                        so.put("tags", d.snapshot().tags());
                        so.put("action", d.keep() ? "keep" : "forget");
                        so.put("reasons", d.reasons());
                        ss.add(so);
                    }
                    go.put("snapshots", ss);
                    gs.add(go);
                }
                o.put("groups", gs);
                o.put("warnings", r.warnings());
                o.put("prune", pruned == null ? null : RetentionOutput.json(pruned, seconds));
                printJson(o);
            } else {
                ZoneId zone = ZoneId.systemDefault();
                for (GroupDecision g : r.groups()) {
                    if (policy.isEmpty()) {
                        ctx.out().println("snapshots:");
                    } else {
                        ctx.out().println("group " + g.key() + ":");
                    }
                    for (KeepDecision d : g.decisions()) {
                        ctx.out().printf("  %-6s  %s  %s  %s%s%n", d.keep() ? "keep" : "forget",
                                d.snapshot().id().substring(0, 8), TIME.format(d.snapshot().time().atZone(zone)),
                                String.join("; ", d.reasons()), d.snapshot().tags().isEmpty() ? ""
                                        : "  [" + String.join(",", d.snapshot().tags()) + "]");
                    }
                }
                int n = r.forgotten().size();
                if (r.dryRun()) {
                    ctx.out().printf("would forget %d snapshot(s), keep %d (dry run: nothing changed)%n", n, kept);
                } else {
                    ctx.out().printf("forgot %d snapshot(s), kept %d%s%n", n, kept, n == 0 ? ""
                            : "; they stay recoverable with 'triplicate undelete ID' until a prune after the recovery"
                            + " window");
                }
                for (String w : r.warnings()) {
                    ctx.err().println("warning: " + w);
                }
                if (pruned != null) {
                    RetentionOutput.print(pruned, seconds, ctx.out(), ctx.err());
                }
            }
            return ExitCodes.OK;
        }
    }
}
