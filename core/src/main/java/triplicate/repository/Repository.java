package triplicate.repository;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.core.VaultCorruptException;
import triplicate.core.VaultNotFoundException;
import triplicate.core.WrongPasswordException;
import triplicate.crypto.IdHasher;
import triplicate.crypto.KeyFiles;
import triplicate.crypto.KeyInfo;
import triplicate.crypto.MasterKey;
import triplicate.crypto.Password;
import triplicate.crypto.Sealer;
import triplicate.repository.index.IndexFile;
import triplicate.repository.index.MasterIndex;
import triplicate.repository.index.PackedBlob;
import triplicate.repository.pack.PackBuilder;
import triplicate.repository.pack.PackHeader;
import triplicate.snapshot.Json;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * An open vault. Reading is thread-safe. Writing ({@link #saveBlob}) is thread-safe and asynchronous: blobs are
 * sealed on the caller's thread, collected into packs and uploaded in the background; {@link #flush} waits for every
 * pack and writes the index files that name them. Write order is packs → index → snapshot, so a crash at any point
 * leaves no snapshot that points at missing data; packs written before a crash are picked up by
 * {@link #indexOrphanPacks} and reused.
 */
public final class Repository implements AutoCloseable {
    static final byte[] INDEX_AAD = "triplicate index v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT_AAD = "triplicate snapshot v1".getBytes(StandardCharsets.US_ASCII);
    /** Index files are written when this many packs are waiting for one, and at {@link #flush}. */
    static final int PACKS_PER_INDEX = 16;
    /** ... or when the oldest waiting pack has waited this long. */
    static final long INDEX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Backend backend;
    private final MasterKey key;
    private final Sealer sealer;
    private final VaultConfig config;
    private final String keyName;
    private final RepositoryOptions options;
    private final MasterIndex index = new MasterIndex();
    private final LockFolder locks;
    /** Index files read into {@link #index}, so a refresh reads only new ones. */
    private final Set<String> loadedIndexFiles = ConcurrentHashMap.newKeySet();
    /** The format version of the stored config (1 until {@link #upgrade()}). */
    private volatile int formatVersion;
    /** The config file's bytes are in an upgrade record only (an upgrade was interrupted; see {@link #upgrade()}). */
    private volatile byte[] pendingUpgrade;
    private final ZstdContexts zstd = new ZstdContexts(BlobCodec.LEVEL, BlobCodec.SAMPLE_LEVEL);
    private final Map<String, String> damagedIndex = new ConcurrentHashMap<>();
    private final Set<Id> pending = ConcurrentHashMap.newKeySet();
    /** Blobs being stored again by {@link #saveBlobAgain}: their new copy replaces the old one in the index. */
    private final Set<Id> storingAgain = ConcurrentHashMap.newKeySet();
    /** When set, the only blobs this session stores ({@link #storeOnly}). */
    private volatile Set<Id> storeOnly;
    private final Map<Id, Tree> treeCache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Tree> eldest) {
            return size() > 2048;
        }
    });

    // writing state
    private final Object packLock = new Object();
    /**
     * The packs being filled, one for data blobs and one for tree blobs (indexed by {@link #slot}); each null until a
     * blob needs it (it then holds one of the {@link #packBuffers}). Trees never share a pack with data, so a pack of
     * data alone can go to a cold storage class while folder listings stay readable ({@link PackBuilder.Pack#storageHint}).
     */
    private final PackBuilder[] current = new PackBuilder[2];
    /** Buffers of saved packs, reused for new ones (see {@link #recycle}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> freePackBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ExecutorService uploaders;
    /**
     * One permit per pack buffer: the pack being filled and those being uploaded. Bounds the memory of a backup to
     * this many packs, however fast the workers are and however slow the backend.
     */
    private final Semaphore packBuffers;
    private final int packBufferCount;
    private final List<Future<?>> uploads = new ArrayList<>();
    private final Object indexLock = new Object();
    private final List<PackedBlob> unindexed = new ArrayList<>();
    private int unindexedPacks;
    private long oldestUnindexed;
    private volatile Throwable failure;
    private final WriteStats stats = new WriteStats();

    private Repository(Backend backend, MasterKey key, VaultConfig config, String keyName, RepositoryOptions options,
                       int formatVersion) {
        this.backend = backend;
        this.key = key;
        this.sealer = key.sealer();
        this.locks = new LockFolder(backend, sealer);
        this.formatVersion = formatVersion;
        this.config = config;
        this.keyName = keyName;
        this.options = options;
        this.uploaders = Executors.newFixedThreadPool(options.uploadThreads(), r -> {
            Thread t = new Thread(r, "triplicate-upload");
            t.setDaemon(true);
            return t;
        });
        this.packBufferCount = packBufferCount(options.uploadThreads(), config.packSize() + 64 * 1024,
                Runtime.getRuntime().maxMemory());
        this.packBuffers = new Semaphore(packBufferCount);
    }

    /**
     * How many packs may be in memory at once: one being filled and one per upload in flight, but no more than
     * {@value #PACK_HEAP_SHARE}% of the heap holds, and at least two. With a network backend's many connections and
     * 16 MiB packs, one pack per connection does not fit the CLI's bounded heap (136 MiB) beside the chunkers'
     * buffers; fewer uploads in flight than connections costs little, as each upload keeps its connection busy.
     */
    static final int PACK_HEAP_SHARE = 40;

    static int packBufferCount(int uploadThreads, long packBufferSize, long maxHeap) {
        long fit = maxHeap / 100 * PACK_HEAP_SHARE / packBufferSize;
        return (int) Math.max(2, Math.min(uploadThreads + 1, fit));
    }

    /** Creates a new vault on an empty backend and returns it open. */
    public static Repository init(Backend backend, Password password, RepositoryOptions options) throws IOException {
        return init(backend, password, options, null);
    }

    /**
     * Creates a new vault whose chunker has exactly {@code chunker}'s sizes and seed (those of another vault, so that
     * equal files are cut into equal chunks in both, which lets {@code copy} move chunks between them without cutting
     * them again); {@code options}' chunk sizes are ignored. A null {@code chunker} draws a fresh seed as
     * {@link #init(Backend, Password, RepositoryOptions)} does.
     */
    public static Repository init(Backend backend, Password password, RepositoryOptions options,
                                  triplicate.chunker.ChunkerParams chunker) throws IOException {
        if (backend.exists(Handle.config())) {
            throw new TriplicateException("there is already a vault at " + backend.location());
        }
        MasterKey key = MasterKey.generate(options.random());
        byte[] seed = new byte[8];
        options.random().nextBytes(seed);
        byte[] vaultId = new byte[Id.LENGTH];
        options.random().nextBytes(vaultId);
        if (chunker == null) {
            chunker = options.chunkerParams(ByteBuffer.wrap(seed).getLong());
        }
        VaultConfig config = new VaultConfig(Id.of(vaultId), options.clock().instant(), chunker.seed(),
                chunker.minSize(), chunker.avgSize(), chunker.maxSize(), options.packSize());
        byte[] keyFile = KeyFiles.wrap(key, password, options.kdf(), options.random(), options.clock().instant(),
                options.host(), options.username());
        String keyName = sha256(keyFile).hex();
        // the key first: a config without a key would be a vault nobody can open
        backend.save(new Handle(FileType.KEY, keyName), Source.of(keyFile));
        backend.save(Handle.config(), Source.of(config.seal(key.sealer())));
        return new Repository(backend, key, config, keyName, options, VaultConfig.VERSION);
    }

    /** Opens an existing vault with {@code password}. */
    public static Repository open(Backend backend, Password password, RepositoryOptions options) throws IOException {
        byte[] stored;
        byte[] pendingUpgrade = null;
        try {
            stored = backend.load(Handle.config());
        } catch (NoSuchFileException e) {
            // an upgrade removed the old config and was interrupted before it saved the new one: the new one is
            // in its upgrade record (read it from there; 'triplicate migrate' completes the upgrade)
            stored = pendingUpgrade = upgradeRecord(backend);
            if (stored == null) {
                throw new VaultNotFoundException("there is no vault at " + backend.location()
                        + " (no config file); create one with 'triplicate init'");
            }
        }
        VaultConfig.Outer outer = VaultConfig.readOuter(stored, backend.location());
        List<FileInfo> keys = backend.list(FileType.KEY);
        if (keys.isEmpty()) {
            throw new VaultCorruptException("the vault at " + backend.location() + " has no key files: it cannot be opened");
        }
        List<String> damaged = new ArrayList<>();
        VaultCorruptException configRefused = null;
        int tried = 0;
        for (FileInfo k : keys) {
            byte[] bytes = backend.load(new Handle(FileType.KEY, k.name()));
            String shortName = k.name().substring(0, Math.min(8, k.name().length()));
            MasterKey key;
            try {
                key = KeyFiles.unwrap(bytes, password);
            } catch (WrongPasswordException e) {
                // a key file is named by its hash: one that no longer matches its name was damaged, and a damaged
                // key file looks to the password check exactly like a wrong password
                if (sha256(bytes).hex().equals(k.name())) {
                    tried++;
                } else {
                    damaged.add(shortName + ": its content does not match its name");
                }
                continue;
            } catch (VaultCorruptException e) {
                damaged.add(shortName + ": " + e.getMessage());
                continue;
            }
            VaultConfig config;
            try {
                config = VaultConfig.open(outer, key.sealer(), backend.location());
            } catch (VaultCorruptException e) {
                // The password opens this key file but its master key does not open the config: either the config
                // is damaged, or the key belongs to no vault: init saves the key first, so an init interrupted
                // before it saved the config, then run again, leaves a key for a master key nothing uses. Try the
                // other keys before blaming the config.
                key.close();
                configRefused = configRefused == null ? e : configRefused;
                continue;
            }
            Repository repo = new Repository(backend, key, config, k.name(), options, outer.version());
            repo.pendingUpgrade = pendingUpgrade;
            try {
                repo.refreshRetention();
            } catch (IOException | RuntimeException e) {
                repo.close();
                throw e;
            }
            return repo;
        }
        if (configRefused != null) {
            throw configRefused;
        }
        if (tried == 0) {
            throw new VaultCorruptException((damaged.size() == 1 ? "the key file of the vault at " + backend.location()
                    + " is damaged" : "all " + damaged.size() + " key files of the vault at " + backend.location()
                    + " are damaged") + ", so no password can open it (" + String.join("; ", damaged) + "); restore"
                    + " the keys folder from a copy of the vault");
        }
        String msg = "wrong password: none of the " + keys.size() + " key(s) of the vault at " + backend.location()
                + " opens with it";
        if (!damaged.isEmpty()) {
            msg += " (damaged key files: " + String.join("; ", damaged) + ")";
        }
        throw new WrongPasswordException(msg);
    }

    public VaultConfig config() {
        return config;
    }

    /** The format version of the vault: 1 (as written before retention existed) or 2. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The vault's {@code locks/} folder: session markers, prune plans, forget records. */
    public LockFolder locks() {
        return locks;
    }

    /** The options the vault was opened with (clock, randomness, host, user, heartbeat). */
    public RepositoryOptions options() {
        return options;
    }

    public Backend backend() {
        return backend;
    }

    public MasterIndex index() {
        return index;
    }

    public Sealer sealer() {
        return sealer;
    }

    /** A blob-id hasher for one thread. */
    public IdHasher newIdHasher() {
        return key.newIdHasher();
    }

    /** The name of the key file this vault was opened with. */
    public String keyName() {
        return keyName;
    }

    public WriteStats writeStats() {
        return stats;
    }

    // ---------------------------------------------------------------------------------------------- index

    /**
     * Reads every index file into the master index. A damaged index file does not stop the vault from opening: it is
     * recorded in {@link #damagedIndexFiles()} (check reports it) and its packs are re-indexed from their headers by
     * the next backup.
     */
    public void loadIndex() throws IOException {
        refreshIndex();
    }

    /**
     * Brings the master index up to date with the index files stored now: reads the new ones; if any file read
     * before is gone (a prune replaced it by one without the packs it deleted), reads them all again, so no location
     * in a deleted pack survives. Call it only while nothing written in this session awaits its index file.
     */
    public void refreshIndex() throws IOException {
        for (int attempt = 0; ; attempt++) {
            Set<String> names = new java.util.HashSet<>();
            for (FileInfo f : backend.list(FileType.INDEX)) {
                names.add(f.name());
            }
            boolean full = !names.containsAll(loadedIndexFiles);
            List<List<PackedBlob>> files = new ArrayList<>();
            Map<String, String> damaged = new java.util.HashMap<>();
            boolean vanished = false;
            for (String name : names) {
                if (!full && loadedIndexFiles.contains(name)) {
                    continue;
                }
                try {
                    files.add(readIndexFile(name));
                } catch (NoSuchFileException e) {
                    vanished = true; // rewritten by a prune meanwhile: list again
                    break;
                } catch (VaultCorruptException e) {
                    damaged.put(name, e.getMessage());
                }
            }
            if (vanished && attempt < 8) {
                continue;
            }
            if (vanished) {
                throw new IOException(backend.location() + ": index files kept vanishing while being read (a prune"
                        + " rewriting them?); try again");
            }
            if (full) {
                index.replaceAll(files, index.retiring());
                loadedIndexFiles.clear();
                damagedIndex.clear();
            } else {
                for (List<PackedBlob> f : files) {
                    index.addAll(f);
                }
            }
            loadedIndexFiles.addAll(names);
            loadedIndexFiles.removeAll(damaged.keySet());
            damagedIndex.putAll(damaged);
            return;
        }
    }

    /**
     * Reads the prune plans (which packs are retiring, see {@link MasterIndex}) and reads the index again with them,
     * so that blobs whose only copies are in retiring packs do not count as present. A backup calls this after it
     * has announced itself ({@link #startSession}); opening the vault calls it too.
     */
    public void refreshRetention() throws IOException {
        Set<Id> retiring = new java.util.HashSet<>();
        for (LockFolder.Plan p : locks.plans((name, e) -> {
            // an unreadable plan is carried out by nobody, so its packs stay
        })) {
            retiring.addAll(p.packs());
        }
        if (!retiring.equals(index.retiring())) {
            index.replaceAll(List.of(), retiring);
            loadedIndexFiles.clear();
        }
        refreshIndex();
    }

    /** Index files that could not be read when the vault was opened, with the reason. */
    public Map<String, String> damagedIndexFiles() {
        return Map.copyOf(damagedIndex);
    }

    /** Reads and authenticates one index file. */
    public List<PackedBlob> readIndexFile(String name) throws IOException {
        byte[] stored = backend.load(new Handle(FileType.INDEX, name));
        verifyName(FileType.INDEX, name, stored);
        byte[] compressed;
        try {
            compressed = sealer.open(stored, 0, stored.length, INDEX_AAD);
        } catch (VaultCorruptException e) {
            throw new VaultCorruptException("index " + name.substring(0, 8) + " failed authentication (damaged)", e);
        }
        long size = Zstd.getFrameContentSize(compressed);
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new VaultCorruptException("index " + name + ": damaged (bad compressed frame)");
        }
        return IndexFile.decode(name, Zstd.decompress(compressed, (int) size));
    }

    /**
     * Finds packs that no index file names (left by an interrupted backup), reads their headers and writes an index
     * for them, so their blobs are reused instead of uploaded again. Returns the number of packs indexed.
     */
    public int indexOrphanPacks() throws IOException {
        List<PackedBlob> found = new ArrayList<>();
        int packs = 0;
        for (FileInfo f : backend.list(FileType.PACK)) {
            Id id;
            try {
                id = Id.parse(f.name());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (index.knowsPack(id) || index.isRetiring(id)) {
                continue; // a retiring pack is on its way out: a prune dropped it from the index before deleting it
            }
            try {
                found.addAll(readPackHeader(id, f.size()));
                packs++;
            } catch (VaultCorruptException e) {
                // a damaged orphan holds nothing we rely on; check reports it
            } catch (NoSuchFileException | java.io.EOFException e) {
                // deleted by a prune since the listing
            } catch (triplicate.core.ColdStorageException e) {
                // a data pack left by an interrupted backup, already in a cold class: its header cannot be read
                // without a thaw, so its blobs are stored again and the pack stays unindexed (a backup must not
                // wait hours for a thaw)
            }
        }
        if (!found.isEmpty()) {
            writeIndexFile(found);
            index.addAll(found);
        }
        return packs;
    }

    /** Reads the header of a pack of {@code size} bytes. */
    public List<PackedBlob> readPackHeader(Id pack, long size) throws IOException {
        Handle h = new Handle(FileType.PACK, pack.hex());
        int tailLen = (int) Math.min(size, 64 * 1024);
        byte[] tail = backend.load(h, size - tailLen, tailLen);
        int headerLen = ByteBuffer.wrap(tail, tail.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (headerLen + 4 > tailLen && headerLen > 0 && headerLen + 4L <= size) {
            tail = backend.load(h, size - headerLen - 4, headerLen + 4);
        }
        return PackHeader.decode(pack, tail, size, sealer);
    }

    private String writeIndexFile(List<PackedBlob> blobs) throws IOException {
        byte[] plain = IndexFile.encode(blobs);
        byte[] compressed = Zstd.compress(plain, 3);
        byte[] sealed = sealer.seal(compressed, 0, compressed.length, INDEX_AAD);
        String name = sha256(sealed).hex();
        saveOnce(new Handle(FileType.INDEX, name), sealed);
        loadedIndexFiles.add(name);
        return name;
    }

    /**
     * Rewrites every index file that names one of {@code packs} without them, so those packs can be deleted: the
     * new files are all stored before any old one is removed, so a reader always finds every other blob (one that
     * lists the folder between the two steps sees both versions, which is harmless: they agree). Damaged index files
     * are left alone (nobody can read them). Then reads the index again. Returns how many files were rewritten.
     */
    public int dropFromIndex(Set<Id> packs) throws IOException {
        List<String> replaced = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.INDEX)) {
            List<PackedBlob> entries;
            try {
                entries = readIndexFile(f.name());
            } catch (NoSuchFileException | VaultCorruptException e) {
                continue;
            }
            if (entries.stream().noneMatch(b -> packs.contains(b.pack()))) {
                continue;
            }
            List<PackedBlob> keep = entries.stream().filter(b -> !packs.contains(b.pack())).toList();
            if (!keep.isEmpty()) {
                writeIndexFile(keep);
            }
            replaced.add(f.name());
        }
        for (String name : replaced) {
            try {
                backend.remove(new Handle(FileType.INDEX, name));
            } catch (NoSuchFileException e) {
                // removed already (a prune interrupted after this step, run again)
            }
        }
        refreshIndex();
        return replaced.size();
    }

    /** What {@link #rewriteIndex} did: index files written anew (and their old versions deleted), entries dropped, packs deleted. */
    public record IndexRewrite(int indexFilesRewritten, int entriesDropped, int packsDeleted) {
    }

    /**
     * Drops index entries and deletes the packs no entry may name any more: besides prune, the only way a file of
     * the vault is deleted. An entry is dropped when {@code drop} accepts it or its pack is in {@code deletePacks}.
     * Before anything is written, every dropped entry's blob must be served by this session's index from a pack that
     * stays and that a kept entry of a readable index file names (a copy stored again by {@link #saveBlobAgain} and
     * {@link #flush}ed), unless it is one of {@code unneeded} (blobs the caller knows no snapshot uses: damaged ones
     * that are given up); otherwise this throws and changes nothing. Then, in this order, so that at every instant each
     * blob a snapshot needs is named by an index file and stored in a pack that exists:
     * <ol>
     *   <li>every readable index file holding a dropped entry is written anew without it (one that keeps nothing is
     *       not written);</li>
     *   <li>the packs of {@code deletePacks} are deleted: no index file written since names them, and as long as the
     *       old index files name them, a backup running meanwhile does not index them again as orphans;</li>
     *   <li>the old index files are deleted.</li>
     * </ol>
     * Index files written meanwhile by a backup are not touched. A damaged index file is left as it is (it cannot be
     * read, so it serves nothing). Interrupted between two steps, the vault is still whole: it holds some entries
     * twice, or entries naming a deleted pack next to entries naming the new copy, and the next run finishes the work.
     */
    public IndexRewrite rewriteIndex(java.util.function.Predicate<PackedBlob> drop, Set<Id> deletePacks,
                                     Set<Id> unneeded) throws IOException {
        java.util.function.Predicate<PackedBlob> dropped = b -> deletePacks.contains(b.pack()) || drop.test(b);
        Map<String, List<PackedBlob>> rewrite = new LinkedHashMap<>();
        Set<Id> droppedIds = new java.util.HashSet<>();
        Set<Id> keptPacks = new java.util.HashSet<>();
        int entries = 0;
        for (FileInfo f : backend.list(FileType.INDEX)) {
            List<PackedBlob> all;
            try {
                all = readIndexFile(f.name());
            } catch (VaultCorruptException e) {
                continue;
            }
            List<PackedBlob> keep = new ArrayList<>(all.size());
            for (PackedBlob b : all) {
                if (dropped.test(b)) {
                    droppedIds.add(b.id());
                    entries++;
                } else {
                    keep.add(b);
                    keptPacks.add(b.pack());
                }
            }
            if (keep.size() < all.size()) {
                rewrite.put(f.name(), keep);
            }
        }
        for (Id id : droppedIds) {
            if (unneeded.contains(id)) {
                continue;
            }
            PackedBlob now = index.get(id);
            if (now == null || dropped.test(now) || !keptPacks.contains(now.pack())) {
                throw new TriplicateException("refusing to drop blob " + id.shortHex() + " from the index: no other"
                        + " copy of it is stored and indexed; nothing was changed");
            }
        }
        for (List<PackedBlob> keep : rewrite.values()) {
            if (!keep.isEmpty()) {
                writeIndexFile(keep);
            }
        }
        int packs = 0;
        for (Id p : deletePacks) {
            try {
                backend.remove(new Handle(FileType.PACK, p.hex()));
                packs++;
            } catch (NoSuchFileException e) {
                // already gone (a missing pack, or a run interrupted after this step)
            }
        }
        index.forgetPacks(deletePacks);
        for (String name : rewrite.keySet()) {
            try {
                backend.remove(new Handle(FileType.INDEX, name));
            } catch (NoSuchFileException e) {
                // removed by a run that was interrupted after this step
            }
        }
        return new IndexRewrite(rewrite.size(), entries, packs);
    }

    /**
     * Throws unless the backend lets this vault delete files: saves a small marker under {@code locks/} and deletes
     * it. Work that must delete to finish (heal) asks first, so that on append-only storage it stops before it has
     * changed anything, instead of half-way (on such storage the marker stays: a few bytes, ignored by readers).
     */
    public void checkDeletesAllowed() throws IOException {
        byte[] name = new byte[16];
        options.random().nextBytes(name);
        Handle probe = new Handle(FileType.LOCK, "delete-probe-" + hex(name));
        backend.save(probe, Source.of("triplicate: a test that deletes are allowed\n".getBytes(StandardCharsets.US_ASCII)));
        try {
            backend.remove(probe);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new TriplicateException("the storage of " + backend.location() + " refuses deletions (append-only"
                    + " access?), and this needs to delete files it replaces; run it with credentials that may delete;"
                    + " nothing was changed", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- blobs

    /** Whether the vault has (or this session is storing) a blob with this id. */
    public boolean hasBlob(Id id) {
        return index.has(id) || pending.contains(id);
    }

    /**
     * Stores a blob unless the vault already has it. Seals on the calling thread; the upload happens in the
     * background (see {@link #flush}). Returns whether the blob was new.
     */
    public boolean saveBlob(BlobType type, Id id, byte[] plain) throws IOException {
        return saveBlob(type, id, plain, 0, plain.length);
    }

    /**
     * As {@link #saveBlob(BlobType, Id, byte[])} for {@code len} bytes of {@code plain} from {@code off}. The bytes
     * are sealed straight into the open pack before this returns, so the caller may reuse its buffer at once.
     */
    public boolean saveBlob(BlobType type, Id id, byte[] plain, int off, int len) throws IOException {
        return store(type, id, plain, off, len, false);
    }

    /**
     * Stores a blob again, in a new pack, even though the index already has it: how a blob whose stored copy is
     * damaged is written anew ({@code heal}). The caller must have verified that {@code plain} is the blob's
     * content (its id is the keyed hash of {@code plain}). Once its pack is saved, this session's index serves the
     * blob from the new copy, and the index file written by {@link #flush} names it; old index files still name the
     * old copy until {@link #rewriteIndex} drops it. Returns false if this session is already storing it.
     */
    public boolean saveBlobAgain(BlobType type, Id id, byte[] plain, int off, int len) throws IOException {
        return store(type, id, plain, off, len, true);
    }

    /**
     * Restricts what this session stores to the blobs {@code ids}, each stored anew even though the index names it
     * (as {@link #saveBlobAgain}); every other blob handed to {@link #saveBlob} is dropped unstored (it returns
     * false). Null lifts the restriction. How {@code heal} regenerates damaged blobs, folder listings included, by
     * running a backup of the original folders that stores nothing else: an id matching a damaged blob's verifies
     * the content, as for any blob.
     */
    public void storeOnly(Set<Id> ids) {
        storeOnly = ids == null ? null : Set.copyOf(ids);
    }

    private boolean store(BlobType type, Id id, byte[] plain, int off, int len, boolean again) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, plain.length);
        rethrowFailure();
        Set<Id> only = storeOnly;
        if (only != null) {
            if (!only.contains(id)) {
                return false;
            }
            again = true;
        }
        if ((!again && index.has(id)) || !pending.add(id)) {
            return false;
        }
        if (again) {
            storingAgain.add(id);
        }
        int sealedLength;
        try {
            BlobCodec.Payload payload = BlobCodec.payload(zstd, plain, off, len);
            byte[] aad = BlobCodec.aad(id, type);
            sealedLength = payload.length() + Sealer.OVERHEAD;
            addToPack(type, sealedLength, b -> b.seal(sealer, type, id, payload.bytes(), payload.offset(),
                    payload.length(), aad, len, payload.compressed()));
        } catch (IOException | RuntimeException e) {
            pending.remove(id); // not stored: a later attempt must not take it for stored
            storingAgain.remove(id);
            throw e;
        }
        stats.blobAdded(len, sealedLength);
        return true;
    }

    /** Which of {@link #current} takes blobs of {@code type}: trees and data never share a pack. */
    private static int slot(BlobType type) {
        return type == BlobType.TREE ? 1 : 0;
    }

    /**
     * Adds a blob of {@code sealedLength} bytes to the open pack for its type (by {@code add}), starting a pack when
     * needed, and uploads packs that are full. A pack ends before the blob that would take it past the pack size, so
     * pack buffers keep one size. A pack that must end first is handed to the uploaders before a new buffer is waited
     * for, outside {@link #packLock}: with two open packs (data and trees) and only two buffers, waiting for a
     * buffer while holding the pack that would free one could otherwise never end.
     */
    private void addToPack(BlobType type, int sealedLength, java.util.function.Consumer<PackBuilder> add)
            throws IOException {
        int slot = slot(type);
        while (true) {
            PackBuilder before = null;
            PackBuilder after = null;
            synchronized (packLock) {
                PackBuilder b = current[slot];
                if (b != null && b.count() > 0 && b.size() + sealedLength > config.packSize()) {
                    before = b;
                    current[slot] = null;
                } else {
                    if (b == null) {
                        b = newPackBuilder();
                        current[slot] = b;
                    }
                    add.accept(b);
                    if (b.size() >= config.packSize()) {
                        after = b;
                        current[slot] = null;
                    }
                }
            }
            if (before != null) {
                upload(before);
                continue; // and try again with a new pack
            }
            if (after != null) {
                upload(after);
            }
            return;
        }
    }

    /**
     * Stores a blob exactly as sealed elsewhere ({@code where.length()} bytes of {@code buf} from {@code off}) in a
     * new pack: prune copies the blobs still in use out of packs it is about to delete this way (a sealed blob is
     * bound to its id and type, not to its place). Stored even though the index knows the blob, as long as every
     * location known is in a retiring pack; returns whether it was stored. The caller has checked the bytes.
     */
    public boolean copyBlob(PackedBlob where, byte[] buf, int off) throws IOException {
        java.util.Objects.checkFromIndexSize(off, where.length(), buf.length);
        rethrowFailure();
        if (index.has(where.id()) || !pending.add(where.id())) {
            return false;
        }
        try {
            // by type, as when first stored: prune's repacks never put a tree into a pack of data (which may be cold)
            addToPack(where.type(), where.length(), b -> b.add(where.type(), where.id(), buf, off, where.length(),
                    where.rawLength(), where.compressed()));
        } catch (IOException | RuntimeException e) {
            pending.remove(where.id());
            throw e;
        }
        stats.blobAdded(where.rawLength(), where.length());
        return true;
    }

    /**
     * A builder for the next pack, reusing the buffer of a pack already saved when there is one. Waits while all
     * pack buffers are taken (by uploads in progress). Called with {@link #packLock} held; the uploads that free
     * buffers never take it.
     */
    private PackBuilder newPackBuilder() throws InterruptedIOException {
        try {
            packBuffers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a pack buffer");
        }
        return new PackBuilder(freePackBuffers.poll(), packBufferSize());
    }

    private int packBufferSize() {
        // the blobs plus a typical header (an entry is 42 bytes; 1 MiB chunks make a few dozen entries)
        return config.packSize() + 64 * 1024;
    }

    /** Keeps a saved pack's buffer for the next pack, unless enough are kept or it grew unusually large. */
    private void recycle(byte[] buffer) {
        if (buffer.length <= packBufferSize() && freePackBuffers.size() < packBufferCount) {
            freePackBuffers.offer(buffer);
        }
    }

    /** Finishes the pack (header, name) and saves it on an upload thread, which then frees its buffer. */
    private void upload(PackBuilder builder) throws IOException {
        Future<?> f;
        try {
            f = uploaders.submit(() -> {
                try {
                    PackBuilder.Pack pack = builder.finish(sealer);
                    saveOnce(new Handle(FileType.PACK, pack.id().hex()), pack);
                    stats.packWritten(pack.length());
                    packStored(pack.blobs());
                    recycle(pack.buffer());
                } catch (Throwable t) {
                    failure = failure == null ? t : failure;
                } finally {
                    packBuffers.release();
                }
            });
        } catch (RuntimeException e) {
            packBuffers.release();
            throw e;
        }
        synchronized (uploads) {
            uploads.removeIf(Future::isDone);
            uploads.add(f);
        }
    }

    private void packStored(List<PackedBlob> blobs) throws IOException {
        for (PackedBlob b : blobs) {
            if (storingAgain.remove(b.id())) {
                index.replace(b);
            }
        }
        index.addAll(blobs);
        List<PackedBlob> toWrite = null;
        synchronized (indexLock) {
            if (unindexed.isEmpty()) {
                oldestUnindexed = System.nanoTime();
            }
            unindexed.addAll(blobs);
            unindexedPacks++;
            if (unindexedPacks >= PACKS_PER_INDEX || System.nanoTime() - oldestUnindexed >= INDEX_INTERVAL_NANOS) {
                toWrite = new ArrayList<>(unindexed);
                unindexed.clear();
                unindexedPacks = 0;
            }
        }
        if (toWrite != null) {
            writeIndexFile(toWrite);
        }
        for (PackedBlob b : blobs) {
            pending.remove(b.id());
        }
    }

    /** Writes the open pack, waits for every upload and writes the index files that name them. */
    public void flush() throws IOException {
        List<PackBuilder> last = new ArrayList<>(2);
        synchronized (packLock) {
            for (int i = 0; i < current.length; i++) {
                if (current[i] != null && current[i].count() > 0) {
                    last.add(current[i]);
                    current[i] = null;
                }
            }
        }
        for (PackBuilder b : last) {
            upload(b);
        }
        List<Future<?>> all;
        synchronized (uploads) {
            all = new ArrayList<>(uploads);
            uploads.clear();
        }
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for uploads");
            } catch (java.util.concurrent.ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        rethrowFailure();
        List<PackedBlob> toWrite;
        synchronized (indexLock) {
            toWrite = new ArrayList<>(unindexed);
            unindexed.clear();
            unindexedPacks = 0;
        }
        if (!toWrite.isEmpty()) {
            writeIndexFile(toWrite);
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw new IOException(io.getMessage(), io);
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        throw new IOException(t.getMessage(), t);
    }

    /** Loads, authenticates and (if needed) decompresses a blob. */
    public byte[] loadBlob(BlobType type, Id id) throws IOException {
        PackedBlob where = index.get(id);
        if (where == null) {
            throw new VaultCorruptException(type.name().toLowerCase(java.util.Locale.ROOT) + " blob " + id.shortHex()
                    + " is not in the index (its pack is missing or was never indexed)");
        }
        if (where.type() != type) {
            throw new VaultCorruptException("blob " + id.shortHex() + " is a " + where.type() + " blob, not " + type);
        }
        return openBlob(where, loadSealed(where));
    }

    /** The sealed bytes of a blob, as stored. */
    public byte[] loadSealed(PackedBlob where) throws IOException {
        try {
            return backend.load(new Handle(FileType.PACK, where.pack().hex()), where.offset(), where.length());
        } catch (NoSuchFileException e) {
            throw new VaultCorruptException("pack " + where.pack().shortHex() + " is missing (it holds blob "
                    + where.id().shortHex() + ")", e);
        } catch (java.io.EOFException e) {
            throw new VaultCorruptException("pack " + where.pack().shortHex() + " is truncated (it should hold blob "
                    + where.id().shortHex() + ")", e);
        }
    }

    /**
     * Streams {@code length} bytes of pack {@code pack} from {@code offset}: the sealed bytes of the neighbouring
     * blobs that lie there, to be opened one by one with {@link #openBlob(PackedBlob, byte[])}. One ranged read for
     * many blobs is what keeps a restore from an object store to a few requests per pack.
     */
    public java.io.InputStream openPack(Id pack, long offset, long length) throws IOException {
        try {
            return backend.open(new Handle(FileType.PACK, pack.hex()), offset, length);
        } catch (NoSuchFileException e) {
            throw new VaultCorruptException("pack " + pack.shortHex() + " is missing", e);
        }
    }

    /** Opens sealed bytes read for {@code where}. */
    public byte[] openBlob(PackedBlob where, byte[] sealed) {
        return BlobCodec.open(sealer, zstd, where, sealed);
    }

    /** Opens the blob {@code where} whose sealed bytes lie in {@code buf} from {@code off} (e.g. a whole pack read). */
    public byte[] openBlob(PackedBlob where, byte[] buf, int off) {
        java.util.Objects.checkFromIndexSize(off, where.length(), buf.length);
        return BlobCodec.open(sealer, zstd, where, buf, off, where.length());
    }

    // ---------------------------------------------------------------------------------------------- trees

    public Id saveTree(Tree tree, IdHasher hasher) throws IOException {
        Json.Encoded json = Json.encodeToBuffer(tree);
        Id id = hasher.id(json.buffer(), 0, json.length());
        saveBlob(BlobType.TREE, id, json.buffer(), 0, json.length());
        return id;
    }

    public Tree loadTree(Id id) throws IOException {
        Tree cached = treeCache.get(id);
        if (cached != null) {
            return cached;
        }
        Tree t = Json.decode(loadBlob(BlobType.TREE, id), Tree.class, "tree " + id.shortHex());
        treeCache.put(id, t);
        return t;
    }

    /** Loads a tree without keeping it in the tree cache (for walks over every snapshot, e.g. prune's). */
    public Tree loadTreeUncached(Id id) throws IOException {
        Tree cached = treeCache.get(id);
        if (cached != null) {
            return cached;
        }
        return Json.decode(loadBlob(BlobType.TREE, id), Tree.class, "tree " + id.shortHex());
    }

    // ---------------------------------------------------------------------------------------------- snapshots

    /** Saves a snapshot; call only after {@link #flush}, so everything it references is indexed. */
    public Id saveSnapshot(Snapshot snapshot) throws IOException {
        byte[] json = Json.encode(snapshot);
        byte[] sealed = sealer.seal(json, 0, json.length, SNAPSHOT_AAD);
        Id id = sha256(sealed);
        saveOnce(new Handle(FileType.SNAPSHOT, id.hex()), sealed);
        return id;
    }

    public Snapshot loadSnapshot(Id id) throws IOException {
        byte[] stored;
        try {
            stored = backend.load(new Handle(FileType.SNAPSHOT, id.hex()));
        } catch (NoSuchFileException e) {
            throw new TriplicateException("no snapshot " + id.shortHex() + " in " + backend.location());
        }
        verifyName(FileType.SNAPSHOT, id.hex(), stored);
        byte[] json;
        try {
            json = sealer.open(stored, 0, stored.length, SNAPSHOT_AAD);
        } catch (VaultCorruptException e) {
            throw new VaultCorruptException("snapshot " + id.shortHex() + " failed authentication (damaged)", e);
        }
        return Json.decode(json, Snapshot.class, "snapshot " + id.shortHex());
    }

    /** A snapshot with its id. */
    public record SnapshotRef(Id id, Snapshot snapshot) {
    }

    /** Which snapshots to list: all snapshot files, the live ones, or the forgotten ones (see {@link #forgotten}). */
    public enum Selection {
        ALL, LIVE, FORGOTTEN
    }

    /** Every readable snapshot, forgotten ones included, oldest first. Damaged ones are passed to {@code damaged}. */
    public List<SnapshotRef> listSnapshots(java.util.function.BiConsumer<String, RuntimeException> damaged) throws IOException {
        return listSnapshots(Selection.ALL, damaged);
    }

    /**
     * The readable snapshots of {@code which}, oldest first. Damaged snapshot files are passed to {@code damaged}.
     * A snapshot that vanishes while being listed (a prune removed it) is left out.
     */
    public List<SnapshotRef> listSnapshots(Selection which, java.util.function.BiConsumer<String, RuntimeException> damaged)
            throws IOException {
        Map<Id, Instant> forgotten = which == Selection.ALL ? Map.of() : forgotten();
        List<SnapshotRef> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.SNAPSHOT)) {
            Id id;
            try {
                id = Id.parse(f.name());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (which == Selection.LIVE && forgotten.containsKey(id)
                    || which == Selection.FORGOTTEN && !forgotten.containsKey(id)) {
                continue;
            }
            try {
                out.add(new SnapshotRef(id, loadSnapshot(id)));
            } catch (VaultCorruptException e) {
                damaged.accept(f.name(), e);
            } catch (TriplicateException e) {
                if (backend.exists(new Handle(FileType.SNAPSHOT, f.name()))) {
                    throw e;
                }
            }
        }
        out.sort(Comparator.comparing((SnapshotRef r) -> r.snapshot().time()).thenComparing(SnapshotRef::id));
        return out;
    }

    public List<SnapshotRef> listSnapshots() throws IOException {
        return listSnapshots((name, e) -> {
        });
    }

    /** The live snapshots (not forgotten), oldest first; damaged ones are left out. */
    public List<SnapshotRef> liveSnapshots() throws IOException {
        return listSnapshots(Selection.LIVE, (name, e) -> {
        });
    }

    /**
     * Forgotten snapshots: id → when it was forgotten (by the clock of the machine that ran forget; if several
     * forget records name it, the latest). Damaged forget records are ignored: the snapshots they name count as
     * live, which keeps their data ({@code check} reports the damage).
     */
    public Map<Id, Instant> forgotten() throws IOException {
        Map<Id, Instant> out = new java.util.HashMap<>();
        for (LockFolder.ForgetRecord r : locks.forgetRecords((name, e) -> {
        })) {
            for (Id id : r.snapshots()) {
                out.merge(id, r.time(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return out;
    }

    /** Removes a snapshot file (prune, after the recovery window). A missing one counts as removed. */
    public void removeSnapshotFile(Id id) throws IOException {
        try {
            backend.remove(new Handle(FileType.SNAPSHOT, id.hex()));
        } catch (NoSuchFileException e) {
            // gone already
        }
        treeCache.clear();
    }

    /** Removes a pack (prune, once no index file names it). A missing one counts as removed. */
    public void removePack(Id pack) throws IOException {
        try {
            backend.remove(new Handle(FileType.PACK, pack.hex()));
        } catch (NoSuchFileException e) {
            // gone already
        }
    }

    /** Resolves {@code latest}, a full id or a unique prefix of one. */
    public Id resolveSnapshot(String spec) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new TriplicateException("name a snapshot: its id, a unique prefix of it, or 'latest'");
        }
        if (spec.equals("latest")) {
            List<SnapshotRef> all = liveSnapshots();
            if (all.isEmpty()) {
                throw new TriplicateException("the vault at " + backend.location() + " has no snapshots yet");
            }
            return all.get(all.size() - 1).id();
        }
        String prefix = spec.toLowerCase(java.util.Locale.ROOT);
        if (!prefix.matches("[0-9a-f]+")) {
            throw new TriplicateException("'" + spec + "' is not a snapshot id (hex digits) nor 'latest'");
        }
        List<String> matches = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.SNAPSHOT)) {
            if (f.name().startsWith(prefix)) {
                matches.add(f.name());
            }
        }
        if (matches.isEmpty()) {
            throw new TriplicateException("no snapshot matches '" + spec + "'");
        }
        if (matches.size() > 1) {
            throw new TriplicateException("'" + spec + "' matches " + matches.size() + " snapshots; give more digits");
        }
        return Id.parse(matches.get(0));
    }

    // ---------------------------------------------------------------------------------------------- keys

    /** Adds a key file for another password; returns its name. */
    public String addKey(Password password) throws IOException {
        byte[] keyFile = KeyFiles.wrap(key, password, options.kdf(), options.random(), options.clock().instant(),
                options.host(), options.username());
        String name = sha256(keyFile).hex();
        saveOnce(new Handle(FileType.KEY, name), keyFile);
        return name;
    }

    /** A key file's name, what it says about itself, and whether it is the one in use. */
    public record KeyEntry(String name, KeyInfo info, boolean current) {
    }

    public List<KeyEntry> listKeys() throws IOException {
        List<KeyEntry> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.KEY)) {
            KeyInfo info = KeyFiles.describe(backend.load(new Handle(FileType.KEY, f.name())));
            out.add(new KeyEntry(f.name(), info, f.name().equals(keyName)));
        }
        out.sort(Comparator.comparing((KeyEntry e) -> e.info().created()));
        return out;
    }

    /** Removes the key whose name starts with {@code prefix}; never the one in use, never the last one. */
    public String removeKey(String prefix) throws IOException {
        List<String> matches = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.KEY)) {
            if (f.name().startsWith(prefix)) {
                matches.add(f.name());
            }
        }
        if (matches.size() != 1) {
            throw new TriplicateException(matches.isEmpty() ? "no key matches '" + prefix + "'"
                    : "'" + prefix + "' matches " + matches.size() + " keys; give more digits");
        }
        String name = matches.get(0);
        if (name.equals(keyName)) {
            throw new TriplicateException("key " + name.substring(0, 8) + " is the one this vault was opened with;"
                    + " open the vault with another password to remove it");
        }
        backend.remove(new Handle(FileType.KEY, name));
        return name;
    }

    /** Replaces the key in use with one for {@code newPassword}; returns the new key's name. */
    public String changePassword(Password newPassword) throws IOException {
        String added = addKey(newPassword);
        backend.remove(new Handle(FileType.KEY, keyName));
        return added;
    }

    // ---------------------------------------------------------------------------------------------- sessions

    /**
     * Announces a long operation ({@code backup}, {@code restore}, {@code check}) with a heartbeat marker in
     * {@code locks/}, then reads the prune plans and the index again: from here on, this process never relies on a
     * blob whose only copies a prune may delete (see docs/design/retention.md). Close the session when done.
     */
    public Session startSession(String activity) throws IOException {
        Session s = Session.start(backend, locks, marker(LockFolder.SESSION, activity), options.heartbeat());
        try {
            refreshRetention();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Saves this process's maintenance lock marker (prune, undelete); the caller checks it is the only live one. */
    public Session startMaintenanceLock(String activity) throws IOException {
        return Session.start(backend, locks, marker(LockFolder.PRUNE, activity), options.heartbeat());
    }

    private LockFolder.MarkerInfo marker(String kind, String activity) {
        return new LockFolder.MarkerInfo(kind, LockFolder.newOwner(options.random()), 0, activity, options.host(),
                options.username(), ProcessHandle.current().pid(), options.clock().instant());
    }

    // ---------------------------------------------------------------------------------------------- upgrade

    /**
     * Upgrades a format 1 vault to format 2; returns the version it had. Format 2 stores the same files as format 1;
     * its version says that every writer follows the {@code locks/} protocol (which versions of Triplicate that
     * write format 1 do not know), so those must no longer write to it: they refuse a config of version 2.
     *
     * <p>Since files are write-once, the config is replaced by a removal and a save; so that no moment exists in
     * which the vault has no readable config, the new config is first saved as an upgrade record in {@code locks/}.
     * If the upgrade is interrupted after the removal, {@link #open} reads the config from that record and running
     * the upgrade again completes it. Already format 2: removes leftover upgrade records and returns 2.
     */
    public int upgrade() throws IOException {
        int before = formatVersion;
        if (before >= VaultConfig.VERSION && pendingUpgrade == null) {
            for (String r : locks.upgradeRecords()) {
                locks.remove(r);
            }
            return before;
        }
        byte[] next = pendingUpgrade != null ? pendingUpgrade : config.seal(sealer, VaultConfig.VERSION);
        String record = locks.saveUpgradeRecord(next);
        if (pendingUpgrade == null) {
            try {
                backend.remove(Handle.config());
            } catch (NoSuchFileException e) {
                // another process is upgrading too
            }
        }
        try {
            backend.save(Handle.config(), Source.of(next));
        } catch (FileAlreadyExistsException e) {
            VaultConfig.Outer now = VaultConfig.readOuter(backend.load(Handle.config()), backend.location());
            if (now.version() != VaultConfig.VERSION) {
                throw new TriplicateException("the config of " + backend.location() + " changed during the upgrade"
                        + " (format " + now.version() + " appeared); run 'triplicate migrate' again");
            }
        }
        for (String r : locks.upgradeRecords()) {
            locks.remove(r);
        }
        locks.remove(record);
        formatVersion = VaultConfig.VERSION;
        pendingUpgrade = null;
        return before;
    }

    /** The config saved in an upgrade record (see {@link #upgrade}), or null if there is none. */
    private static byte[] upgradeRecord(Backend backend) throws IOException {
        LockFolder names = new LockFolder(backend, null);
        for (String name : names.upgradeRecords()) {
            try {
                return names.loadUpgradeRecord(name);
            } catch (NoSuchFileException | VaultCorruptException e) {
                // completed meanwhile, or damaged: try the next
            }
        }
        return null;
    }

    /** Whether an upgrade was interrupted after it removed the old config (the config is read from its record). */
    public boolean upgradeInterrupted() {
        return pendingUpgrade != null;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void saveOnce(Handle h, Source source) throws IOException {
        try {
            backend.save(h, source);
        } catch (FileAlreadyExistsException e) {
            // content-addressed: a file with this name already holds exactly these bytes
        }
    }

    private void saveOnce(Handle h, byte[] bytes) throws IOException {
        saveOnce(h, Source.of(bytes));
    }

    private static void verifyName(FileType type, String name, byte[] stored) {
        if (!sha256(stored).hex().equals(name)) {
            throw new VaultCorruptException(type.folder() + "/" + name.substring(0, Math.min(8, name.length()))
                    + " is damaged: its content does not match its name");
        }
    }

    public static Id sha256(byte[] bytes) {
        try {
            return Id.of(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Stops the upload threads; un-flushed blobs are dropped (nothing half-written is visible). */
    @Override
    public void close() {
        uploaders.shutdownNow();
        try {
            uploaders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        key.close();
        zstd.close();
    }

    Instant now() {
        return options.clock().instant();
    }
}
