package triplicate.repository.index;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import triplicate.core.Id;

/**
 * Every known blob → its location, merged from all index files (and from packs indexed during this session).
 * Thread-safe. When a blob is stored twice (concurrent backups), the first location seen wins; both are valid.
 */
public final class MasterIndex {
    private final Map<Id, PackedBlob> blobs = new ConcurrentHashMap<>();
    private final Set<Id> packs = ConcurrentHashMap.newKeySet();

    public void addAll(Collection<PackedBlob> entries) {
        for (PackedBlob b : entries) {
            blobs.putIfAbsent(b.id(), b);
            packs.add(b.pack());
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
    }

    public PackedBlob get(Id id) {
        return blobs.get(id);
    }

    public boolean has(Id id) {
        return blobs.containsKey(id);
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
    public Map<Id, java.util.List<PackedBlob>> byPack() {
        return blobs.values().stream().collect(Collectors.groupingBy(PackedBlob::pack));
    }
}
