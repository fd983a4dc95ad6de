package triplicate.maintenance;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.repository.pack.PackHeader;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Tree;

/**
 * Checks a vault: every index file and snapshot authenticates, every pack the index names exists with a plausible
 * size, every tree of every snapshot loads and every blob it references is indexed. With {@code readData}, every
 * byte of the selected packs is read: the pack's name must match its hash, its header must match the index, and
 * every blob must authenticate and hash back to its id. Damage is traced to the snapshots and paths it affects.
 */
public final class Checker {
    private final Repository repo;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<Id> badBlobs = new HashSet<>();
    private final Map<Id, List<String>> problemsUnder = new HashMap<>();
    private int trees;

    public Checker(Repository repo) {
        this.repo = repo;
    }

    /**
     * @param readDataFraction 0 for a structural check, 1 to read every pack, or in between to read that share of
     *                         the packs, chosen with {@code random}
     */
    public CheckResult check(double readDataFraction, Random random) throws IOException {
        Map<Id, Long> stored = new HashMap<>();
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            try {
                stored.put(Id.parse(f.name()), f.size());
            } catch (IllegalArgumentException e) {
                warnings.add("data/" + f.name() + " is not a pack name; ignored");
            }
        }
        // A damaged index file is damage while packs exist that no readable index names (their blobs are out of
        // reach); once a backup has re-indexed them from their headers, nothing depends on it any more.
        boolean everyPackIndexed = stored.keySet().stream().allMatch(repo.index()::knowsPack);
        repo.damagedIndexFiles().forEach((name, why) -> {
            String what = "index " + name.substring(0, 8) + ": " + why;
            if (everyPackIndexed) {
                warnings.add(what + "; every pack is named by another index file (a backup re-indexed them), so"
                        + " nothing depends on it");
            } else {
                errors.add(what);
            }
        });
        Map<Id, List<PackedBlob>> byPack = repo.index().byPack();
        for (Map.Entry<Id, List<PackedBlob>> e : byPack.entrySet()) {
            Long size = stored.get(e.getKey());
            long end = e.getValue().stream().mapToLong(b -> b.offset() + b.length()).max().orElse(0);
            if (size == null) {
                errors.add("pack " + e.getKey().shortHex() + " is missing (" + e.getValue().size() + " blobs lost)");
                e.getValue().forEach(b -> badBlobs.add(b.id()));
            } else if (size < end + 4 + 28) {
                errors.add("pack " + e.getKey().shortHex() + " is truncated (" + size + " bytes, at least "
                        + (end + 32) + " expected)");
                e.getValue().forEach(b -> badBlobs.add(b.id()));
            }
        }
        for (Id p : stored.keySet()) {
            // knowsPack, not byPack: a pack whose blobs are all indexed elsewhere too (two backups at once stored
            // the same blobs) is still named by an index file
            if (!repo.index().knowsPack(p)) {
                warnings.add("pack " + p.shortHex() + " is not in any index (left by an interrupted backup"
                        + (repo.damagedIndexFiles().isEmpty() ? "" : ", or named by a damaged index file")
                        + "; the next backup indexes and reuses it)");
            }
        }

        int packsRead = 0;
        long bytesRead = 0;
        if (readDataFraction > 0) {
            List<Id> packs = new ArrayList<>(stored.keySet());
            packs.removeIf(p -> !repo.index().knowsPack(p));
            Collections.sort(packs);
            if (readDataFraction < 1) {
                Collections.shuffle(packs, random);
                packs = packs.subList(0, (int) Math.ceil(packs.size() * readDataFraction));
            }
            IdHasher hasher = repo.newIdHasher();
            for (Id p : packs) {
                bytesRead += readPack(p, byPack.getOrDefault(p, List.of()), hasher);
                packsRead++;
            }
        }

