package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import triplicate.catalog.Asset;
import triplicate.catalog.Catalog;
import triplicate.catalog.LibraryScanner;
import triplicate.catalog.Query;
import triplicate.catalog.ScanProgress;
import triplicate.catalog.ScanResult;
import triplicate.metadata.MetadataReader;

/**
 * The catalog use cases: index a library into its catalog ({@code LIBRARY/.triplicate/catalog.db}) and query it.
 * One instance per process; thread-safe (it holds only its settings). Each call opens the catalog and closes it.
 */
public final class CatalogService {
    private final InstantSource clock;
    private final ZoneId zone;
    private final int threads;
    private final Duration busyTimeout;

    /**
     * @param clock   decides which capture dates lie in the future, and stamps what the catalog records
     * @param zone    the zone in which a file's modification time (the capture-time fallback) is shown
     * @param threads files read at once during a scan
     */
    public CatalogService(InstantSource clock, ZoneId zone, int threads) {
        this(clock, zone, threads, Catalog.DEFAULT_BUSY_TIMEOUT);
    }

    /** As above, with how long a write waits for another process's transaction before giving up. */
    public CatalogService(InstantSource clock, ZoneId zone, int threads, Duration busyTimeout) {
        this.clock = clock;
        this.zone = zone;
        this.threads = Math.max(1, threads);
        this.busyTimeout = busyTimeout;
    }

    /** Opens the catalog of {@code library}, which must exist, with this service's clock and busy timeout. */
    Catalog openExisting(Path library) {
        if (!Catalog.exists(library)) {
            return Catalog.openExisting(library, clock);   // throws, with the message that says what to do
        }
        return Catalog.open(library, clock, busyTimeout);
    }

    /** System clock and zone; as many readers as processors. */
    public static CatalogService forThisMachine() {
        return forThisMachine(Catalog.DEFAULT_BUSY_TIMEOUT);
    }

    /** {@link #forThisMachine()}, waiting at most {@code busyTimeout} for another process's write. */
    public static CatalogService forThisMachine(Duration busyTimeout) {
        return new CatalogService(InstantSource.system(), ZoneId.systemDefault(),
                Runtime.getRuntime().availableProcessors(), busyTimeout);
    }

    /** A scan's outcome with what the catalog holds afterwards. */
    public record Scan(Path library, Path catalog, ScanResult result, Catalog.Counts counts) {
    }

    /** Indexes {@code library}, creating its catalog if needed; only new and changed files are read. */
    public Scan scan(Path library, ScanProgress progress) throws IOException {
        try (Catalog c = Catalog.open(library, clock, busyTimeout)) {
            ScanResult r = new LibraryScanner(c, MetadataReader.standard(clock, zone), threads, zone).scan(progress);
            return new Scan(c.library(), c.database(), r, c.counts());
        }
    }

    /** How many assets a query found, and how long it took (opening the catalog not included). */
    public record Found(long count, Duration time) {
    }

    /**
     * Hands {@code each} the assets of {@code library}'s catalog that match {@code query}, earliest first, a few hundred
     * in memory at a time; the catalog must exist. The time includes what {@code each} does.
     */
    public Found find(Path library, Query query, Consumer<Asset> each) {
        try (Catalog c = Catalog.openExisting(library, clock)) {
            long start = System.nanoTime();
            long n = c.find(query, each);
            return new Found(n, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** The assets of {@code library}'s catalog that match {@code query}, earliest first; the catalog must exist. */
    public List<Asset> find(Path library, Query query) {
        List<Asset> out = new java.util.ArrayList<>();
        find(library, query, out::add);
        return out;
    }
}
