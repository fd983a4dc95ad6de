package triplicate.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;
import triplicate.crypto.Sealer;
import triplicate.snapshot.Json;

/**
 * The vault's {@code locks/} folder (format version 2): the small records through which backups, forget and prune
 * coordinate without ever blocking one another (docs/design/retention.md gives the protocol and the argument for
 * it; docs/design/vault-format.md the bytes). Every record is sealed with the master key; its kind is the first part
 * of its name, so a reader lists only what it needs:
 *
 * <ul>
 *   <li>{@code session-OWNER-GEN}: a backup (or a restore, a check) in progress. The owner refreshes it (a new
 *       generation, then the old one removed) every {@link RepositoryOptions#heartbeat()}; a marker whose newest
 *       generation stops advancing belongs to a process that died.</li>
 *   <li>{@code prune-OWNER-GEN}: the maintenance lock of a running prune (or undelete), refreshed the same way.</li>
 *   <li>{@code plan-SHA256}: packs a prune has marked for deletion (the <em>retiring</em> packs), and, once armed,
 *       the sessions that were in progress when it was written.</li>
 *   <li>{@code forget-SHA256}: snapshots forgotten at a time (a tombstone: the snapshot files stay until prune
 *       removes them after the recovery window).</li>
 *   <li>{@code dead-OWNER}: a prune took the owner of these markers for dead (its marker stood still for longer
 *       than the prune's patience) and removed its markers. An owner that was only frozen and wakes up finds this
 *       record and stops before it saves anything that relies on what it saw ({@link Session}).</li>
 *   <li>{@code upgrade-SHA256}: the config of format 2 while an upgrade from format 1 replaces the config.</li>
 *   <li>{@code probe-RANDOM}: saved and removed at once to learn whether the storage allows deletes.</li>
 * </ul>
 *
 * <p>Thread-safe (it holds no state of its own).
 */
public final class LockFolder {
    public static final String SESSION = "session";
    public static final String PRUNE = "prune";
    public static final String PLAN = "plan";
    public static final String FORGET = "forget";
    public static final String UPGRADE = "upgrade";
    public static final String DEAD = "dead";
    public static final String PROBE = "probe";

    private static final Pattern MARKER = Pattern.compile("(session|prune)-([0-9a-f]{16})-([0-9]{1,18})");
    private static final Pattern DEAD_NAME = Pattern.compile("dead-([0-9a-f]{16})");
    private static final Pattern HASHED = Pattern.compile("(plan|forget|upgrade)-([0-9a-f]{64})");

    private final Backend backend;
    private final Sealer sealer;

    LockFolder(Backend backend, Sealer sealer) {
        this.backend = backend;
        this.sealer = sealer;
    }

