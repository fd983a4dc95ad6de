package triplicate.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.MirrorProgress;
import triplicate.app.MirrorReport;
import triplicate.app.MirrorService;

@Command(name = "mirror", description = {"Bring mirrors in step with the library: new and changed files copied in"
    + " (verified before they replace anything), replaced and deleted files kept in the mirror's dated safety net,"
    + " a sha256sum manifest kept. The library is scanned into its catalog first.",
    "A mirror that cannot be reached (drive not plugged in) is reported; the others are served."})
final class MirrorCommand extends InLibraryCommand {
    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "One mirror. Default: every mirror of the config.")
    String target;

    @Option(names = "--init", description = "Make the target's folder a mirror if it is not one yet (files already"
            + " there are read: identical ones are kept, others moved to the safety net).")
    boolean init;

    @Option(names = "--rebuild-manifest", description = "Start from an empty manifest (after a damaged one): every file"
            + " at a library path is read again; nothing is deleted.")
    boolean rebuildManifest;

    @Option(names = "--no-scan", description = "Do not scan the library first; mirror what the catalog knows.")
    boolean noScan;

    @Override
    public Integer call() throws Exception {
        MirrorProgress progress = new MirrorProgress();
        MirrorService.Run run;
        try (Progress bar = new Progress(showProgress(), ctx.err(), progress::files, progress::filesTotal,
                progress::bytes, progress::bytesTotal)) {
            run = ctx.library().mirrors().mirror(library(), target, new MirrorService.Options(init, rebuildManifest,
                    !noScan), progress);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("library", run.library().toString());
            o.put("scanWarning", run.scanWarning());
            o.put("targets", run.reports());
            printJson(o);
        } else {
            if (run.scanWarning() != null) {
                ctx.err().println("warning: " + run.scanWarning());
            }
            print(ctx, run.reports());
        }
        int code = exitCode(run.reports());
        return code == ExitCodes.OK && run.scanWarning() != null ? ExitCodes.INCOMPLETE : code;
    }

    static int exitCode(List<MirrorReport> reports) {
        if (reports.stream().anyMatch(r -> r.outcome() == MirrorReport.Outcome.FAILED)) {
            return ExitCodes.FAILURE;
        }
        return reports.stream().allMatch(MirrorReport::clean) ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    static void print(Context ctx, List<MirrorReport> reports) {
        for (MirrorReport r : reports) {
            switch (r.outcome()) {
                case UNAVAILABLE -> ctx.err().println("mirror " + r.target() + ": not available: " + r.message());
                case FAILED -> ctx.err().println("mirror " + r.target() + ": failed: " + r.message());
                case DONE -> { }
            }
            if (r.outcome() == MirrorReport.Outcome.DONE || r.copied() > 0) {
                ctx.out().printf("mirror %s: %d copied (%s), %d moved, %d unchanged, %d adopted, %d to the safety net,"
                                + " %d pruned from it, in %.1f s%n", r.target(), r.copied(), Format.bytes(r.bytesCopied()),
                        r.moved(), r.unchanged(), r.adopted(), r.toSafetyNet().size(), r.pruned(), r.seconds());
            }
            r.toSafetyNet().forEach(s -> ctx.out().println("  safety net: " + s));
            r.changedOnMirror().forEach(p -> ctx.err().println("warning: " + r.target() + ": " + p + " had been changed"
                    + " on the mirror: kept in the safety net, copied again"));
            r.unexpected().forEach(p -> ctx.err().println("warning: " + r.target() + ": " + p + " is not the library's"
                    + " (not in the manifest): left alone"));
            r.changedInLibrary().forEach(p -> ctx.err().println("warning: " + r.target() + ": " + p + " changed in the"
                    + " library during the run: not copied this time"));
            r.problems().forEach(p -> ctx.err().println("error: " + r.target() + ": " + p));
            if (r.catalogWarning() != null) {
                ctx.err().println("warning: " + r.target() + ": " + r.catalogWarning());
            }
        }
    }
}
