package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.app.ImportService;
import triplicate.core.TriplicateException;
import triplicate.importer.FileOutcome;
import triplicate.importer.ImportProgress;
import triplicate.importer.ImportReport;
import triplicate.importer.Template;

@Command(name = "import", description = {
    "Import photos from a camera card, a phone or a folder into the library.",
    "Each file is copied to a temporary file, synced, read back and compared by SHA-256, then renamed into place "
        + "without replacing anything; content already in the library is a duplicate and is not copied. The source "
        + "is only read, unless --erase-verified is given. Running the same import again finishes an interrupted "
        + "one. See docs/import.md."})
final class ImportCommand extends LibraryCommand {
    @Parameters(paramLabel = "SOURCE", description = "A card (a folder with DCIM/), a phone dump or a plain folder.")
    Path source;

    @Option(names = "--library", paramLabel = "DIR", description = "The library folder. Default: $TRIPLICATE_LIBRARY.")
    Path library;

    @Option(names = "--template", paramLabel = "T", description = "Naming template (docs/import.md). Default: "
            + Template.DEFAULT)
    String template;

    @Option(names = "--shoot", paramLabel = "NAME", description = "The shoot's name, for {shoot} in the template.")
    String shoot;

    @Option(names = "--dry-run", description = "Show what would be imported; write nothing.")
    boolean dryRun;

    @Option(names = "--erase-verified", description = "Delete each source file once its verified copy is in the library.")
    boolean eraseVerified;

    @Option(names = "--eject-when-verified",
            description = "Eject the card when every file is in the library (udisksctl or eject, best effort).")
    boolean eject;

    @Override
    public Integer call() throws Exception {
        Path lib = library;
        if (lib == null) {
            String env = ctx.env().get("TRIPLICATE_LIBRARY");
            if (env == null || env.isBlank()) {
                throw new TriplicateException("no library given: use --library DIR or set TRIPLICATE_LIBRARY");
            }
            lib = Path.of(env);
        }
        ctx.imports().template(template); // a wrong template is refused before anything is read
        ImportProgress progress = new ImportProgress();
        ImportService.Result result;
        try (Progress ignored = new Progress(showProgress(), ctx.err(), progress::filesDone, progress::filesTotal,
                progress::bytesDone, progress::bytesTotal)) {
            result = ctx.imports().run(new ImportService.Request(source, lib, template, shoot, dryRun, eraseVerified,
                    eject), progress);
        }
        ImportReport r = result.report();
        if (json) {
            printJson(r, result.ejection());
        } else {
            printText(r, result.ejection());
        }
        if (r.stopped() != null) {
            ctx.err().println("import stopped: " + r.stopped());
            ctx.err().println(r.imported() + " file(s) were imported and verified and stay in the library; "
                    + (r.failed() + r.left()) + " were not imported. Run the same import again to finish.");
            return ExitCodes.FAILURE;
        }
        return r.warnings().isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private void printText(ImportReport r, ImportService.Ejection ejection) {
        var out = ctx.out();
        out.printf("%s%s %s -> library %s%n", r.dryRun() ? "dry run: " : "", r.kind().description(), r.source(),
                r.library());
        long planned = 0;
        for (FileOutcome f : r.files()) {
            String src = shown(r, f.source());
            switch (f) {
                case FileOutcome.Planned p -> {
                    out.printf("  %s -> %s%n", src, p.target());
                    planned += p.size();
                }
                case FileOutcome.Duplicate d -> {
                    if (r.dryRun()) {
                        out.printf("  %s: duplicate of %s%n", src, d.existing());
                    }
                }
                case FileOutcome.Skipped s -> out.printf("  skipped %s: %s%n", src, s.reason());
                case FileOutcome.Imported i -> { }
                case FileOutcome.Failed x -> { }
                case FileOutcome.Left l -> { }
            }
        }
        String rest = String.format("%d duplicate(s) already in the library; %d skipped; %d warning(s)",
                r.duplicates(), r.skipped(), r.warnings().size());
        if (r.dryRun()) {
            out.printf("would import %d file(s) (%s); %s. Nothing was written.%n", r.planned(), Format.bytes(planned),
                    rest);
        } else {
            double secs = r.took().toNanos() / 1e9;
            out.printf("imported %d file(s) (%s) in %.1f s (%s), each verified; %s%n", r.imported(),
                    Format.bytes(r.bytesCopied()), secs, Format.rate(r.bytesCopied(), secs), rest);
        }
        if (!r.erased().isEmpty()) {
            out.printf("erased %d verified file(s) from the source%n", r.erased().size());
        }
        for (ImportReport.Warning w : r.warnings()) {
            ctx.err().println("warning: " + w.path() + ": " + w.message());
        }
        if (ejection != null) {
            (ejection.ejected() ? out : ctx.err()).println(ejection.message());
        }
    }

    private static String shown(ImportReport r, Path p) {
        return p.startsWith(r.source()) ? r.source().relativize(p).toString() : p.toString();
    }

    private void printJson(ImportReport r, ImportService.Ejection ejection) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("source", r.source().toString());
        o.put("kind", r.kind().description());
        o.put("library", r.library().toString());
        o.put("dryRun", r.dryRun());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("imported", r.imported());
        summary.put("duplicates", r.duplicates());
        summary.put("planned", r.planned());
        summary.put("skipped", r.skipped());
        summary.put("failed", r.failed());
        summary.put("left", r.left());
        summary.put("warnings", r.warnings().size());
        summary.put("bytesCopied", r.bytesCopied());
        summary.put("seconds", Math.round(r.took().toMillis() / 100.0) / 10.0);
        o.put("summary", summary);
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileOutcome f : r.files()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("source", f.source().toString());
            switch (f) {
                case FileOutcome.Imported i -> {
                    e.put("outcome", "imported");
                    e.put("target", i.target().toString());
                    e.put("size", i.size());
                    e.put("sha256", i.sha256());
                }
                case FileOutcome.Duplicate d -> {
                    e.put("outcome", "duplicate");
                    e.put("existing", d.existing().toString());
                    e.put("size", d.size());
                    e.put("sha256", d.sha256());
                }
                case FileOutcome.Planned p -> {
                    e.put("outcome", "planned");
                    e.put("target", p.target().toString());
                    e.put("size", p.size());
                }
                case FileOutcome.Skipped s -> {
                    e.put("outcome", "skipped");
                    e.put("reason", s.reason());
                }
                case FileOutcome.Failed x -> {
                    e.put("outcome", "failed");
                    e.put("reason", x.reason());
                }
                case FileOutcome.Left l -> e.put("outcome", "left");
            }
            files.add(e);
        }
        o.put("files", files);
        List<Map<String, Object>> warnings = new ArrayList<>();
        for (ImportReport.Warning w : r.warnings()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", w.path().toString());
            e.put("message", w.message());
            warnings.add(e);
        }
        o.put("warnings", warnings);
        o.put("stopped", r.stopped());
        o.put("erased", r.erased().stream().map(Path::toString).toList());
        if (ejection == null) {
            o.put("eject", null);
        } else {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("ejected", ejection.ejected());
            e.put("message", ejection.message());
            o.put("eject", e);
        }
        printJson(o);
    }
}
