package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import triplicate.importer.ImportProgress;
import triplicate.importer.ImportReport;
import triplicate.importer.ImportSettings;
import triplicate.importer.Importer;
import triplicate.importer.Template;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoMetadata;

/**
 * The import use case: a camera card, a phone or a folder into the library, each copy verified. Wires the importer
 * to the metadata reader and the library's catalog, and ejects the card afterwards when asked. Thread-safe (it holds
 * only its settings).
 */
public final class ImportService {
    private final InstantSource clock;
    private final ZoneId zone;
    private final int parallelism;
    private final Ejector ejector;

    /**
     * @param clock       decides which capture dates are in the future
     * @param zone        the zone in which file times are read as capture times
     * @param parallelism files copied at once
     */
    public ImportService(InstantSource clock, ZoneId zone, int parallelism) {
        this(clock, zone, parallelism, new Ejector(Ejector.SYSTEM));
    }

    ImportService(InstantSource clock, ZoneId zone, int parallelism, Ejector ejector) {
        this.clock = Objects.requireNonNull(clock);
        this.zone = Objects.requireNonNull(zone);
        this.parallelism = parallelism;
        this.ejector = ejector;
    }

    /**
     * This machine's clock and zone; two files at once (a card reader serves one stream best, and two keep it busy
     * while the other file is hashed and synced), three with more cores.
     */
    public static ImportService forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ImportService(InstantSource.system(), ZoneId.systemDefault(), cores > 2 ? 3 : 2);
    }

    /**
     * What to import and how.
     *
     * @param template   the naming template; null for {@link Template#DEFAULT}
     * @param shoot      the shoot's name, or null
     * @param eject      eject the source's volume afterwards, if every file is in the library
     */
    public record Request(Path source, Path library, String template, String shoot, boolean dryRun,
                          boolean eraseVerified, boolean eject) {
        public Request {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(library, "library");
        }
    }

    /** What happened: the import's report, and, if ejecting was asked for, what became of that. */
    public record Result(ImportReport report, Ejection ejection) {
    }

    /** Whether the source's volume was ejected, and what was done or why not. */
    public record Ejection(boolean ejected, String message) {
    }

    /** Checks a template without importing anything (a {@code TriplicateException} says what is wrong). */
    public Template template(String text) {
        return Template.parse(text == null ? Template.DEFAULT : text);
    }

    public Result run(Request r, ImportProgress progress) throws IOException {
        Template template = template(r.template());
        ImportSettings settings = new ImportSettings(r.library(), template, r.shoot(), r.dryRun(), r.eraseVerified(),
                parallelism, zone);
        MetadataReader reader = MetadataReader.standard(clock, zone);
        Map<Path, PhotoMetadata> read = new ConcurrentHashMap<>();
        ImportReport report;
        try (CatalogLedger ledger = new CatalogLedger(r.library(), clock, reader, read, r.dryRun())) {
            report = new Importer(settings, new MetadataFacts(reader, read), ledger, clock).run(r.source(), progress);
        }
        Ejection ejection = null;
        if (r.eject()) {
            if (r.dryRun()) {
                ejection = new Ejection(false, "not ejected: this was a dry run");
            } else if (!report.complete()) {
                ejection = new Ejection(false, "not ejected: not every file is in the library (see the warnings)");
            } else {
                Ejector.Result e = ejector.eject(report.source());
                ejection = new Ejection(e.ejected(), e.message());
            }
        }
        return new Result(report, ejection);
    }
}
