package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.CrashingBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.repository.index.PackedBlob;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;

/**
 * Crashes a backup after its 1st, 2nd, … Nth save, for every N up to the number of saves a whole backup makes, and
 * "reboots" each time: a fresh {@link Repository} on exactly the files that were saved before the crash (the
 * {@link CrashingBackend}'s survivor). Whatever N, the vault must open, {@link Checker} (reading every pack) must
 * find no errors, every stored file must hold the bytes its name promises, and the next backup must complete, reuse
 * the packs the crashed one left (no blob is stored twice) and restore byte-identical.
 */
class CrashRecoveryTest {
    private static final String HOST = "crash-host";
    private static final KdfParams CHEAP_KDF = new KdfParams(KdfParams.ARGON2ID, 8, 1, 1);
    /** Small packs and chunks, so even a small source makes many saves (many crash points). */
    private static final int PACK_SIZE = 16 * 1024;
    private static final ChunkerParams CHUNKS = new ChunkerParams(1024, 4096, 16 * 1024, 0);

    enum Scenario {
        /** The crash interrupts the first backup of a new vault. */
        FIRST_BACKUP,
        /** The crash interrupts a backup that has a complete parent snapshot (modified, added, removed files). */
        INCREMENTAL_BACKUP
    }

    @TempDir
    Path tmp;

    private final RepositoryOptions options = new RepositoryOptions(new SecureRandom(), InstantSource.system(),
            CHEAP_KDF, PACK_SIZE, 2, HOST, "tester", CHUNKS);

