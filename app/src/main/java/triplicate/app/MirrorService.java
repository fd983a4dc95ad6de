package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.ScanProgress;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.core.TriplicateException;

/**
 * The mirror use cases: bring mirrors in step with the library, and make a folder a mirror. The library's catalog
 * is brought up to date first (an incremental scan); a mirror that cannot be reached is reported and the others are
 * served. Thread-safe (it holds only its settings). See docs/mirrors.md.
 */
public final class MirrorService {
    private final InstantSource clock;
    private final CatalogService catalogs;
    /** Test seam: handed to every run. */
    volatile Mirrorer.Hook beforeCopy = p -> { };

    public MirrorService(InstantSource clock, CatalogService catalogs) {
        this.clock = clock;
        this.catalogs = catalogs;
    }

    /**
     * @param init            make the target's folder a mirror if it is not one yet (adopting the files it has)
     * @param rebuildManifest start from an empty manifest (after a damaged one): every file at a library path is read
     * @param scan            scan the library into its catalog first
     */
    public record Options(boolean init, boolean rebuildManifest, boolean scan) {
        public static Options defaults() {
            return new Options(false, false, true);
        }
    }

    /**
     * A run over one or all mirrors.
     *
     * @param library     the library
     * @param scanned     the catalog scan done first, or null (not asked for, or the catalog was busy)
     * @param scanWarning why the scan could not run, or null
     * @param reports     one per mirror, in config order
     */
    public record Run(Path library, CatalogService.Scan scanned, String scanWarning, List<MirrorReport> reports) {
        public Run {
            reports = List.copyOf(reports);
        }
    }

    /** The mirror targets a command works on: {@code name}, or every mirror of the config when null. */
    static List<Target> mirrors(LibraryConfig config, String name) {
        if (name != null) {
            Target t = config.target(name).orElseThrow(() -> new TriplicateException("there is no target named '" + name
                    + "' (see 'triplicate target list')"));
            if (t.kind() != TargetKind.MIRROR) {
                throw new TriplicateException("'" + name + "' is a vault, not a mirror; 'triplicate sync' backs up to"
                        + " vaults");
            }
            return List.of(t);
        }
        return config.targets().stream().filter(t -> t.kind() == TargetKind.MIRROR).toList();
    }

    /** Brings the mirror {@code target} (or every mirror, when null) in step with {@code library}. */
    public Run mirror(Path library, String target, Options options, MirrorProgress progress) throws IOException {
        LibraryConfig config = ConfigFile.load(library);
        List<Target> mirrors = mirrors(config, target);
        if (mirrors.isEmpty()) {
            throw new TriplicateException("the config has no mirror target; add one with 'triplicate target add NAME"
                    + " --kind mirror --uri PATH --media external-drive --location onsite'");
        }
        CatalogService.Scan scanned = null;
        String scanWarning = null;
        if (options.scan()) {
            try {
                scanned = catalogs.scan(library, new ScanProgress());
            } catch (CatalogBusyException e) {
                scanWarning = "the catalog was busy (another Triplicate process holds it), so the library was not"
                        + " scanned: mirroring what the catalog knew";
            }
        }
        List<MirrorReport> reports = new ArrayList<>();
        try (Catalog catalog = catalogs.openExisting(library)) {
            List<Mirrorer.Entry> files = Mirrorer.entries(catalog);
            for (Target t : mirrors) {
                reports.add(runOne(catalog, config, t, files, options, progress));
            }
        }
        return new Run(library.toAbsolutePath().normalize(), scanned, scanWarning, reports);
    }

    MirrorReport runOne(Catalog catalog, LibraryConfig config, Target t, List<Mirrorer.Entry> files, Options options,
                        MirrorProgress progress) {
        MirrorFolder folder = MirrorFolder.of(t.uri());
        if (options.init() && !folder.isMirror()) {
            try {
                folder.init(t.name(), catalog.library(), clock.instant());
            } catch (IOException | TriplicateException e) {
                return MirrorReport.notRun(t.name(), folder.root().toString(), MirrorReport.Outcome.UNAVAILABLE,
                        e instanceof IOException io ? Mirrorer.describe(io) : e.getMessage());
            }
        }
        Mirrorer m = new Mirrorer(catalog.library(), folder, t.name(), clock, config.safetyNetDays());
        m.beforeCopy = beforeCopy;
        return m.run(catalog, files, options.rebuildManifest(), progress);
    }

    /**
     * Makes {@code t}'s folder a mirror (creating the folder if its parent exists); returns null when done, else why
     * it could not be (the drive not plugged in): the first {@code mirror --init} will do it.
     */
    public String init(Path library, Target t) {
        MirrorFolder folder = MirrorFolder.of(t.uri());
        if (folder.isMirror()) {
            return null;
        }
        try {
            folder.init(t.name(), library.toAbsolutePath().normalize(), clock.instant());
            return null;
        } catch (IOException e) {
            return Mirrorer.describe(e);
        } catch (TriplicateException e) {
            return e.getMessage();
        }
    }
}
