package triplicate.restorer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import triplicate.backend.Backend;
import triplicate.backend.ColdState;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.ThawEstimate;
import triplicate.backend.ThawTier;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.repository.Repository;

/**
 * Plans the thaw a restore needs on a vault whose data packs may be in a cold storage class: which of the packs a
 * restore reads are cold (not thawed), being thawed, thawed or hot, with their sizes; and requests the thaw of the
 * cold ones ({@link #thaw}). Reads no pack: the sizes come from one listing, the states from the backend
 * ({@link Backend#coldState}, an S3 HEAD per pack).
 */
public final class ThawPlanner {
    private final Repository repo;

    public ThawPlanner(Repository repo) {
        this.repo = repo;
    }

    /** One pack a restore needs, its size and whether it can be read now. */
    public record PackState(Id pack, long size, ColdState state) {
    }

    /**
     * The state of every pack a restore needs.
     *
     * @param packs    each needed pack
     * @param estimate for the cold packs (those to thaw), how long a thaw takes and what it costs, at the tier asked
     */
    public record Plan(List<PackState> packs, ThawTier tier, ThawEstimate estimate) {
        private long bytes(ColdState.Status s) {
            return packs.stream().filter(p -> p.state().status() == s).mapToLong(PackState::size).sum();
        }

        private int count(ColdState.Status s) {
            return (int) packs.stream().filter(p -> p.state().status() == s).count();
        }

        public int cold() {
            return count(ColdState.Status.COLD);
        }

        public long coldBytes() {
            return bytes(ColdState.Status.COLD);
        }

        public int thawing() {
            return count(ColdState.Status.THAWING);
        }

        public long thawingBytes() {
            return bytes(ColdState.Status.THAWING);
        }

        public int thawed() {
            return count(ColdState.Status.THAWED);
        }

        public int hot() {
            return count(ColdState.Status.HOT);
        }

        public long totalBytes() {
            return packs.stream().mapToLong(PackState::size).sum();
        }

        /** Whether every needed pack can be read now. */
        public boolean ready() {
            return cold() == 0 && thawing() == 0;
        }

        /** The cold class of the packs to thaw (the most frequent one), or null when none is cold. */
        public String storageClass() {
            Map<String, Integer> n = new HashMap<>();
            for (PackState p : packs) {
                if (p.state().status() != ColdState.Status.HOT && p.state().storageClass() != null) {
                    n.merge(p.state().storageClass(), 1, Integer::sum);
                }
            }
            return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        }
    }

    /** The packs holding the data blobs of {@code snapshot} (or of the path {@code include} in it). */
    public Set<Id> packsNeeded(Id snapshot, String include) throws IOException {
        return new Restorer(repo, new RestoreProgress(), 1).packsNeeded(snapshot, include);
    }

    /** Looks up the state of each pack (several at once), and estimates the thaw of the cold ones at {@code tier}. */
    public Plan plan(Set<Id> packs, ThawTier tier) throws IOException {
        Backend backend = repo.backend();
        Map<String, Long> sizes = new HashMap<>();
        for (FileInfo f : backend.list(FileType.PACK)) {
            sizes.put(f.name(), f.size());
        }
        List<Id> ordered = new ArrayList<>(packs);
        ordered.sort(null);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, backend.parallelism())), r -> {
            Thread t = new Thread(r, "triplicate-thaw-plan");
            t.setDaemon(true);
            return t;
        });
        List<PackState> out = new ArrayList<>();
        try {
            Map<Id, Future<ColdState>> states = new LinkedHashMap<>();
            for (Id p : ordered) {
                states.put(p, pool.submit(() -> backend.coldState(new Handle(FileType.PACK, p.hex()))));
            }
            for (var e : states.entrySet()) {
                out.add(new PackState(e.getKey(), sizes.getOrDefault(e.getKey().hex(), 0L), get(e.getValue())));
            }
        } finally {
            pool.shutdownNow();
        }
        Plan partial = new Plan(List.copyOf(out), tier, null);
        ThawEstimate estimate = backend.estimateThaw(partial.storageClass(), tier, partial.cold(), partial.coldBytes());
        return new Plan(partial.packs(), tier, estimate);
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while looking up storage classes");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    /** What {@link #thaw} did. */
    public record ThawResult(Plan before, int requested, long requestedBytes, int alreadyThawing, int alreadyThawed,
                             int hot) {
    }

    /**
     * Requests a thaw of every cold pack of the plan, for {@code days} days at the plan's tier. Packs being thawed or
     * thawed already are counted, not requested again (nothing billed twice).
     */
    public ThawResult thaw(Plan plan, int days) throws IOException {
        int requested = 0;
        long bytes = 0;
        int thawing = plan.thawing();
        for (PackState p : plan.packs()) {
            if (p.state().status() != ColdState.Status.COLD) {
                continue;
            }
            if (repo.backend().requestThaw(new Handle(FileType.PACK, p.pack().hex()), days, plan.tier())) {
                requested++;
                bytes += p.size();
            } else {
                thawing++; // requested meanwhile (by another run): S3 answered that a thaw is under way
            }
        }
        return new ThawResult(plan, requested, bytes, thawing, plan.thawed(), plan.hot());
    }

    /** The refusal of a restore that needs a thaw: counts, bytes, time, indicative cost, and the command. */
    public static String refusal(Plan plan, String snapshotSpec, String include) {
        StringBuilder m = new StringBuilder();
        m.append("this restore needs ").append(plan.packs().size()).append(" pack(s), ")
                .append(triplicate.core.ByteSizes.format(plan.totalBytes())).append(", of which ");
        if (plan.cold() > 0) {
            m.append(plan.cold()).append(" (").append(triplicate.core.ByteSizes.format(plan.coldBytes())).append(") are in storage class ")
                    .append(plan.storageClass()).append(" and not thawed");
        }
        if (plan.thawing() > 0) {
            m.append(plan.cold() > 0 ? ", and " : "").append(plan.thawing()).append(" (")
                    .append(triplicate.core.ByteSizes.format(plan.thawingBytes())).append(") are being thawed");
        }
        m.append("; nothing was read or written. ");
        String command = "triplicate thaw " + snapshotSpec + (include == null || include.isBlank() ? ""
                : " --include '" + include + "'");
        if (plan.cold() > 0) {
            m.append("Start the thaw with `").append(command).append("` (standard tier; --tier expedited|standard|bulk),")
                    .append(" then run the restore again once it is done. A thaw takes ")
                    .append(plan.estimate().time()).append(" and costs ").append(plan.estimate().cost()).append('.');
        } else {
            m.append("Run `").append(command).append("` later to see the progress, and the restore once every pack is")
                    .append(" thawed.");
        }
        return m.toString();
    }
}
