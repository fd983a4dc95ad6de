package triplicate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import triplicate.archiver.Archiver;
import triplicate.archiver.BackupOptions;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.backend.Backend;
import triplicate.backend.local.LocalBackend;
import triplicate.core.Id;
import triplicate.crypto.Password;
import triplicate.policy.CalendarDuration;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.restorer.RestoreResult;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.maintenance.Pruner;

/**
 * A vault for retention tests: small packs and chunks, heartbeats of a few dozen milliseconds and a prune patience of
 * a few hundred, sources that change like a photographer's library, and a record of what every snapshot must restore
 * to, so "nothing lost" is checked by restoring every snapshot byte for byte.
 */
public final class RetentionFixture {
    public static final Duration HEARTBEAT = Duration.ofMillis(40);
    public static final Duration PATIENCE = Duration.ofMillis(600);

    public final Path dir;
    public final Path vault;
    public final InstantSource clock;
    /** Snapshot → fingerprint of its source when it was taken. */
    public final Map<Id, SortedMap<String, String>> expected = new ConcurrentHashMap<>();
    /** Snapshot → the name of its source's root (restored under it). */
    public final Map<Id, String> rootName = new ConcurrentHashMap<>();
    private int restores;

    public RetentionFixture(Path dir, InstantSource clock) throws IOException {
        this.dir = dir;
        this.vault = dir.resolve("vault");
        this.clock = clock;
        try (Repository r = TestVaults.init(vault, options())) {
            assertThat(r.formatVersion()).isEqualTo(2);
        }
    }

    public RepositoryOptions options() {
        return TestVaults.options().withHeartbeat(HEARTBEAT).withClock(clock);
    }

    /** The vault opened as another process would, through {@code wrap} around its local backend. */
    public Repository open(UnaryOperator<Backend> wrap) throws IOException {
        try (Password p = TestVaults.password()) {
            return Repository.open(wrap.apply(LocalBackend.open(vault)), p, options());
        }
    }

    public Repository open() throws IOException {
        return open(b -> b);
    }

    public static Pruner.Options pruneOptions(String window) {
        return new Pruner.Options(CalendarDuration.parse(window), 50, false, PATIENCE, Duration.ofMillis(10));
    }

    public static Pruner.Options pruneOptions(String window, int repackPercent, boolean dryRun) {
        return new Pruner.Options(CalendarDuration.parse(window), repackPercent, dryRun, PATIENCE, Duration.ofMillis(10));
    }

    public BackupOptions backupOptions(List<String> tags) {
        return new BackupOptions(List.of(), tags, TestVaults.HOST, TestVaults.USER, null, false, 2, clock);
    }

    /** Backs {@code source} up and remembers what the snapshot must restore to. */
    public BackupResult backup(Repository repo, Path source) throws IOException {
        SortedMap<String, String> before = Fingerprint.contentOf(source);
        BackupResult r = new Archiver(repo, backupOptions(List.of()), new BackupProgress()).backup(List.of(source));
        expected.put(r.id(), before);
        rootName.put(r.id(), source.getFileName().toString());
        return r;
    }

    /** A source of {@code files} random photos in a few folders. */
    public static Path makeSource(Path root, long seed, int files) throws IOException {
        Random r = new Random(seed);
        for (int i = 0; i < files; i++) {
            Fingerprint.writeRandom(root.resolve("shoot-" + (i % 3) + "/img-" + i + ".jpg"), seed * 1000 + i,
                    8 * 1024 + r.nextInt(96 * 1024));
        }
        return root;
    }

    /** A day of work: a new photo or two, an edit inside one, sometimes a deletion. */
    public static void modify(Path root, Random r) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (int i = 0; i <= r.nextInt(2); i++) {
            Fingerprint.writeRandom(root.resolve("shoot-" + r.nextInt(4) + "/new-" + Long.toHexString(r.nextLong())
                    + ".jpg"), r.nextLong(), 4 * 1024 + r.nextInt(64 * 1024));
        }
        if (!files.isEmpty()) {
            Path f = files.get(r.nextInt(files.size()));
            byte[] b = Files.readAllBytes(f);
            byte[] patch = new byte[Math.min(b.length, 2048)];
            r.nextBytes(patch);
            System.arraycopy(patch, 0, b, r.nextInt(b.length - patch.length + 1), patch.length);
            Files.write(f, b);
            if (files.size() > 3 && r.nextInt(3) == 0) {
                Files.delete(files.get(r.nextInt(files.size())));
            }
        }
    }

    /** Check reading every byte finds no error; returns the result. */
    public CheckResult checkClean(Repository repo) throws IOException {
        CheckResult c = new Checker(repo, 2).check(1.0, new Random(1));
        assertThat(c.errors()).as("check --read-data errors").isEmpty();
        return c;
    }

    /** Every snapshot file in the vault (live or forgotten) restores exactly to what its source was. */
    public void everySnapshotRestores(Repository repo) throws IOException {
        for (Repository.SnapshotRef s : repo.listSnapshots()) {
            SortedMap<String, String> want = expected.get(s.id());
            assertThat(want).as("snapshot %s was made by this test", s.id().shortHex()).isNotNull();
            Path target = dir.resolve("restore-" + (++restores));
            RestoreResult r = TestVaults.restore(repo, s.id(), null, target);
            assertThat(r.problems()).as("restore of %s", s.id().shortHex()).isEmpty();
            assertThat(Fingerprint.contentOf(target.resolve(rootName.get(s.id()))))
                    .as("restored %s", s.id().shortHex()).isEqualTo(want);
            deleteTree(target);
        }
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Files of the vault by folder (for "nothing was deleted" assertions). */
    public SortedMap<String, Long> files(String folder) throws IOException {
        SortedMap<String, Long> out = new TreeMap<>();
        Path f = vault.resolve(folder);
        if (!Files.exists(f)) {
            return out;
        }
        try (var s = Files.walk(f)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().startsWith(".")) {
                    out.put(f.relativize(p).toString(), Files.size(p));
                }
            }
        }
        return out;
    }
}
