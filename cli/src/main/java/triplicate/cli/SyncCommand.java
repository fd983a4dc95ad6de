package triplicate.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.MirrorProgress;
import triplicate.app.MirrorReport;
import triplicate.app.SyncService;
import triplicate.app.TargetPasswords;
import triplicate.app.VaultBackupReport;

@Command(name = "sync", description = {"Do everything the config asks, in order: scan the library into its catalog,"
    + " back it up to each vault (recording in the catalog which files each snapshot stores), bring each mirror in"
    + " step, then judge the 3-2-1 status.",
    "A target that fails or cannot be reached is reported and the others are served. Exit 1 when a target failed,"
        + " else 4 when the policy is not met, else 3 when a target was unavailable or had warnings."})
final class SyncCommand extends InLibraryCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "List at most N assets that do not"
            + " meet the policy (0: all). Default: 20.")
    int limit;

    @Override
    public Integer call() throws Exception {
        MirrorProgress progress = new MirrorProgress();
        SyncService.Report r;
        try (Progress bar = new Progress(showProgress(), ctx.err(), progress::files, progress::filesTotal,
                progress::bytes, progress::bytesTotal)) {
            r = ctx.library().sync().sync(library(), new TargetPasswords(library(), ctx.env()), progress);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("library", r.library().toString());
            o.put("scanWarning", r.scanWarning());
            o.put("vaults", r.vaults());
            o.put("mirrors", r.mirrors());
            o.put("status", StatusCommand.json(r.status()));
            printJson(o);
        } else {
            if (r.scanWarning() != null) {
                ctx.err().println("warning: " + r.scanWarning());
            } else if (r.scanned() != null) {
                ctx.out().printf("catalog: %d new, %d changed, %d moved, %d removed; %d files in %d assets%n",
                        r.scanned().result().added(), r.scanned().result().updated(), r.scanned().result().moved(),
                        r.scanned().result().removed(), r.scanned().counts().files(), r.scanned().counts().assets());
            }
            for (VaultBackupReport v : r.vaults()) {
                if (v.outcome() == VaultBackupReport.Outcome.FAILED) {
                    ctx.err().println("vault " + v.target() + ": failed: " + v.message());
                    continue;
                }
                ctx.out().printf("vault %s: snapshot %s saved (%d new, %d changed, %d unchanged files; %s added);"
                                + " %d files recorded as stored%n", v.target(), v.snapshot().substring(0, 8),
                        v.summary().filesNew(), v.summary().filesChanged(), v.summary().filesUnmodified(),
                        Format.bytes(v.summary().bytesAdded()), v.recorded());
                v.warnings().forEach(w -> ctx.err().println("warning: " + v.target() + ": " + w.path() + ": "
                        + w.message()));
                if (v.catalogWarning() != null) {
                    ctx.err().println("warning: " + v.target() + ": " + v.catalogWarning());
                }
            }
            MirrorCommand.print(ctx, r.mirrors());
            StatusCommand.print(ctx, r.status(), limit);
        }
        if (r.vaults().stream().anyMatch(v -> v.outcome() == VaultBackupReport.Outcome.FAILED)
                || r.mirrors().stream().anyMatch(m -> m.outcome() == MirrorReport.Outcome.FAILED)) {
            return ExitCodes.FAILURE;
        }
        if (!r.status().policyMet()) {
            return ExitCodes.POLICY_NOT_MET;
        }
        boolean clean = r.scanWarning() == null && r.mirrors().stream().allMatch(MirrorReport::clean)
                && r.vaults().stream().allMatch(v -> v.warnings().isEmpty() && v.catalogWarning() == null);
        return clean ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
