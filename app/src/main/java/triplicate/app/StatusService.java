package triplicate.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import triplicate.catalog.Catalog;
import triplicate.catalog.CopiesOfAsset;
import triplicate.catalog.Copy;
import triplicate.config.ConfigFile;
import triplicate.config.LibraryConfig;
import triplicate.config.Target;
import triplicate.policy.AssetCopies;
import triplicate.policy.CopyState;
import triplicate.policy.Decision;
import triplicate.policy.Policy;
import triplicate.policy.PolicyEvaluator;
import triplicate.policy.Reason;

/**
 * The 3-2-1 status of a library: every asset of its catalog judged by the policy of its config, from the copies the
 * catalog knows (docs/status.md). Reads only: it runs while a scan or a mirror writes to the catalog. Thread-safe.
 */
public final class StatusService {
    private final InstantSource clock;
    private final CatalogService catalogs;

    public StatusService(InstantSource clock, CatalogService catalogs) {
        this.clock = clock;
        this.catalogs = catalogs;
    }

    /**
     * A target and how many assets it counted for.
     *
     * @param target  the target as configured
     * @param holds   assets whose copy there counted
     * @param stale   assets whose copy there was too long unverified
     * @param damaged assets with a damaged file there
     * @param missing assets with a file found missing there
     */
    public record TargetCount(Target target, long holds, long stale, long damaged, long missing) {
    }

    /**
     * The status.
     *
     * @param library  the library
     * @param at       when it was judged
     * @param policy   the policy
     * @param assets   how many assets the catalog has
     * @param met      how many meet the policy
     * @param failing  every asset that does not, with why, in the catalog's order
     * @param targets  per target, how many assets it counted for
     * @param byReason how many failing assets have each kind of reason ({@link Reason#code()})
     * @param took     how long the evaluation took
     * @param archived the archived shoots (not in the library, not judged by the policy above)
     */
    public record Status(Path library, Instant at, Policy policy, long assets, long met, List<Decision> failing,
                         List<TargetCount> targets, Map<String, Long> byReason, Duration took, Archived archived) {
        public Status {
            failing = List.copyOf(failing);
            targets = List.copyOf(targets);
            byReason = Map.copyOf(byReason);
        }

        public boolean policyMet() {
            return met == assets;
        }
    }

    /**
     * The archived part of the catalog: assets none of whose files is in the library any more, and each archive (a
     * shoot in a vault target's snapshot).
     */
    public record Archived(long assets, long files, long bytes, List<Catalog.Archive> archives) {
        public Archived {
            archives = List.copyOf(archives);
        }
    }

    public Status status(Path library) {
        LibraryConfig config = ConfigFile.load(library);
        PolicyEvaluator evaluator = new PolicyEvaluator(config.policy(), config.libraryHolder(), config.targetHolders());
        Instant now = clock.instant();
        long start = System.nanoTime();
        List<Decision> failing = new ArrayList<>();
        Map<String, long[]> perTarget = new LinkedHashMap<>();
        config.targets().forEach(t -> perTarget.put(t.name(), new long[4]));
        Map<String, Long> byReason = new TreeMap<>();
        long[] met = {0};
        long assets;
        Archived archived;
        try (Catalog catalog = catalogs.openExisting(library)) {
            List<Catalog.Archive> archives = catalog.archives(null);
            java.util.Set<String> paths = new java.util.HashSet<>();
            long bytes = 0;
            for (Catalog.Archive a : archives) {
                for (Catalog.ArchivedFile f : a.files()) {
                    if (paths.add(f.path())) {
                        bytes += f.size();
                    }
                }
            }
            archived = new Archived(catalog.archivedAssets(), paths.size(), bytes, archives);
            assets = catalog.forEachAsset(a -> {
                Decision d = evaluator.evaluate(toPolicy(a), now);
                for (String h : d.heldBy()) {
                    long[] c = perTarget.get(h);
                    if (c != null) {
                        c[0]++;
                    }
                }
                for (Reason r : d.reasons()) {
                    switch (r) {
                        case Reason.Stale s -> perTarget.get(s.target())[1]++;
                        case Reason.Damaged x -> perTarget.get(x.target())[2]++;
                        case Reason.Missing x -> perTarget.get(x.target())[3]++;
                        case Reason.Partial p -> { }
                        case Reason.FewCopies c -> { }
                        case Reason.FewMediaClasses m -> { }
                        case Reason.FewOffsite o -> { }
                    }
                }
                if (d.met()) {
                    met[0]++;
                } else {
                    failing.add(d);
                    d.reasons().stream().map(Reason::code).distinct().forEach(c -> byReason.merge(c, 1L, Long::sum));
                }
            });
        }
        List<TargetCount> targets = config.targets().stream().map(t -> {
            long[] c = perTarget.get(t.name());
            return new TargetCount(t, c[0], c[1], c[2], c[3]);
        }).toList();
        return new Status(library.toAbsolutePath().normalize(), now, config.policy(), assets, met[0], failing, targets,
                byReason, Duration.ofNanos(System.nanoTime() - start), archived);
    }

    /** The catalog's records as the policy's. */
    static AssetCopies toPolicy(CopiesOfAsset a) {
        List<AssetCopies.FileCopies> files = new ArrayList<>(a.files().size());
        for (CopiesOfAsset.FileCopies f : a.files()) {
            List<AssetCopies.KnownCopy> copies = new ArrayList<>(f.copies().size());
            for (Copy c : f.copies()) {
                CopyState s = switch (c.result()) {
                    case OK -> CopyState.VERIFIED;
                    case STORED -> CopyState.STORED;
                    case MISSING -> CopyState.MISSING;
                    case DAMAGED -> CopyState.DAMAGED;
                };
                copies.add(new AssetCopies.KnownCopy(c.target(), s, c.verifiedAt()));
            }
            files.add(new AssetCopies.FileCopies(f.path(), copies));
        }
        return new AssetCopies(a.primaryPath(), files);
    }
}
