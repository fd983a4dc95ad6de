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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
 * Packs are read on several threads, each reusing one pack-sized buffer.
 */
public final class Checker {
    private final Repository repo;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<Id> badBlobs = new HashSet<>();
    private final Map<Id, List<String>> problemsUnder = new HashMap<>();
    /** Packs found damaged, missing or truncated, with the first reason. */
    private final Map<Id, String> damagedPacks = new java.util.TreeMap<>();
    private int trees;

    private final int threads;

    /** A checker that reads packs on as many threads as there are processors (at least 2). */
    public Checker(Repository repo) {
        this(repo, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** A checker that reads packs on {@code threads} threads; each holds one pack in memory at a time. */
    public Checker(Repository repo, int threads) {
        this.repo = repo;
        this.threads = Math.max(1, threads);
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
            if (size == null && repo.index().isRetiring(e.getKey())) {
                // a prune plan's pack, deleted since the index was read: its blobs are unreferenced, or stored
                // elsewhere too (the walk below finds any that is not)
                e.getValue().forEach(b -> badBlobs.add(b.id()));
                continue;
            }
            if (size == null) {
                errors.add("pack " + e.getKey().shortHex() + " is missing (" + e.getValue().size() + " blobs lost)");
                damagedPacks.putIfAbsent(e.getKey(), "missing");
                e.getValue().forEach(b -> badBlobs.add(b.id()));
            } else if (size < end + 4 + 28) {
                errors.add("pack " + e.getKey().shortHex() + " is truncated (" + size + " bytes, at least "
                        + (end + 32) + " expected)");
                damagedPacks.putIfAbsent(e.getKey(), "truncated");
                e.getValue().forEach(b -> badBlobs.add(b.id()));
            }
        }
        for (Id p : stored.keySet()) {
            // knowsPack, not byPack: a pack whose blobs are all indexed elsewhere too (two backups at once stored
            // the same blobs) is still named by an index file
            if (!repo.index().knowsPack(p) && repo.index().isRetiring(p)) {
                warnings.add("pack " + p.shortHex() + " is being deleted by a prune (no index names it any more; the"
                        + " next prune deletes it)");
            } else if (!repo.index().knowsPack(p)) {
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
            List<PackResult> results = readPacks(packs, byPack, stored);
            for (int i = 0; i < packs.size(); i++) {
                PackResult r = results.get(i);
                if (!r.errors().isEmpty()) {
                    damagedPacks.putIfAbsent(packs.get(i), r.errors().get(0));
                }
                errors.addAll(r.errors());
                badBlobs.addAll(r.badBlobs());
                bytesRead += r.bytesRead();
                packsRead++;
            }
        }

        repo.locks().plans((name, e) -> warnings.add("prune plan " + name.substring(0, 13) + " is damaged ("
                + e.getMessage() + "); nobody carries it out, so its packs stay (the next prune removes it)"));
        repo.locks().forgetRecords((name, e) -> warnings.add("forget record " + name.substring(0, 15)
                + " is damaged (" + e.getMessage() + "); the snapshots it names count as live"));
        List<Repository.SnapshotRef> snaps = repo.listSnapshots((name, e) ->
                errors.add("snapshot " + name.substring(0, 8) + ": " + e.getMessage()));
        // a backup running meanwhile stores its index files before its snapshot: read those of the snapshots listed
        repo.refreshIndex();
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

    /**
     * The damage the last {@link #check} found, for repairs ({@code heal}): the packs that are missing, truncated or
     * damaged (whose content does not match their name, whose header does not match the index, or that hold a blob
     * that does not authenticate), each with the first reason; and the blobs that cannot be read where the index
     * says they are. Only packs that were read can be known to be damaged: check with {@code readDataFraction} 1 to
     * know all.
     */
    public record Damage(Map<Id, String> packs, Set<Id> blobs) {
        public Damage {
            packs = Collections.unmodifiableMap(new java.util.TreeMap<>(packs));
            blobs = Set.copyOf(blobs);
        }

        public boolean none() {
            return packs.isEmpty() && blobs.isEmpty();
        }
    }

    /** The damage found by the last {@link #check}. */
    public Damage damage() {
        return new Damage(damagedPacks, badBlobs);
    }

    /** What reading one pack found. */
    private record PackResult(List<String> errors, List<Id> badBlobs, long bytesRead) {
    }

    /**
     * Reads the packs on {@link #threads} threads, each with one pack buffer it reuses; returns the results in the
     * order of {@code packs}, so the report does not depend on timing.
     */
    private List<PackResult> readPacks(List<Id> packs, Map<Id, List<PackedBlob>> byPack, Map<Id, Long> stored)
            throws IOException {
        ThreadLocal<IdHasher> hashers = ThreadLocal.withInitial(repo::newIdHasher);
        ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> new byte[1][]);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "triplicate-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PackResult>> futures = new ArrayList<>(packs.size());
            for (Id p : packs) {
                futures.add(pool.submit(() -> readPack(p, byPack.getOrDefault(p, List.of()), stored.get(p), hashers.get(),
                        buffers.get())));
            }
            List<PackResult> out = new ArrayList<>(packs.size());
            for (Future<PackResult> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("check interrupted");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads one pack of {@code size} bytes into {@code buffer[0]} (grown as needed) and verifies it. */
    private PackResult readPack(Id pack, List<PackedBlob> indexed, long size, IdHasher hasher, byte[][] buffer)
            throws IOException {
        List<String> errs = new ArrayList<>();
        List<Id> bad = new ArrayList<>();
        if (size > Integer.MAX_VALUE - 16) {
            errs.add("pack " + pack.shortHex() + " is impossibly large (" + size + " bytes)");
            indexed.forEach(b -> bad.add(b.id()));
            return new PackResult(errs, bad, 0);
        }
        int length = (int) size;
        if (buffer[0] == null || buffer[0].length < length) {
            buffer[0] = new byte[Math.max(length, repo.config().packSize() + 64 * 1024)];
        }
        byte[] bytes = buffer[0];
        try {
            repo.backend().load(new Handle(FileType.PACK, pack.hex()), 0, bytes, 0, length);
        } catch (NoSuchFileException e) {
            if (repo.index().isRetiring(pack)) {
                return new PackResult(errs, bad, 0); // a prune deleted it meanwhile, as planned
            }
            errs.add("pack " + pack.shortHex() + " vanished during the check");
            indexed.forEach(b -> bad.add(b.id()));
            return new PackResult(errs, bad, 0);
        } catch (java.io.EOFException e) {
            errs.add("pack " + pack.shortHex() + " shrank during the check");
            indexed.forEach(b -> bad.add(b.id()));
            return new PackResult(errs, bad, 0);
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update(bytes, 0, length);
        if (!Id.of(sha256.digest()).equals(pack)) {
            errs.add("pack " + pack.shortHex() + " is damaged: its content does not match its name");
        }
        Map<Id, PackedBlob> inHeader = new HashMap<>();
        try {
            for (PackedBlob b : PackHeader.decode(pack, tail(bytes, length), length, repo.sealer())) {
                inHeader.put(b.id(), b);
            }
        } catch (TriplicateException e) {
            errs.add("pack " + pack.shortHex() + ": header unreadable: " + e.getMessage());
        }
        int damaged = 0;
        Set<Id> indexedIds = new HashSet<>();
        for (PackedBlob b : indexed) {
            indexedIds.add(b.id());
            PackedBlob h = inHeader.get(b.id());
            if (!inHeader.isEmpty() && (h == null || h.offset() != b.offset() || h.length() != b.length())) {
                errs.add("pack " + pack.shortHex() + ": blob " + b.id().shortHex() + " is not where the index says");
            }
            if (!intact(b, bytes, length, hasher)) {
                damaged++;
                bad.add(b.id());
            }
        }
        // copies of blobs the index serves from another pack: damage here affects no file, but it is damage
        int copies = 0;
        for (PackedBlob h : inHeader.values()) {
            if (!indexedIds.contains(h.id())) {
                copies++;
                if (!intact(h, bytes, length, hasher)) {
                    damaged++;
                }
            }
        }
        if (damaged > 0) {
            errs.add("pack " + pack.shortHex() + ": " + damaged + " of " + (indexed.size() + copies)
                    + " blobs are damaged");
        }
        return new PackResult(errs, bad, length);
    }

    /** The sealed header and its length field: the end of the pack, as {@link PackHeader#decode} wants it. */
    private static byte[] tail(byte[] pack, int length) {
        if (length < 4) {
            return java.util.Arrays.copyOf(pack, length);
        }
        int headerLen = java.nio.ByteBuffer.wrap(pack, length - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        int from = headerLen >= 0 && headerLen <= length - 4 ? length - 4 - headerLen : 0;
        return java.util.Arrays.copyOfRange(pack, from, length);
    }

    /** Whether blob {@code b} of the pack's first {@code length} {@code bytes} authenticates and hashes to its id. */
    private boolean intact(PackedBlob b, byte[] bytes, int length, IdHasher hasher) {
        try {
            if (b.offset() + b.length() > length) {
                return false;
            }
            byte[] plain = repo.openBlob(b, bytes, (int) b.offset());
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
