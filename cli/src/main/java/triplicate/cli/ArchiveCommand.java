package triplicate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.ArchiveService;
import triplicate.app.TargetPasswords;
import triplicate.app.VaultOpsService;

@Command(name = "archive", description = {"Move a delivered shoot out of the library into archive snapshots of vault"
    + " targets (docs/archive.md).",
    "Scans the library, backs up the shoot's folders into each --to vault as a snapshot tagged triplicate-archive"
        + " (which forget never forgets by a policy), drills every file back from it, and checks the config's archive"
        + " policy on those copies alone. Only then removes the shoot's files from the library (each re-read first:"
        + " a file changed since stays) and records in the catalog where the shoot lives.",
    "Exit 0 archived, 3 archived but some files stayed or the catalog could not be saved into a vault, 4 the archive"
        + " policy is not met (nothing removed), 1 a drill found damage (nothing removed) or a failure."})
final class ArchiveCommand extends InLibraryCommand {
    @Parameters(index = "0", paramLabel = "SHOOT", description = "The shoot, as the catalog names it ('find' shows it).")
    String shoot;

    @Option(names = "--to", paramLabel = "TARGET", required = true, description = "A vault target of the config;"
            + " repeat it to archive into several (the archive policy counts only these).")
    List<String> to = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check the shoot, the targets and the policy; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        ArchiveService.ArchiveReport r = ctx.library().archive().archive(library(), shoot, to, dryRun,
                new TargetPasswords(library(), ctx.env()));
        if (json) {
            printJson(json(r));
        } else {
            print(r);
        }
        return switch (r.outcome()) {
            case PLANNED -> ExitCodes.OK;
            case ARCHIVED -> r.kept().isEmpty() && r.targets().stream().allMatch(t -> t.catalogWarning() == null)
                    ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            case POLICY_NOT_MET -> ExitCodes.POLICY_NOT_MET;
            case DRILL_FAILED -> ExitCodes.FAILURE;
        };
    }

    /** The report with the policy as plain numbers. */
    static Map<String, Object> json(ArchiveService.ArchiveReport r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("library", r.library());
        o.put("shoot", r.shoot());
        o.put("outcome", r.outcome().name());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("copies", r.policy().copies());
        policy.put("mediaKinds", r.policy().mediaClasses());
        policy.put("offsite", r.policy().offsite());
        o.put("policy", policy);
        o.put("files", r.files());
        o.put("bytes", r.bytes());
        o.put("folders", r.folders());
        o.put("targets", r.targets());
        o.put("shortOfCopies", r.shortOfCopies());
        o.put("removed", r.removed());
        o.put("kept", r.kept());
        o.put("foldersRemoved", r.foldersRemoved());
        o.put("notes", r.notes());
        o.put("seconds", r.seconds());
        return o;
    }

    private void print(ArchiveService.ArchiveReport r) {
        ctx.out().printf("shoot %s: %s in %s%n", r.shoot(), plural(r.files(), "file", "files") + " ("
                + Format.bytes(r.bytes()) + ")", String.join(", ", r.folders()));
        for (ArchiveService.TargetArchive t : r.targets()) {
            if (t.snapshot() == null) {
                ctx.out().printf("would archive into %s%n", t.target());
                continue;
            }
            ctx.out().printf("%s: archive snapshot %s; drill: %d of %d files back intact%n", t.target(),
                    t.snapshot().substring(0, 8), t.ok(), t.drilled());
            for (VaultOpsService.Finding f : t.problems()) {
                ctx.err().println("error: " + t.target() + ": " + f.path() + ": " + f.result() + ": " + f.detail());
            }
            if (t.catalogWarning() != null) {
                ctx.err().println("warning: " + t.target() + ": " + t.catalogWarning());
            }
        }
        r.notes().forEach(n -> ctx.err().println("note: " + n));
        switch (r.outcome()) {
            case PLANNED -> ctx.out().println("dry run: the archive policy can be met; nothing was written or removed");
            case POLICY_NOT_MET -> {
                ctx.err().printf("the archive policy (%d copies outside the library, %d kind(s) of media, %d offsite)"
                        + " is not met; nothing was removed:%n", r.policy().copies(), r.policy().mediaClasses(),
                        r.policy().offsite());
                r.shortOfCopies().forEach(s -> ctx.err().println("  " + s.path() + ": " + s.why()));
            }
            case DRILL_FAILED -> ctx.err().println("the drill did not get every file back intact; nothing was removed"
                    + " ('triplicate heal' on the vault, then archive again)");
            case ARCHIVED -> {
                ctx.out().printf("archived: %s removed from the library%s%n", plural(r.removed().size(), "file",
                        "files"), r.foldersRemoved().isEmpty() ? "" : ", " + plural(r.foldersRemoved().size(),
                        "empty folder", "empty folders") + " removed");
                r.kept().forEach(k -> ctx.err().println("warning: " + k.path() + ": " + k.why()));
            }
        }
    }
}
