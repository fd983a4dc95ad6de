package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import triplicate.app.CatalogService;
import triplicate.catalog.ScanProgress;
import triplicate.catalog.ScanResult;

/** {@code triplicate catalog …}: the catalog of a library. */
@Command(name = "catalog", description = "The catalog of a photo library (LIBRARY/.triplicate/catalog.db).",
        subcommands = {CatalogCommand.Scan.class})
final class CatalogCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "scan", description = {"Index an existing library into its catalog. Only new and changed files are"
        + " read (hashed, metadata read); moved files are followed, removed ones dropped.",
        "Files without a usable capture date are indexed with their modification time, and reported."})
    static final class Scan extends LibraryCommand {
        @Parameters(paramLabel = "LIBRARY", description = "The library folder.")
        Path library;

        @Override
        public Integer call() throws Exception {
            ScanProgress progress = new ScanProgress();
            long start = System.nanoTime();
            CatalogService.Scan s;
            try (Progress bar = new Progress(showProgress(), ctx.err(), progress::filesRead, progress::filesToRead,
                    progress::bytesRead, progress::bytesToRead)) {
                s = ctx.catalogs().scan(library, progress);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ScanResult r = s.result();
            Set<String> filesWithWarnings = new LinkedHashSet<>();
            r.warnings().forEach(w -> filesWithWarnings.add(w.path()));
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("library", s.library().toString());
                o.put("catalog", s.catalog().toString());
                o.put("filesSeen", r.filesSeen());
                o.put("added", r.added());
                o.put("updated", r.updated());
                o.put("unchanged", r.unchanged());
                o.put("moved", r.moved());
                o.put("removed", r.removed());
                o.put("filesRead", r.filesRead());
                o.put("bytesRead", r.bytesRead());
                o.put("timeFallbacks", r.timeFallbacks());
                o.put("seconds", Math.round(seconds * 1000) / 1000.0);
                o.put("catalogFiles", s.counts().files());
                o.put("catalogAssets", s.counts().assets());
                List<Map<String, String>> ws = new ArrayList<>();
                for (ScanResult.Warning w : r.warnings()) {
                    ws.add(Map.of("path", w.path(), "message", w.message()));
                }
                o.put("warnings", ws);
                printJson(o);
            } else {
                ctx.out().printf("%s: %d new, %d changed, %d unchanged, %d moved, %d removed%n", s.library(), r.added(),
                        r.updated(), r.unchanged(), r.moved(), r.removed());
                ctx.out().printf("read %d file(s), %s, in %.1f s (%.0f files/s)%n", r.filesRead(),
                        Format.bytes(r.bytesRead()), seconds, seconds > 0 ? r.filesSeen() / seconds : 0.0);
                ctx.out().printf("catalog: %d files in %d assets (%s)%n", s.counts().files(), s.counts().assets(),
                        s.catalog());
                for (ScanResult.Warning w : r.warnings()) {
                    ctx.err().println("warning: " + w.path() + ": " + w.message());
                }
                if (!r.warnings().isEmpty()) {
                    ctx.err().printf("%d warning(s) in %d file(s)%s; every file was indexed unless a warning says it"
                            + " could not be read%n", r.warnings().size(), filesWithWarnings.size(),
                            r.timeFallbacks() == 0 ? "" : "; " + r.timeFallbacks()
                                    + " file(s) have no capture date and are dated by their modification time");
                }
            }
            return r.warnings().isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }
    }
}
