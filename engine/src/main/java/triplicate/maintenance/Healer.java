package triplicate.maintenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import triplicate.archiver.ContentChunker;
import triplicate.backend.FileInfo;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.repository.Session;
import triplicate.repository.index.PackedBlob;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * Heals a damaged vault: writes anew, from a verified source, every blob that a {@link Checker} found damaged or
 * missing, then retires the damaged packs. Nothing is written without a verified source, and nothing is deleted
 * before its replacement is stored, indexed and read back.
 *
 * <p>A replacement's source is verified by the blob id itself: the id is the vault's keyed hash of the blob's
 * content, so content that hashes to the id is the content. Sources, tried in this order for each blob:
 * <ol>
 *   <li>an intact second copy of the blob in this vault (two backups stored it at once);</li>
 *   <li>for data blobs, the files that held it: each damaged file of each snapshot is looked for in the
 *       {@link Source}s (the library on this computer, another vault holding the same files), cut into chunks by this
 *       vault's chunker, and every chunk whose id is a damaged blob's is stored again. A file edited since still
 *       gives back the chunks it has in common with the version backed up.</li>
 * </ol>
 * Tree blobs (folder listings) and what lies below them: from a backup run over the snapshot's folders where they
 * still are on this computer ({@link Folders}), compared with the damaged snapshot so unchanged files are not read,
 * which stores nothing but the damaged blobs it regenerates ({@link Repository#storeOnly}); a folder unchanged since
 * its backup gives back its listing byte for byte. What no source gives back is reported, with the paths it affects.
 *
 * <p>Then, per damaged pack: when every damaged blob of it that a snapshot uses was healed, its intact blobs are
 * copied into new packs too (each authenticated and hashed back to its id), and the pack is retired: the index files
 * are written anew without it and it is deleted ({@link Repository#rewriteIndex}). A pack holding a damaged blob
 * that could not be healed is kept, and only the healed blobs' entries stop naming it. Damaged blobs that no snapshot
 * uses are dropped with their pack. Deletions are asked for before anything is written
 * ({@link Repository#checkDeletesAllowed}), so that on append-only storage heal stops without changing anything.
 *
 * <p>In a format 2 vault heal holds the maintenance lock that prune and undelete take, so none of them runs
 * meanwhile (another one running makes it stop with {@link triplicate.core.VaultBusyException}, before it has written
 * anything). Backups may run meanwhile.
 */
public final class Healer {
    /** A place that may hold the content of files that a vault's damage affects. */
    public interface Source {
        /** How reports name this source ("library /home/ann/Photos", "vault s3://…"). */
        String name();

        /**
         * A local file with the content that the file {@code path} (relative to the snapshot's root, '/' between
         * names) of {@code snapshot} had when it was backed up, as far as this source knows; null if it has none.
         * The content is verified chunk by chunk by the caller, so a source may offer a file that is only likely to
         * match (same path and size).
         */
        Fetched fetch(Snapshot snapshot, String path, Node node) throws IOException;
    }

    /** A file a source offers; a temporary one is deleted (with its folder, if {@code folder} is set) after use. */
    public record Fetched(Path file, boolean temporary, Path folder) {
    }

    /** A file (or folder) healed: in which snapshot, which path, from which source. */
    public record HealedFile(String snapshot, String path, String source) {
    }

    /** What could not be healed, in which snapshot (a short id), and why. */
    public record Unhealed(String snapshot, String path, String reason) {
    }

    /**
     * What a heal did: the damage it started from (packs, blobs), blobs written anew from a source, intact blobs of
     * retired packs copied into new packs, the packs retired, the index files written anew, the healed files and what
     * remains damaged.
     */
    public record Result(int damagedPacks, int damagedBlobs, int blobsHealed, int blobsRescued, int blobsDropped,
                         int packsRetired, int packsKept, int indexFilesRewritten, List<HealedFile> healed,
                         List<Unhealed> unhealed) {
        /** Whether the vault is whole again. */
        public boolean complete() {
            return unhealed.isEmpty() && packsKept == 0;
        }
    }

    private final Repository repo;
    private final IdHasher hasher;

    public Healer(Repository repo) {
        this.repo = repo;
        this.hasher = repo.newIdHasher();
    }

    /** A source of local files: {@code where} maps a snapshot and a path in it to a file on this computer (or null). */
    public static Source localFiles(String name, BiFunction<Snapshot, String, Path> where) {
        return new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Fetched fetch(Snapshot snapshot, String path, Node node) throws IOException {
                Path p = where.apply(snapshot, path);
                if (p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) != node.size()) {
                    return null;
                }
                return new Fetched(p, false, null);
            }
        };
    }

    /**
     * A source that restores the same file from another vault (opened by the caller) into {@code scratch}: the file
     * at the same path in the snapshot of the same host and paths closest to the damaged one — its copy made by
     * {@code copy} first, then one whose file has the same size and modification time, then the same size.
     */
    public static Source otherVault(String name, Repository other, Path scratch) {
        return new Source() {
            private List<Repository.SnapshotRef> snapshots;

            @Override
            public String name() {
                return name;
            }

            @Override
            public Fetched fetch(Snapshot snapshot, String path, Node node) throws IOException {
                if (snapshots == null) {
                    snapshots = new ArrayList<>(other.listSnapshots());
                    Collections.reverse(snapshots); // newest first
                }
                Repository.SnapshotRef best = null;
                int bestRank = 0;
                for (Repository.SnapshotRef r : snapshots) {
                    Snapshot o = r.snapshot();
                    if (!o.paths().equals(snapshot.paths()) || !Objects.equals(o.host(), snapshot.host())) {
                        continue;
                    }
                    Node n = nodeAt(other, o.tree(), path);
                    if (n == null || n.type() != NodeType.FILE || n.size() != node.size()) {
                        continue;
                    }
                    int rank = o.time().equals(snapshot.time()) ? 3 : n.mtimeNanos() == node.mtimeNanos() ? 2 : 1;
                    if (rank > bestRank) {
                        best = r;
                        bestRank = rank;
                    }
                    if (rank == 3) {
                        break;
                    }
                }
                if (best == null) {
                    return null;
                }
                Files.createDirectories(scratch);
                Path into = Files.createTempDirectory(scratch, ".triplicate-heal-");
                RestoreResult r = new Restorer(other, new RestoreProgress(), 0).restore(best.id(), null,
                        List.of(path), into);
                Path file = into.resolve(path);
                if (!r.complete() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(into);
                    return null;
                }
                return new Fetched(file, true, into);
            }
        };
    }

    /** A file of a snapshot that holds damaged data blobs, and where else the same content is. */
    private record Want(List<Id> content, List<Place> places, Node node) {
    }

    private record Place(Repository.SnapshotRef snapshot, String path) {
    }

    /**
     * Where the files of a snapshot are on this computer, as they were backed up, so that a backup run over them
     * regenerates the snapshot's blobs — folder listings included, which no single file gives back.
     */
    public interface Folders {
        /** The paths to run a backup over (and its excludes), or null when they are not here. */
        Rebuild of(Snapshot snapshot);
    }

    /** The paths of a snapshot on this computer and the excludes its backup used. */
    public record Rebuild(List<Path> paths, List<String> excludes) {
    }

    /** Heals what {@code damage} (from a full {@link Checker#check} of this vault) names, from {@code sources}. */
    public Result heal(Checker.Damage damage, List<Source> sources) throws IOException {
        return heal(damage, sources, null);
    }

    /**
     * Heals what {@code damage} (from a full {@link Checker#check} of this vault) names, from {@code sources}; then,
     * for what remains (folder listings, and what lies under them), from a backup run over the snapshots' folders
     * that {@code folders} finds on this computer (null: none), which stores nothing but the damaged blobs it
     * regenerates: a folder unchanged since its backup gives back its listing byte for byte.
     */
    public Result heal(Checker.Damage damage, List<Source> sources, Folders folders) throws IOException {
        if (damage.none()) {
            return new Result(0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
        }
        repo.checkDeletesAllowed();
        // no prune or undelete meanwhile (format 2): a prune could plan to delete a pack this heal takes a copy from
        try (Session lock = repo.formatVersion() >= 2 ? Pruner.acquireLock(repo, "heal", new Pruner.Options(null,
                Pruner.Options.DEFAULT_REPACK_UNUSED_PERCENT, false, null, null), note -> { }) : null) {
            Result r = healLocked(damage, sources, folders);
            if (lock != null) {
                lock.ensureAlive();
            }
            return r;
        }
    }

    private Result healLocked(Checker.Damage damage, List<Source> sources, Folders folders) throws IOException {
        Set<Id> bad = new HashSet<>(damage.blobs());
        Set<Id> damagedPacks = damage.packs().keySet();
        Map<Id, List<PackedBlob>> inDamagedPacks = new HashMap<>();
        for (PackedBlob b : repo.index().all()) {
            if (damagedPacks.contains(b.pack())) {
                inDamagedPacks.computeIfAbsent(b.pack(), k -> new ArrayList<>()).add(b);
            }
        }
        Set<Id> healed = new HashSet<>();
        Set<Id> rescued = new HashSet<>();
        List<HealedFile> healedFiles = new ArrayList<>();

        // 1. intact second copies in this vault
        for (PackedBlob b : otherCopies(bad, damagedPacks)) {
            if (!healed.contains(b.id()) && storeIfIntact(b)) {
                healed.add(b.id());
            }
        }
        repo.flush();

        Set<String> chunked = new HashSet<>();
        Set<Repository.SnapshotRef> rebuilt = new HashSet<>();
        Scan scan;
        while (true) {
            // 2. which files and folders use the damaged blobs (again after folders were rebuilt: what they hold)
            scan = scan(bad, healed);
            // 3. the files, from the sources
            healFiles(scan, bad, healed, sources, chunked, healedFiles);
            repo.flush();
            healed.removeIf(id -> !readsBack(id));
            // 4. folder listings (and what lies below them), from the folders themselves
            boolean progress = false;
            if (folders != null) {
                for (Repository.SnapshotRef s : scan.damagedFolders()) {
                    if (!rebuilt.add(s)) {
                        continue;
                    }
                    Set<Id> missing = new HashSet<>(bad);
                    missing.removeAll(healed);
                    int before = healed.size();
                    if (rebuild(s, folders, missing, healed)) {
                        healedFiles.add(new HealedFile(s.id().shortHex(), "/", "a backup run over "
                                + String.join(", ", s.snapshot().paths())));
                    }
                    progress |= healed.size() > before;
                }
            }
            if (!progress) {
                break;
            }
        }
        List<Unhealed> unhealed = new ArrayList<>(scan.unhealed());
        Set<Id> used = scan.used();
        for (Want w : scan.wants().values()) {
            List<Id> lost = w.content().stream().filter(bad::contains).filter(id -> !healed.contains(id)).toList();
            if (!lost.isEmpty()) {
                for (Place p : w.places()) {
                    unhealed.add(new Unhealed(p.snapshot().id().shortHex(), p.path(), lost.size() + " damaged"
                            + " chunk(s) found in no source" + (sources.isEmpty() ? " (none was given)" : "")));
                }
            }
        }
        // with a folder listing still damaged, what lies below it is unknown: no damaged blob counts as unused
        boolean usesKnown = scan.damagedFolders().isEmpty();

        // 4. retire the packs whose every needed blob is healed, after copying their intact blobs
        Set<Id> retire = new TreeSet<>();
        int kept = 0;
        for (Id pack : damagedPacks) {
            List<PackedBlob> blobs = inDamagedPacks.getOrDefault(pack, List.of());
            boolean whole = blobs.stream().noneMatch(b -> bad.contains(b.id())
                    && (used.contains(b.id()) || !usesKnown) && !healed.contains(b.id()));
            if (!whole) {
                kept++;
                continue;
            }
            boolean ok = true;
            for (PackedBlob b : blobs) {
                if (!bad.contains(b.id()) && !healed.contains(b.id()) && !rescued.contains(b.id())) {
                    if (storeIfIntact(b)) {
                        rescued.add(b.id());
                    } else {
                        ok = false; // damage the check did not see (the pack changed since): keep the pack
                    }
                }
            }
            if (ok) {
                retire.add(pack);
            } else {
                kept++;
            }
        }
        repo.flush();
        Set<Id> unreadable = new HashSet<>();
        for (Id id : rescued) {
            if (!readsBack(id)) {
                unreadable.add(id);
            }
        }
        if (!unreadable.isEmpty()) {
            // a copy that does not read back: keep every pack it came from
            for (Id pack : new ArrayList<>(retire)) {
                if (inDamagedPacks.getOrDefault(pack, List.of()).stream().anyMatch(b -> unreadable.contains(b.id()))) {
                    retire.remove(pack);
                    kept++;
                }
            }
            rescued.removeAll(unreadable);
        }

        // 5. the index: healed blobs no longer served from damaged packs; retired packs deleted
        Set<Id> dropped = new HashSet<>();
        for (Id pack : retire) {
            for (PackedBlob b : inDamagedPacks.getOrDefault(pack, List.of())) {
                if (bad.contains(b.id()) && !healed.contains(b.id())) {
                    dropped.add(b.id());
                }
            }
        }
        Repository.IndexRewrite rewrite = repo.rewriteIndex(
                b -> damagedPacks.contains(b.pack()) && healed.contains(b.id()), retire, dropped);
        unhealed.sort(java.util.Comparator.comparing(Unhealed::snapshot).thenComparing(Unhealed::path));
        return new Result(damagedPacks.size(), bad.size(), healed.size(), rescued.size(), dropped.size(),
                retire.size(), kept, rewrite.indexFilesRewritten(), List.copyOf(healedFiles), List.copyOf(unhealed));
    }

    /** What walking the snapshots found: files to heal, damaged folder listings, the damaged blobs in use. */
    private record Scan(Map<List<Id>, Want> wants, List<Unhealed> unhealed, Set<Repository.SnapshotRef> damagedFolders,
                        Set<Id> used) {
    }

    private Scan scan(Set<Id> bad, Set<Id> healed) throws IOException {
        Set<Id> stillBad = new HashSet<>(bad);
        stillBad.removeAll(healed);
        Set<Id> used = new HashSet<>();
        Map<List<Id>, Want> wants = new LinkedHashMap<>();
        List<Unhealed> unhealed = new ArrayList<>();
        Set<Repository.SnapshotRef> damagedFolders = new java.util.LinkedHashSet<>();
        List<Repository.SnapshotRef> snapshots = new ArrayList<>(repo.listSnapshots());
        Collections.reverse(snapshots); // newest first: the likeliest to match the sources
        Map<Id, Boolean> clean = new HashMap<>();
        for (Repository.SnapshotRef s : snapshots) {
            int before = unhealed.size();
            if (bad.contains(s.snapshot().tree())) {
                used.add(s.snapshot().tree());
            }
            if (stillBad.contains(s.snapshot().tree())) {
                unhealed.add(new Unhealed(s.id().shortHex(), "/", "its root folder listing (tree blob "
                        + s.snapshot().tree().shortHex() + ") is damaged"));
            } else {
                walk(s, s.snapshot().tree(), "", bad, stillBad, used, wants, unhealed, clean);
            }
            if (unhealed.size() > before) {
                damagedFolders.add(s);
            }
        }
        return new Scan(wants, unhealed, damagedFolders, used);
    }

    private void healFiles(Scan scan, Set<Id> bad, Set<Id> healed, List<Source> sources, Set<String> chunked,
                           List<HealedFile> healedFiles) throws IOException {
        ContentChunker chunker = new ContentChunker(repo);
        for (Want w : scan.wants().values()) {
            Set<Id> need = new HashSet<>(w.content());
            need.retainAll(bad);
            need.removeAll(healed);
            for (Place place : w.places()) {
                for (Source source : sources) {
                    if (need.isEmpty()) {
                        break;
                    }
                    Fetched f = source.fetch(place.snapshot().snapshot(), place.path(), w.node());
                    if (f == null) {
                        continue;
                    }
                    try {
                        if (!f.temporary() && !chunked.add(source.name() + "\0" + f.file())) {
                            continue;
                        }
                        int before = need.size();
                        chunker.chunk(f.file(), (id, buf, off, len) -> {
                            if (need.remove(id) && !healed.contains(id)) {
                                repo.saveBlobAgain(BlobType.DATA, id, buf, off, len);
                                healed.add(id);
                            }
                        });
                        if (need.size() < before) {
                            healedFiles.add(new HealedFile(place.snapshot().id().shortHex(), place.path(),
                                    source.name()));
                        }
                    } catch (IOException e) {
                        // an unreadable source file is no source; the next one may do
                    } finally {
                        if (f.temporary()) {
                            deleteTree(f.folder() != null ? f.folder() : f.file());
                        }
                    }
                }
            }
        }
    }

    /**
     * Runs a backup over the folders of snapshot {@code s} that stores nothing but the blobs of {@code missing} it
     * regenerates (compared with {@code s}, so unchanged files are not read); adds those stored and read back to
     * {@code healed}. Returns whether it healed any.
     */
    private boolean rebuild(Repository.SnapshotRef s, Folders folders, Set<Id> missing, Set<Id> healed)
            throws IOException {
        Rebuild plan = folders.of(s.snapshot());
        if (plan == null || missing.isEmpty()) {
            return false;
        }
        Map<Id, PackedBlob> before = new HashMap<>();
        for (Id id : missing) {
            before.put(id, repo.index().get(id));
        }
        repo.storeOnly(missing);
        try {
            new triplicate.archiver.Archiver(repo, new triplicate.archiver.BackupOptions(plan.excludes(), List.of(),
                    s.snapshot().host(), s.snapshot().username(), s.id(), false, 0, null),
                    new triplicate.archiver.BackupProgress()).trees(plan.paths());
        } catch (TriplicateException e) {
            return false; // the folders are not as they were (a path vanished…): no source
        } finally {
            repo.storeOnly(null);
        }
        boolean any = false;
        for (Id id : missing) {
            if (!Objects.equals(repo.index().get(id), before.get(id)) && readsBack(id)) {
                healed.add(id);
                any = true;
            }
        }
        return any;
    }

    /** Entries of readable index files for {@code ids} in packs that are not damaged. */
    private List<PackedBlob> otherCopies(Set<Id> ids, Set<Id> damagedPacks) throws IOException {
        List<PackedBlob> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (FileInfo f : repo.backend().list(FileType.INDEX)) {
            List<PackedBlob> entries;
            try {
                entries = repo.readIndexFile(f.name());
            } catch (TriplicateException e) {
                continue;
            }
            for (PackedBlob b : entries) {
                if (ids.contains(b.id()) && !damagedPacks.contains(b.pack())) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** Reads the blob at {@code where}, and stores it again if it authenticates and hashes back to its id. */
    private boolean storeIfIntact(PackedBlob where) throws IOException {
        byte[] plain;
        try {
            plain = repo.openBlob(where, repo.loadSealed(where));
        } catch (TriplicateException e) {
            return false;
        }
        if (!hasher.id(plain, 0, plain.length).equals(where.id())) {
            return false;
        }
        repo.saveBlobAgain(where.type(), where.id(), plain, 0, plain.length);
        return true;
    }

    /** Whether the blob, where the index now serves it from, authenticates and hashes back to its id. */
    private boolean readsBack(Id id) {
        PackedBlob where = repo.index().get(id);
        try {
            byte[] plain = repo.openBlob(where, repo.loadSealed(where));
            return hasher.id(plain, 0, plain.length).equals(id);
        } catch (IOException | TriplicateException e) {
            return false;
        }
    }

    /**
     * Collects the files under tree {@code id} of snapshot {@code s} that use a damaged blob (into {@code wants}),
     * and reports damaged folder listings. {@code clean} remembers the trees already known to use no damaged blob.
     */
    private void walk(Repository.SnapshotRef s, Id id, String path, Set<Id> bad, Set<Id> stillBad, Set<Id> used,
                      Map<List<Id>, Want> wants, List<Unhealed> unhealed, Map<Id, Boolean> clean) throws IOException {
        if (clean.containsKey(id)) {
            return;
        }
        Tree t;
        try {
            t = repo.loadTree(id);
        } catch (TriplicateException e) {
            unhealed.add(new Unhealed(s.id().shortHex(), path + "/", "folder listing unreadable: " + e.getMessage()));
            return;
        }
        boolean found = false;
        for (Node n : t.nodes()) {
            String p = path.isEmpty() ? n.name() : path + "/" + n.name();
            if (n.type() == NodeType.DIR && n.subtree() != null) {
                if (bad.contains(n.subtree())) {
                    used.add(n.subtree());
                }
                if (stillBad.contains(n.subtree())) {
                    found = true;
                    unhealed.add(new Unhealed(s.id().shortHex(), p + "/", "its folder listing (tree blob "
                            + n.subtree().shortHex() + ") is damaged, and the folder is not here as it was backed"
                            + " up: the files in it cannot be restored from this snapshot"));
                    continue;
                }
                walk(s, n.subtree(), p, bad, stillBad, used, wants, unhealed, clean);
                found |= !clean.containsKey(n.subtree());
            } else if (n.type() == NodeType.FILE && n.content() != null
                    && n.content().stream().anyMatch(bad::contains)) {
                found = true;
                n.content().stream().filter(bad::contains).forEach(used::add);
                wants.computeIfAbsent(n.content(), k -> new Want(k, new ArrayList<>(), n)).places()
                        .add(new Place(s, p));
            }
        }
        if (!found) {
            clean.put(id, true);
        }
    }

    /** The node at {@code path} under tree {@code root} of {@code repo}, or null. */
    static Node nodeAt(Repository repo, Id root, String path) throws IOException {
        Tree t;
        try {
            t = repo.loadTree(root);
        } catch (TriplicateException e) {
            return null;
        }
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            Node found = null;
            for (Node n : t.nodes()) {
                if (n.name().equals(parts[i])) {
                    found = n;
                    break;
                }
            }
            if (found == null || i == parts.length - 1) {
                return found;
            }
            if (found.type() != NodeType.DIR || found.subtree() == null) {
                return null;
            }
            try {
                t = repo.loadTree(found.subtree());
            } catch (TriplicateException e) {
                return null;
            }
        }
        return null;
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException ignored) {
            // a temporary file left behind is only space; it is in the scratch folder, under a hidden name
        }
    }
}