    static byte[] aad(String kind) {
        return ("triplicate lock " + kind + " v2").getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------------------------------------ markers

    /** The name of a heartbeat marker: its kind ({@link #SESSION} or {@link #PRUNE}), owner and generation. */
    public record MarkerName(String kind, String owner, long generation) {
        public String fileName() {
            return kind + "-" + owner + "-" + generation;
        }

        /** The marker's name, or null if {@code name} is not one. */
        public static MarkerName parse(String name) {
            Matcher m = MARKER.matcher(name);
            if (!m.matches()) {
                return null;
            }
            return new MarkerName(m.group(1), m.group(2), Long.parseLong(m.group(3)));
        }
    }

    /**
     * What a marker says about its owner (for messages): what it is doing ({@code backup}, {@code restore},
     * {@code check}, {@code prune}, {@code undelete}), where, and since when by its own clock.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MarkerInfo(String kind, String owner, long generation, String activity, String host,
                             String username, long pid, Instant started) {
        public MarkerName name() {
            return new MarkerName(kind, owner, generation);
        }

        MarkerInfo next() {
            return new MarkerInfo(kind, owner, generation + 1, activity, host, username, pid, started);
        }
    }

    /** Every marker of {@code kind} (its name only: no file is read). */
    public List<MarkerName> markers(String kind) throws IOException {
        List<MarkerName> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.LOCK)) {
            MarkerName n = MarkerName.parse(f.name());
            if (n != null && n.kind().equals(kind)) {
                out.add(n);
            }
        }
        out.sort(Comparator.comparing(MarkerName::owner).thenComparingLong(MarkerName::generation));
        return out;
    }

    /**
     * The newest generation of each owner's markers of {@code kind}: owner → generation. (An owner whose storage
     * refuses deletes leaves its older generations behind.)
     */
    public Map<String, Long> newestMarkers(String kind) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (MarkerName n : markers(kind)) {
            out.merge(n.owner(), n.generation(), Math::max);
        }
        return out;
    }

    /** What the marker says, or null if it is gone or cannot be read. */
    public MarkerInfo describe(MarkerName name) throws IOException {
        byte[] stored;
        try {
            stored = backend.load(new Handle(FileType.LOCK, name.fileName()));
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            MarkerInfo info = Json.decode(open(name.kind(), stored, name.fileName()), MarkerInfo.class,
                    "locks/" + name.fileName());
            return info.name().equals(name) ? info : null;
        } catch (VaultCorruptException e) {
            return null;
        }
    }

    void saveMarker(MarkerInfo info) throws IOException {
        byte[] json = Json.encode(info);
        try {
            backend.save(new Handle(FileType.LOCK, info.name().fileName()),
                    Source.of(sealer.seal(json, 0, json.length, aad(info.kind()))));
        } catch (FileAlreadyExistsException e) {
            // only this owner writes this name: an earlier attempt whose answer was lost stored it
        }
    }

    /** A prune's verdict that the owner of some markers is dead: when, by whose clock. */
    public record DeadRecord(String owner, Instant time, String host) {
    }

    private record DeadBody(Instant time, String host) {
    }

    /**
     * Records that {@code owner} is dead. Saved before its markers are removed, so that an owner that was only
     * frozen finds it when it wakes ({@link Session#ensureAlive()}).
     */
    public void saveDeadRecord(String owner, Instant time, String host) throws IOException {
        byte[] json = Json.encode(new DeadBody(time, host));
        try {
            backend.save(new Handle(FileType.LOCK, DEAD + "-" + owner), Source.of(sealer.seal(json, 0, json.length,
                    aad(DEAD))));
        } catch (FileAlreadyExistsException e) {
            // declared dead already
        }
    }

    /** Whether a prune declared {@code owner} dead. */
    public boolean isDead(String owner) throws IOException {
        return backend.exists(new Handle(FileType.LOCK, DEAD + "-" + owner));
    }

    /** Every readable dead record (unreadable ones count as a time of {@link Instant#MAX}: never old). */
    public List<DeadRecord> deadRecords() throws IOException {
        List<DeadRecord> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.LOCK)) {
            Matcher m = DEAD_NAME.matcher(f.name());
            if (!m.matches()) {
                continue;
            }
            try {
                byte[] stored = backend.load(new Handle(FileType.LOCK, f.name()));
                DeadBody b = Json.decode(open(DEAD, stored, f.name()), DeadBody.class, "locks/" + f.name());
                out.add(new DeadRecord(m.group(1), b.time() == null ? Instant.MAX : b.time(), b.host()));
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (VaultCorruptException e) {
                out.add(new DeadRecord(m.group(1), Instant.MAX, null));
            }
        }
        return out;
    }

    /** Removes every generation of {@code owner}'s markers of {@code kind} that are listed now; returns how many. */
    public int removeMarkers(String kind, String owner) throws IOException {
        int removed = 0;
        for (MarkerName n : markers(kind)) {
            if (n.owner().equals(owner)) {
                try {
                    backend.remove(new Handle(FileType.LOCK, n.fileName()));
                    removed++;
                } catch (NoSuchFileException e) {
                    // its owner moved on or cleaned up meanwhile
                }
            }
        }
        return removed;
    }

    static String newOwner(java.util.Random random) {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ------------------------------------------------------------------------------------------------ forget records

    /** Snapshots forgotten at {@code time} (by the clock of the machine that forgot them). */
    public record ForgetRecord(String name, Instant time, String host, String username, List<Id> snapshots) {
        public ForgetRecord {
            snapshots = List.copyOf(snapshots);
        }
    }

    private record ForgetBody(Instant time, String host, String username, List<Id> snapshots) {
    }

    /** Every readable forget record, oldest first; damaged ones are passed to {@code damaged} (name, reason). */
    public List<ForgetRecord> forgetRecords(BiConsumer<String, RuntimeException> damaged) throws IOException {
        List<ForgetRecord> out = new ArrayList<>();
        for (String name : hashedNames(FORGET)) {
            byte[] json;
            try {
                json = loadHashed(FORGET, name);
            } catch (NoSuchFileException e) {
                continue; // removed meanwhile (undelete, prune)
            } catch (VaultCorruptException e) {
                damaged.accept(name, e);
                continue;
            }
            try {
                ForgetBody b = Json.decode(json, ForgetBody.class, "locks/" + name);
                if (b.time() == null || b.snapshots() == null) {
                    throw new VaultCorruptException("locks/" + name + " is damaged: it names no time or no snapshots");
                }
                out.add(new ForgetRecord(name, b.time(), b.host(), b.username(), b.snapshots()));
            } catch (VaultCorruptException e) {
                damaged.accept(name, e);
            }
        }
        out.sort(Comparator.comparing(ForgetRecord::time).thenComparing(ForgetRecord::name));
        return out;
    }

    /** Saves a forget record; returns its name. */
    public String saveForgetRecord(Instant time, String host, String username, List<Id> snapshots) throws IOException {
        return saveHashed(FORGET, new ForgetBody(time, host, username, List.copyOf(snapshots)));
    }

    // ------------------------------------------------------------------------------------------------ prune plans

    /**
     * Packs a prune marked for deletion. A plan is <em>pending</em> ({@code waitFor} null) from the moment it is
     * saved until the sessions in progress have been listed after it; then it is saved again <em>armed</em>, with
     * those sessions (owner → newest generation seen), and the pending one removed.
     */
    public record Plan(String name, Instant created, String host, List<Id> packs, Map<String, Long> waitFor) {
        public Plan {
            packs = List.copyOf(packs);
            waitFor = waitFor == null ? null : Map.copyOf(waitFor);
        }

        public boolean armed() {
            return waitFor != null;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record PlanBody(Instant created, String host, List<Id> packs, Map<String, Long> waitFor) {
    }

    /** Every readable plan; damaged ones are passed to {@code damaged} (name, reason). */
    public List<Plan> plans(BiConsumer<String, RuntimeException> damaged) throws IOException {
        List<Plan> out = new ArrayList<>();
        for (String name : hashedNames(PLAN)) {
            try {
                PlanBody b = Json.decode(loadHashed(PLAN, name), PlanBody.class, "locks/" + name);
                if (b.packs() == null) {
                    throw new VaultCorruptException("locks/" + name + " is damaged: it names no packs");
                }
                out.add(new Plan(name, b.created(), b.host(), b.packs(), b.waitFor()));
            } catch (NoSuchFileException e) {
                // carried out and removed by a prune meanwhile
            } catch (VaultCorruptException e) {
                damaged.accept(name, e);
            }
        }
        out.sort(Comparator.comparing(Plan::name));
        return out;
    }

    /** Saves a plan (pending if {@code waitFor} is null); returns its name. */
    public String savePlan(Instant created, String host, List<Id> packs, Map<String, Long> waitFor) throws IOException {
        return saveHashed(PLAN, new PlanBody(created, host, List.copyOf(packs), waitFor == null ? null : new TreeMap<>(waitFor)));
    }

    // ------------------------------------------------------------------------------------------------ the rest

    /** Names of the upgrade records (see {@link Repository#upgrade()}). */
    List<String> upgradeRecords() throws IOException {
        return hashedNames(UPGRADE);
    }

    /** Saves {@code config} (a whole config file) as an upgrade record; returns its name. */
    String saveUpgradeRecord(byte[] config) throws IOException {
        String name = UPGRADE + "-" + Repository.sha256(config).hex();
        try {
            backend.save(new Handle(FileType.LOCK, name), Source.of(config));
        } catch (FileAlreadyExistsException e) {
            // the same bytes (the name is their hash)
        }
        return name;
    }

    /** The bytes of an upgrade record, checked against its name. */
    byte[] loadUpgradeRecord(String name) throws IOException {
        byte[] stored = backend.load(new Handle(FileType.LOCK, name));
        if (!(UPGRADE + "-" + Repository.sha256(stored).hex()).equals(name)) {
            throw new VaultCorruptException("locks/" + name.substring(0, Math.min(16, name.length()))
                    + " is damaged: its content does not match its name");
        }
        return stored;
    }

    /**
     * Saves and removes a small file, to learn whether this storage allows deletes. Throws
     * {@link java.nio.file.AccessDeniedException} if the removal is refused (an append-only credential); the probe
     * file is left behind then, and a later prune with full rights removes it.
     */
    public void probeDeletes(java.util.Random random) throws IOException {
        byte[] b = new byte[8];
        random.nextBytes(b);
        Handle h = new Handle(FileType.LOCK, PROBE + "-" + HexFormat.of().formatHex(b));
        backend.save(h, Source.of(new byte[0]));
        try {
            backend.remove(h);
        } catch (NoSuchFileException e) {
            // a prune cleaning up probes removed it first: deletes work
        }
    }

    /** Probe files left by refused probes (append-only credentials). */
    public List<String> probes() throws IOException {
        List<String> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.LOCK)) {
            if (f.name().startsWith(PROBE + "-")) {
                out.add(f.name());
            }
        }
        return out;
    }

    /** Removes a record of this folder; a missing one counts as removed. */
    public void remove(String name) throws IOException {
        try {
            backend.remove(new Handle(FileType.LOCK, name));
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    /** Whether {@code name} is listed now. */
    public boolean exists(String name) throws IOException {
        return backend.exists(new Handle(FileType.LOCK, name));
    }

    private List<String> hashedNames(String kind) throws IOException {
        List<String> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.LOCK)) {
            Matcher m = HASHED.matcher(f.name());
            if (m.matches() && m.group(1).equals(kind)) {
                out.add(f.name());
            }
        }
        out.sort(null);
        return out;
    }

    private String saveHashed(String kind, Object body) throws IOException {
        byte[] json = Json.encode(body);
        byte[] sealed = sealer.seal(json, 0, json.length, aad(kind));
        String name = kind + "-" + Repository.sha256(sealed).hex();
        try {
            backend.save(new Handle(FileType.LOCK, name), Source.of(sealed));
        } catch (FileAlreadyExistsException e) {
            // cannot happen with a fresh nonce; the same bytes if it did
        }
        return name;
    }

    private byte[] loadHashed(String kind, String name) throws IOException {
        byte[] stored = backend.load(new Handle(FileType.LOCK, name));
        if (!(kind + "-" + Repository.sha256(stored).hex()).equals(name)) {
            throw new VaultCorruptException("locks/" + name.substring(0, Math.min(kind.length() + 9, name.length()))
                    + " is damaged: its content does not match its name");
        }
        return open(kind, stored, name);
    }

    private byte[] open(String kind, byte[] stored, String name) {
        try {
            return sealer.open(stored, 0, stored.length, aad(kind));
        } catch (VaultCorruptException e) {
            throw new VaultCorruptException("locks/" + name.substring(0, Math.min(kind.length() + 9, name.length()))
                    + " failed authentication (damaged)", e);
        }
    }
}