        List<Repository.SnapshotRef> snaps = repo.listSnapshots((name, e) ->
                errors.add("snapshot " + name.substring(0, 8) + ": " + e.getMessage()));
        Map<String, List<String>> affected = new LinkedHashMap<>();
        for (Repository.SnapshotRef s : snaps) {
            List<String> bad = walk(s.snapshot().tree());
            if (!bad.isEmpty()) {
                affected.put(s.id().hex(), bad);
            }
        }
        if (!affected.isEmpty()) {
            for (Map.Entry<String, List<String>> e : affected.entrySet()) {
                errors.add("snapshot " + e.getKey().substring(0, 8) + ": " + e.getValue().size()
                        + " path(s) damaged: " + String.join(", ", e.getValue().subList(0, Math.min(10, e.getValue().size())))
                        + (e.getValue().size() > 10 ? ", …" : ""));
            }
        }
        return new CheckResult(snaps.size(), trees, repo.index().size(), stored.size(), packsRead, bytesRead,
                List.copyOf(errors), List.copyOf(warnings), affected);
    }

    private long readPack(Id pack, List<PackedBlob> indexed, IdHasher hasher) throws IOException {
        byte[] bytes;
        try {
            bytes = repo.backend().load(new Handle(FileType.PACK, pack.hex()));
        } catch (NoSuchFileException e) {
            errors.add("pack " + pack.shortHex() + " vanished during the check");
            indexed.forEach(b -> badBlobs.add(b.id()));
            return 0;
        }
        if (!Repository.sha256(bytes).equals(pack)) {
            errors.add("pack " + pack.shortHex() + " is damaged: its content does not match its name");
        }
        Map<Id, PackedBlob> inHeader = new HashMap<>();
        try {
            for (PackedBlob b : PackHeader.decode(pack, bytes, bytes.length, repo.sealer())) {
                inHeader.put(b.id(), b);
            }
        } catch (TriplicateException e) {
            errors.add("pack " + pack.shortHex() + ": header unreadable: " + e.getMessage());
        }
        int damaged = 0;
        Set<Id> indexedIds = new HashSet<>();
        for (PackedBlob b : indexed) {
            indexedIds.add(b.id());
            PackedBlob h = inHeader.get(b.id());
            if (!inHeader.isEmpty() && (h == null || h.offset() != b.offset() || h.length() != b.length())) {
                errors.add("pack " + pack.shortHex() + ": blob " + b.id().shortHex() + " is not where the index says");
            }
            if (!intact(b, bytes, hasher)) {
                damaged++;
                badBlobs.add(b.id());
            }
        }
        // copies of blobs the index serves from another pack: damage here affects no file, but it is damage
        int copies = 0;
        for (PackedBlob h : inHeader.values()) {
            if (!indexedIds.contains(h.id())) {
                copies++;
                if (!intact(h, bytes, hasher)) {
                    damaged++;
                }
            }
        }
        if (damaged > 0) {
            errors.add("pack " + pack.shortHex() + ": " + damaged + " of " + (indexed.size() + copies)
                    + " blobs are damaged");
        }
        return bytes.length;
    }

    /** Whether blob {@code b} of the pack's {@code bytes} authenticates and hashes back to its id. */
    private boolean intact(PackedBlob b, byte[] bytes, IdHasher hasher) {
        try {
            if (b.offset() + b.length() > bytes.length) {
                return false;
            }
            byte[] plain = repo.openBlob(b, java.util.Arrays.copyOfRange(bytes, (int) b.offset(),
                    (int) (b.offset() + b.length())));
            return hasher.id(plain, 0, plain.length).equals(b.id());
        } catch (TriplicateException e) {
            return false;
        }
    }

    /** Paths (relative to the snapshot root) whose data is missing or damaged under tree {@code id}. */
    private List<String> walk(Id id) {
        List<String> known = problemsUnder.get(id);
        if (known != null) {
            return known;
        }
        List<String> out = new ArrayList<>();
        Tree t;
        try {
            if (badBlobs.contains(id)) {
                throw new TriplicateException("tree blob is damaged");
            }
            t = repo.loadTree(id);
            trees++;
        } catch (IOException | TriplicateException e) {
            out.add("(folder) — " + e.getMessage());
            problemsUnder.put(id, out);
            return out;
        }
        for (Node n : t.nodes()) {
            if (n.type() == NodeType.DIR) {
                if (n.subtree() == null) {
                    out.add(n.name() + "/ (no tree)");
                    continue;
                }
                for (String p : walk(n.subtree())) {
                    out.add(n.name() + "/" + p);
                }
            } else if (n.type() == NodeType.FILE && n.content() != null) {
                for (Id c : n.content()) {
                    PackedBlob b = repo.index().get(c);
                    if (b == null || badBlobs.contains(c) || b.type() != BlobType.DATA) {
                        out.add(n.name());
                        break;
                    }
                }
            }
        }
        problemsUnder.put(id, out);
        return out;
    }

}
