package triplicate.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.CatalogService;
import triplicate.catalog.Asset;
import triplicate.catalog.CatalogFile;
import triplicate.catalog.Query;
import triplicate.core.TriplicateException;
import triplicate.snapshot.Json;

@Command(name = "find", description = {"Find photos in a library's catalog (see 'catalog scan'). Criteria combine;"
    + " without any, every asset is listed, earliest first.",
    "An asset is a photo with its twins: RAW, JPEG, XMP sidecars, a Live Photo's movie."})
final class FindCommand extends LibraryCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--library", paramLabel = "DIR", description = "The library. Default: $TRIPLICATE_LIBRARY.")
    Path library;

    @Option(names = "--taken", paramLabel = "WHEN",
            description = "Taken in YYYY, YYYY-MM or YYYY-MM-DD (camera's local time), or a range A..B of those.")
    String taken;

    @Option(names = "--camera", paramLabel = "TEXT", description = "Camera make or model contains TEXT (any case).")
    String camera;

    @Option(names = "--lens", paramLabel = "TEXT", description = "Lens contains TEXT (any case).")
    String lens;

    @Option(names = "--rating", paramLabel = "N", description = "Rated at least N (N, >=N, N+), at most N (<=N) or exactly N (=N).")
    String rating;

    @Option(names = "--shoot", paramLabel = "TEXT", description = "Shoot name contains TEXT (any case).")
    String shoot;

    @Option(names = "--near", paramLabel = "LAT,LON,KM", description = "Taken within KM kilometres of LAT,LON.")
    String near;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Show at most N assets (0: all).")
    int limit;

    @Override
    public Integer call() {
        Path lib = library;
        if (lib == null) {
            String env = ctx.env().get("TRIPLICATE_LIBRARY");
            if (env == null || env.isBlank()) {
                throw new TriplicateException("no library given: use --library DIR or set TRIPLICATE_LIBRARY");
            }
            lib = Path.of(env);
        }
        Query q = Query.all();
        try {
            q = taken == null ? q : q.withTaken(taken);
            q = camera == null ? q : q.withCamera(camera);
            q = lens == null ? q : q.withLens(lens);
            q = rating == null ? q : q.withRating(rating);
            q = shoot == null ? q : q.withShoot(shoot);
            q = near == null ? q : q.withNear(near);
            q = q.withLimit(limit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (json) {
            // streamed, one asset at a time: a query may match the whole library
            PrintWriter out = ctx.out();
            out.print("{\"assets\":[");
            boolean[] first = {true};
            CatalogService.Found found = ctx.catalogs().find(lib, q, a -> {
                out.print(first[0] ? "" : ",");
                first[0] = false;
                out.print(new String(Json.encode(asset(a)), StandardCharsets.UTF_8));
            });
            out.println("],\"count\":" + found.count() + "}");
            return ExitCodes.OK;
        }
        boolean[] anyFallback = {false};
        ctx.out().printf("%-25s  %-24s  %-24s  %-6s  %-16s  %s%n", "TAKEN", "CAMERA", "LENS", "RATING", "SHOOT", "FILES");
        CatalogService.Found found = ctx.catalogs().find(lib, q, a -> {
            anyFallback[0] |= a.timeFallback();
            String when = a.taken().replace('T', ' ') + (a.takenOffset() == null ? "" : a.takenOffset())
                    + (a.timeFallback() ? "*" : "");
            String files = a.files().isEmpty() ? "" : a.files().get(0).path()
                    + (a.files().size() > 1 ? " (+" + (a.files().size() - 1) + ")" : "")
                    + (a.files().stream().allMatch(CatalogFile::archived) ? " [archived]"
                    : a.files().stream().anyMatch(CatalogFile::archived) ? " [partly archived]" : "");
            ctx.out().printf("%-25s  %-24s  %-24s  %-6s  %-16s  %s%n", when, cut(a.camera(), 24), cut(a.lens(), 24),
                    stars(a.rating()), cut(a.shoot(), 16), files);
        });
        ctx.out().printf("%d asset(s) in %.0f ms%n", found.count(), found.time().toNanos() / 1e6);
        if (anyFallback[0]) {
            ctx.out().println("* no capture date in the files: the file's modification time");
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> asset(Asset a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", a.id());
        o.put("taken", a.taken());
        o.put("takenOffset", a.takenOffset());
        o.put("takenSource", a.takenSource().name());
        o.put("timeFallback", a.timeFallback());
        o.put("camera", a.camera());
        o.put("make", a.make());
        o.put("model", a.model());
        o.put("lens", a.lens());
        o.put("rating", a.rating());
        o.put("label", a.label());
        o.put("latitude", a.latitude());
        o.put("longitude", a.longitude());
        o.put("shoot", a.shoot());
        List<Map<String, Object>> files = new ArrayList<>();
        for (CatalogFile f : a.files()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("format", f.format().name());
            m.put("size", f.size());
            m.put("sha256", f.sha256());
            m.put("mtime", f.mtime().toString());
            m.put("taken", f.taken());
            m.put("takenOffset", f.takenOffset());
            m.put("takenSource", f.takenSource().name());
            m.put("warnings", f.warnings());
            m.put("archived", f.archived());
            files.add(m);
        }
        o.put("files", files);
        return o;
    }

    private static String stars(Integer rating) {
        if (rating == null || rating == 0) {
            return "";
        }
        return rating < 0 ? "reject" : "*".repeat(rating);
    }

    private static String cut(String s, int n) {
        if (s == null) {
            return "";
        }
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
