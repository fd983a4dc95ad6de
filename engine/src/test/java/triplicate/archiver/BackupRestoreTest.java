package triplicate.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.mem.MemoryBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;

/** Backs up a tree of many folders (walked in parallel), restores it, and backs it up again unchanged. */
class BackupRestoreTest {
    @TempDir
    Path tmp;

    private final MemoryBackend backend = new MemoryBackend("backup-restore");

    private static RepositoryOptions options() {
        // small chunks and packs, so that files span several chunks and the backup several packs
        return new RepositoryOptions(new SecureRandom(), InstantSource.system(), KdfParams.forTests(), 256 * 1024, 2,
                "host", "user", new ChunkerParams(4096, 16384, 65536, 0));
    }

    private static Password password() {
        return Password.of("secret".toCharArray());
    }

    private static BackupOptions backupOptions() {
        return new BackupOptions(List.of(), List.of(), "host", "user", null, false, 3, InstantSource.system());
    }

    /** Every regular file under {@code root} by relative path, with its bytes. */
    private static TreeMap<String, byte[]> contents(Path root) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(root.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    @Test
    void aTreeOfManyFoldersRoundTripsAndASecondBackupReadsNothing() throws IOException {
        Path lib = tmp.resolve("lib");
        SplittableRandom r = new SplittableRandom(31);
        for (int d = 0; d < 40; d++) {
            Path dir = lib.resolve("y" + (d % 4)).resolve("shoot-" + d);
            Files.createDirectories(dir);
            for (int f = 0; f < 12; f++) {
                byte[] b = new byte[f == 0 ? 300_000 + r.nextInt(200_000) : r.nextInt(5000)];
                r.nextBytes(b);
                Files.write(dir.resolve("IMG_" + f + ".JPG"), b);
            }
        }
        Files.createDirectories(lib.resolve("empty"));
        TreeMap<String, byte[]> original = contents(lib);

        BackupResult first;
        try (Repository repo = Repository.init(backend, password(), options())) {
            first = new Archiver(repo, backupOptions(), new BackupProgress(false)).backup(List.of(lib));
        }
        assertThat(first.complete()).isTrue();
        assertThat(first.snapshot().summary().filesNew()).isEqualTo(original.size());
        assertThat(first.snapshot().summary().dirs()).isEqualTo(1 + 4 + 40 + 1);

        Path target = tmp.resolve("restore");
        try (Repository repo = Repository.open(backend, password(), options())) {
            RestoreResult restored = new Restorer(repo, new RestoreProgress(), 3).restore(first.id(), null, target);
            assertThat(restored.complete()).isTrue();
            assertThat(restored.files()).isEqualTo(original.size());
        }
        TreeMap<String, byte[]> back = contents(target.resolve("lib"));
        assertThat(back.keySet()).isEqualTo(original.keySet());
        original.forEach((path, bytes) -> assertThat(back.get(path)).as(path).isEqualTo(bytes));
        assertThat(Files.isDirectory(target.resolve("lib/empty"))).isTrue();

        try (Repository repo = Repository.open(backend, password(), options())) {
            BackupResult second = new Archiver(repo, backupOptions(), new BackupProgress()).backup(List.of(lib));
            assertThat(second.snapshot().summary().filesUnmodified()).isEqualTo(original.size());
            assertThat(second.snapshot().summary().bytesRead()).isZero();
            assertThat(second.snapshot().tree()).isEqualTo(first.snapshot().tree());
        }
    }

    @Test
    void anExtendedAttributeSetOnAnUnchangedFileIsSeenByTheNextBackup() throws IOException {
        Path lib = tmp.resolve("lib");
        Files.createDirectories(lib);
        Path photo = Files.write(lib.resolve("IMG_1.JPG"), new byte[] {1, 2, 3});
        UserDefinedFileAttributeView view = Files.getFileAttributeView(photo, UserDefinedFileAttributeView.class);
        try {
            view.write("user.rating", ByteBuffer.wrap(new byte[] {'3'}));
        } catch (IOException | UnsupportedOperationException | NullPointerException e) {
            org.junit.jupiter.api.Assumptions.abort("no user extended attributes here: " + e);
        }
        BackupResult first;
        try (Repository repo = Repository.init(backend, password(), options())) {
            first = new Archiver(repo, backupOptions(), new BackupProgress(false)).backup(List.of(lib));
            view.write("user.rating", ByteBuffer.wrap(new byte[] {'5'}));
            BackupResult second = new Archiver(repo, backupOptions(), new BackupProgress(false)).backup(List.of(lib));
            // the attribute changed the ctime, so the file is read again (its content might have changed with its
            // mtime put back); its chunks are all known, so nothing new is stored
            assertThat(second.snapshot().summary().filesChanged()).isEqualTo(1);
            assertThat(second.snapshot().summary().blobsAdded()).as("only new trees").isLessThanOrEqualTo(2);
            assertThat(second.snapshot().summary().bytesAdded()).as("no file data").isLessThan(2048);
            assertThat(second.snapshot().tree()).isNotEqualTo(first.snapshot().tree());
            var node = repo.loadTree(repo.loadTree(second.snapshot().tree()).nodes().get(0).subtree()).nodes().get(0);
            assertThat(node.xattrs()).containsKey("user.rating");
            assertThat(node.xattrs().get("user.rating")).containsExactly('5');
        }
    }
}
