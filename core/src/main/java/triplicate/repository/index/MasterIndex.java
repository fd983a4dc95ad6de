package triplicate.repository.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import triplicate.core.Id;

/**
 * Every known blob → its location, merged from all index files (and from packs indexed during this session).
 * Thread-safe. When a blob is stored twice (concurrent backups, or a prune that copied it out of a pack), one
 * location is kept: the first seen, except that a location in a pack that is not <em>retiring</em> always wins over
 * one in a retiring pack.
 *
 * <p><b>Retiring packs</b> are packs a prune plan marked for deletion (docs/design/retention.md). A blob whose only
 * location is in a retiring pack is still readable ({@link #get}) but does not count as present for deduplication
 * ({@link #has} is false), so a backup stores it again rather than reference data that a prune may delete. Set the
 * retiring packs before loading index files ({@link #replaceAll}), so the preferred locations are chosen with them.
 */
public final class MasterIndex {
    private volatile Map<Id, PackedBlob> blobs = new ConcurrentHashMap<>();
    private volatile Set<Id> packs = ConcurrentHashMap.newKeySet();
    private volatile Set<Id> retiring = Set.of();

    public void addAll(Collection<PackedBlob> entries) {
        Map<Id, PackedBlob> b = blobs;
        Set<Id> r = retiring;
        for (PackedBlob e : entries) {
            b.merge(e.id(), e, (old, now) -> r.contains(old.pack()) && !r.contains(now.pack()) ? now : old);
            packs.add(e.pack());
        }
    }

    /** Serves {@code entry}'s blob from {@code entry}'s location from now on (a blob stored again). */
    public void replace(PackedBlob entry) {
        blobs.put(entry.id(), entry);
        packs.add(entry.pack());
    }

    /**
     * Forgets {@code gone}: packs no index file names any more. Blobs still served from one of them are forgotten
     * too (their data is out of reach).
     */
    public void forgetPacks(Set<Id> gone) {
        blobs.values().removeIf(b -> gone.contains(b.pack()));
        packs.removeAll(gone);
        if (retiring.stream().anyMatch(gone::contains)) {
            Set<Id> r = new java.util.HashSet<>(retiring);
            r.removeAll(gone);
            retiring = Set.copyOf(r);
        }
    }

    /** Replaces everything with {@code entries}, with {@code retiringPacks} as the retiring packs. */
    public void replaceAll(Collection<? extends Collection<PackedBlob>> entries, Set<Id> retiringPacks) {
        Map<Id, PackedBlob> b = new ConcurrentHashMap<>();
        Set<Id> p = ConcurrentHashMap.newKeySet();
        Set<Id> r = Set.copyOf(retiringPacks);
        for (Collection<PackedBlob> file : entries) {
            for (PackedBlob e : file) {
                b.merge(e.id(), e, (old, now) -> r.contains(old.pack()) && !r.contains(now.pack()) ? now : old);
                p.add(e.pack());
            }
        }
        retiring = r;
        packs = p;
        blobs = b;
    }

    /**
     * Adds {@code more} to the retiring packs. Locations already chosen stay (their alternatives are not kept), but
     * blobs there no longer count as present, and a later {@link #addAll} of another location replaces them.
     */
    public void retire(Collection<Id> more) {
        Set<Id> r = new java.util.HashSet<>(retiring);
        r.addAll(more);
        retiring = Set.copyOf(r);
    }

    /** The packs a prune plan marked for deletion (as last set). */
    public Set<Id> retiring() {
        return retiring;
    }

    public boolean isRetiring(Id pack) {
        return retiring.contains(pack);
    }

    /** Where the blob is stored (preferably in a pack that is not retiring), or null. */
    public PackedBlob get(Id id) {
        return blobs.get(id);
    }

    /** Whether the blob is stored in a pack that is not retiring: whether a backup may reference it as it is. */
    public boolean has(Id id) {
        PackedBlob b = blobs.get(id);
        return b != null && !retiring.contains(b.pack());
    }

    public int size() {
        return blobs.size();
    }

    /** Packs that at least one index file (or this session) names. */
    public Set<Id> packs() {
        return Set.copyOf(packs);
    }

    public boolean knowsPack(Id pack) {
        return packs.contains(pack);
    }

    public Collection<PackedBlob> all() {
        return blobs.values();
    }

    /** Blobs grouped by the pack that holds them. */
    public Map<Id, List<PackedBlob>> byPack() {
        return blobs.values().stream().collect(Collectors.groupingBy(PackedBlob::pack));
    }
}
