package triplicate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.StatusService;
import triplicate.policy.Decision;
import triplicate.policy.MediaClass;
import triplicate.policy.Policy;
import triplicate.policy.Reason;

@Command(name = "status", description = {"Judge every asset of the library's catalog by the 3-2-1 policy of its config,"
    + " from the copies the catalog knows: how many meet it, and each one that does not, with why.",
    "Exit 4 when the policy is not met, so schedulers can alert."})
final class StatusCommand extends InLibraryCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "List at most N failing assets"
            + " (0: all; --json lists all). Default: 50.")
    int limit;

    @Override
    public Integer call() {
        StatusService.Status s = ctx.library().status().status(library());
        if (json) {
            printJson(json(s));
        } else {
            print(ctx, s, limit);
        }
        return s.policyMet() ? ExitCodes.OK : ExitCodes.POLICY_NOT_MET;
    }

    static void print(Context ctx, StatusService.Status s, int limit) {
        Policy p = s.policy();
        ctx.out().printf("policy: %d copies, %d kinds of media, %d offsite, each verified within %d days%n", p.copies(),
                p.mediaClasses(), p.offsite(), p.maxVerificationAge().toDays());
        for (StatusService.TargetCount t : s.targets()) {
            ctx.out().printf("  %-16s %-6s %-14s %-7s holds %d of %d assets%s%n", t.target().name(),
                    t.target().kind().label(), t.target().media().label(), t.target().location().label(), t.holds(),
                    s.assets(), (t.stale() > 0 ? ", " + t.stale() + " not verified in time" : "")
                            + (t.damaged() > 0 ? ", " + t.damaged() + " damaged" : "")
                            + (t.missing() > 0 ? ", " + t.missing() + " missing" : ""));
        }
        long notMet = s.assets() - s.met();
        ctx.out().printf("%d of %d assets meet the policy%s%n", s.met(), s.assets(), notMet == 0 ? "" : "; " + notMet
                + " do not:");
        int shown = 0;
        for (Decision d : s.failing()) {
            if (limit > 0 && shown++ >= limit) {
                ctx.out().printf("  … and %d more (--limit 0 lists all)%n", s.failing().size() - limit);
                break;
            }
            ctx.out().println("  " + d.asset() + ": " + d.summary());
        }
        StatusService.Archived a = s.archived();
        if (!a.archives().isEmpty()) {
            ctx.out().printf("archived (not in the library, not judged above): %d assets, %d files (%s)%n", a.assets(),
                    a.files(), Format.bytes(a.bytes()));
            for (triplicate.catalog.Catalog.Archive x : a.archives()) {
                ctx.out().printf("  %s: %d files in %s, snapshot %s (%s)%n", x.shoot(), x.files().size(), x.target(),
                        x.snapshot().substring(0, 8), x.at());
            }
        }
        if (s.assets() == 0 && a.archives().isEmpty()) {
            ctx.out().println("the catalog has no assets: scan the library first ('triplicate catalog scan' or"
                    + " 'triplicate sync')");
        }
    }

    static Map<String, Object> json(StatusService.Status s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("library", s.library().toString());
        o.put("at", s.at().toString());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("copies", s.policy().copies());
        policy.put("mediaKinds", s.policy().mediaClasses());
        policy.put("offsite", s.policy().offsite());
        policy.put("maxVerificationAgeDays", s.policy().maxVerificationAge().toDays());
        o.put("policy", policy);
        o.put("policyMet", s.policyMet());
        o.put("assets", s.assets());
        o.put("met", s.met());
        o.put("notMet", s.assets() - s.met());
        List<Map<String, Object>> targets = new ArrayList<>();
        for (StatusService.TargetCount t : s.targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.target().name());
            m.put("kind", t.target().kind().label());
            m.put("media", t.target().media().label());
            m.put("location", t.target().location().label());
            m.put("holds", t.holds());
            m.put("stale", t.stale());
            m.put("damaged", t.damaged());
            m.put("missing", t.missing());
            targets.add(m);
        }
        o.put("targets", targets);
        o.put("byReason", s.byReason());
        Map<String, Object> archived = new LinkedHashMap<>();
        archived.put("assets", s.archived().assets());
        archived.put("files", s.archived().files());
        archived.put("bytes", s.archived().bytes());
        archived.put("archives", s.archived().archives().stream().map(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shoot", x.shoot());
            m.put("target", x.target());
            m.put("snapshot", x.snapshot());
            m.put("at", x.at().toString());
            m.put("files", x.files().size());
            m.put("bytes", x.bytes());
            return m;
        }).toList());
        o.put("archived", archived);
        List<Map<String, Object>> failing = new ArrayList<>();
        for (Decision d : s.failing()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("asset", d.asset());
            m.put("copies", d.copies());
            m.put("heldBy", d.heldBy());
            m.put("media", d.media().stream().sorted().map(MediaClass::label).toList());
            m.put("offsite", d.offsite());
            m.put("summary", d.summary());
            List<Map<String, String>> reasons = new ArrayList<>();
            for (Reason r : d.reasons()) {
                reasons.add(Map.of("code", r.code(), "text", r.text()));
            }
            m.put("reasons", reasons);
            failing.add(m);
        }
        o.put("failing", failing);
        o.put("seconds", Math.round(s.took().toNanos() / 1e6) / 1000.0);
        return o;
    }
}