    @ParameterizedTest
    @EnumSource(Scenario.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCrashAfterAnySaveLeavesAVaultThatChecksCleanAndResumes(Scenario scenario) throws IOException {
        Random random = new Random(20261122L + scenario.ordinal());
        Path source = tmp.resolve("photos");
        writeFiles(source, random, 14, 60 * 1024);

        MemoryBackend base = new MemoryBackend("base");
        try (Password pw = password()) {
            Repository.init(base, pw, options).close();
        }
        Id previous = null;
        Map<String, String> previousContent = null;
        if (scenario == Scenario.INCREMENTAL_BACKUP) {
            try (Repository repo = open(base)) {
                previous = backup(repo, source).id();
            }
            previousContent = hashes(source);
            modify(source, random);
        }
        Map<String, String> expected = hashes(source);

        // a backup that does not crash, to learn how many saves one makes
        long saves;
        {
            CrashingBackend machine = new CrashingBackend(copy(base));
            try (Repository repo = open(machine)) {
                backup(repo, source);
            }
            saves = machine.completedSaves();
        }
        assertThat(saves).as("saves made by one backup").isGreaterThanOrEqualTo(10);

        int finishedBackups = 0;
        for (long n = 1; n <= saves; n++) {
            String where = scenario + ", crash after save " + n + " of " + saves;
            MemoryBackend disk = copy(base);
            CrashingBackend machine = CrashingBackend.crashingAfterSaves(disk, n);
            try (Repository repo = open(machine)) {
                backup(repo, source);
                // the backup finished: the crash came after its last save, or it needed fewer saves this time
                // (how blobs fall into packs depends on thread timing)
                finishedBackups++;
            } catch (IOException e) {
                assertThat(machine.crashed()).as(where + ": the backup failed without a crash: " + e).isTrue();
            }

            // reboot: what was saved before the crash, opened afresh
            assertEveryFileMatchesItsName(disk, where);
            try (Repository repo = open(disk)) {
                CheckResult check = new Checker(repo).check(1.0, new Random(n));
                assertThat(check.errors()).as(where + ": check errors").isEmpty();
                if (previous != null) {
                    assertThat(repo.listSnapshots()).as(where).extracting(Repository.SnapshotRef::id).contains(previous);
                }
            }
            Id resumed;
            try (Repository repo = open(disk)) {
                resumed = backup(repo, source).id();
            }
            try (Repository repo = open(disk)) {
                CheckResult check = new Checker(repo).check(1.0, new Random(n));
                assertThat(check.errors()).as(where + ": check errors after the next backup").isEmpty();
                assertThat(check.warnings()).as(where + ": packs left unindexed after the next backup").isEmpty();
                assertNoBlobStoredTwice(repo, where);
                assertThat(restore(repo, resumed, "after-" + n)).as(where + ": restored content").isEqualTo(expected);
                if (previous != null && n % 5 == 0) {
                    assertThat(restore(repo, previous, "previous-" + n)).as(where + ": the older snapshot")
                            .isEqualTo(previousContent);
                }
            }
        }
        assertThat(finishedBackups).as("backups that finished despite the crash").isLessThan((int) saves / 2);
        System.out.printf("%s: %d crash points (saves 1..%d), %d interrupted backups, all recovered%n", scenario,
                saves, saves, saves - finishedBackups);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private Repository open(Backend backend) throws IOException {
        try (Password pw = password()) {
            return Repository.open(backend, pw, options);
        }
    }

    private static Password password() {
        return Password.of("correct horse battery staple".toCharArray());
    }

    private static BackupResult backup(Repository repo, Path source) throws IOException {
        BackupOptions o = new BackupOptions(List.of(), List.of(), HOST, "tester", null, false, 2,
                InstantSource.system());
        BackupResult r = new Archiver(repo, o, new BackupProgress()).backup(List.of(source));
        assertThat(r.snapshot().warnings()).isEmpty();
        return r;
    }

    private Map<String, String> restore(Repository repo, Id snapshot, String name) throws IOException {
        Path target = tmp.resolve("restore").resolve(name);
        RestoreResult r = new Restorer(repo, new RestoreProgress(), 2).restore(snapshot, null, target);
        assertThat(r.problems()).isEmpty();
        return hashes(target.resolve("photos"));
    }

    /** A copy of every file of {@code from}: the state of a disk at one moment. */
    private static MemoryBackend copy(Backend from) throws IOException {
        MemoryBackend to = new MemoryBackend("disk");
        for (FileType type : FileType.values()) {
            for (FileInfo f : from.list(type)) {
                Handle h = new Handle(type, f.name());
                to.save(h, triplicate.backend.Source.of(from.load(h)));
            }
        }
        return to;
    }

    /** Every file but the config is named by the SHA-256 of its bytes: a partial file would not match. */
    private static void assertEveryFileMatchesItsName(Backend disk, String where) throws IOException {
        assertThat(disk.exists(Handle.config())).as(where + ": config").isTrue();
        for (FileType type : List.of(FileType.KEY, FileType.PACK, FileType.INDEX, FileType.SNAPSHOT)) {
            for (FileInfo f : disk.list(type)) {
                byte[] bytes = disk.load(new Handle(type, f.name()));
                assertThat(sha256(bytes)).as(where + ": " + type.folder() + "/" + f.name()).isEqualTo(f.name());
            }
        }
    }

    /** Reads every pack's own header: a blob in two packs would mean a crashed backup's packs were not reused. */
    private static void assertNoBlobStoredTwice(Repository repo, String where) throws IOException {
        Set<Id> seen = new HashSet<>();
        List<Id> twice = new ArrayList<>();
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            for (PackedBlob b : repo.readPackHeader(Id.parse(f.name()), f.size())) {
                if (!seen.add(b.id())) {
                    twice.add(b.id());
                }
            }
        }
        assertThat(twice).as(where + ": blobs stored more than once").isEmpty();
    }

    private static void writeFiles(Path dir, Random random, int count, int maxSize) throws IOException {
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve("shoot-" + (i % 3)).resolve("IMG_" + (1000 + i) + ".CR3");
            Files.createDirectories(f.getParent());
            byte[] b = new byte[random.nextInt(maxSize)];
            random.nextBytes(b);
            Files.write(f, b);
        }
    }

    /** Adds files, rewrites the middle of one, removes one. */
    private static void modify(Path source, Random random) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(source)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path changed = files.get(random.nextInt(files.size()));
        byte[] b = Files.readAllBytes(changed);
        byte[] patch = new byte[Math.min(b.length, 3000)];
        random.nextBytes(patch);
        System.arraycopy(patch, 0, b, b.length / 2 - patch.length / 2, patch.length);
        Files.write(changed, b);
        Path removed;
        do {
            removed = files.get(random.nextInt(files.size()));
        } while (removed.equals(changed));
        Files.delete(removed);
        writeFiles(source.resolve("new-shoot"), random, 6, 64 * 1024);
    }

    /** Relative path → SHA-256 of every file under {@code root}. */
    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try (InputStream in = Files.newInputStream(p)) {
                    out.put(root.relativize(p).toString(), sha256(in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (out.isEmpty()) {
            fail("no files under " + root);
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
