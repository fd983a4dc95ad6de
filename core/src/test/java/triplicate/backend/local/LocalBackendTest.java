package triplicate.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.testkit.BackendContractTest;
import triplicate.core.FileType;

class LocalBackendTest extends BackendContractTest {
    @TempDir
    Path dir;

    private Path root;

    @Override
    protected Backend newBackend() throws IOException {
        root = dir.resolve("vault");
        return LocalBackend.create(root);
    }

    @Test
    void filesLandWhereTheLayoutSays() throws IOException {
        Handle pack = handle(FileType.PACK);
        Handle key = handle(FileType.KEY);
        backend.save(Handle.config(), Source.of(bytes(10)));
        backend.save(pack, Source.of(bytes(11)));
        backend.save(key, Source.of(bytes(12)));

        assertThat(Files.size(root.resolve("config"))).isEqualTo(10);
        assertThat(Files.size(root.resolve("data").resolve(pack.name().substring(0, 2)).resolve(pack.name()))).isEqualTo(11);
        assertThat(Files.size(root.resolve("keys").resolve(key.name()))).isEqualTo(12);
        assertThat(root.resolve("index")).isDirectory();
        assertThat(root.resolve("snapshots")).isDirectory();
        assertThat(root.resolve("locks")).isDirectory();
        assertThat(backend.location()).isEqualTo(root.toString());
    }

    @Test
    void createRefusesAFolderThatHoldsAVault() throws IOException {
        backend.save(Handle.config(), Source.of(bytes(10)));

        assertThatThrownBy(() -> LocalBackend.create(root))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(root.resolve("config").toString())
                .hasMessageContaining("a vault already exists");
    }

    @Test
    void createAcceptsAnExistingEmptyFolder() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        try (LocalBackend created = LocalBackend.create(empty)) {
            assertThat(created.list(FileType.PACK)).isEmpty();
            assertThat(empty.resolve("snapshots")).isDirectory();
        }
    }

    @Test
    void openNeedsAnExistingFolderAndCreatesNothing() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> LocalBackend.open(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        assertThat(missing).doesNotExist();
    }

    @Test
    void openRefusesAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> LocalBackend.open(file))
                .isInstanceOf(NotDirectoryException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void openSeesWhatCreateSaved() throws IOException {
        Handle h = handle(FileType.SNAPSHOT);
        byte[] data = bytes(100);
        backend.save(h, Source.of(data));

        try (LocalBackend reopened = LocalBackend.open(root)) {
            assertThat(reopened.load(h)).isEqualTo(data);
        }
    }

    @Test
    void aFailingSourceLeavesNoTemporaryFile() throws IOException {
        Handle h = handle(FileType.PACK);

        assertThatThrownBy(() -> backend.save(h, failingSource(bytes(100_000), 1))).isInstanceOf(IOException.class);

        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void listingIgnoresTemporaryLeftoversAndHiddenFiles() throws IOException {
        Handle h = handle(FileType.PACK);
        Path shard = Files.createDirectories(root.resolve("data").resolve(h.name().substring(0, 2)));
        Files.write(shard.resolve(".tmp-0123456789abcdef"), bytes(10));
        Files.write(root.resolve("snapshots").resolve(".tmp-fedcba9876543210"), bytes(10));
        Files.write(root.resolve("snapshots").resolve(".DS_Store"), bytes(10));
        Files.createDirectories(root.resolve("data").resolve(".hidden"));

        assertThat(backend.list(FileType.PACK)).isEmpty();
        assertThat(backend.list(FileType.SNAPSHOT)).isEmpty();

        backend.save(h, Source.of(bytes(5)));
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(h.name(), 5));
    }

    @Test
    void missingTypeFoldersListAsEmptyAndComeBackOnSave() throws IOException {
        Files.delete(root.resolve("index"));
        Files.delete(root.resolve("data"));

        assertThat(backend.list(FileType.INDEX)).isEmpty();
        assertThat(backend.list(FileType.PACK)).isEmpty();

        Handle index = handle(FileType.INDEX);
        Handle pack = handle(FileType.PACK);
        backend.save(index, Source.of(bytes(3)));
        backend.save(pack, Source.of(bytes(4)));
        assertThat(backend.list(FileType.INDEX)).containsExactly(new FileInfo(index.name(), 3));
        assertThat(backend.list(FileType.PACK)).containsExactly(new FileInfo(pack.name(), 4));
    }

    @Test
    void aSourceLongerThanAnnouncedIsRefused() throws IOException {
        Handle h = handle(FileType.INDEX);
        byte[] data = bytes(300_000);
        Source tooLong = new Source() {
            @Override
            public long length() {
                return 1000;
            }

            @Override
            public java.io.InputStream open() {
                return new java.io.ByteArrayInputStream(data);
            }
        };

        assertThatThrownBy(() -> backend.save(h, tooLong)).isInstanceOf(IOException.class).hasMessageContaining("1000");

        assertThat(backend.exists(h)).isFalse();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aVanishedVaultFolderIsNotRecreated() throws IOException {
        deleteTree(root); // as if the drive were unplugged

        Handle h = handle(FileType.PACK);
        assertThatThrownBy(() -> backend.save(h, Source.of(bytes(10))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(root.toString())
                .hasMessageContaining("drive connected");
        assertThat(root).doesNotExist();
    }

    @Test
    void removeStaleTemporariesRemovesOnlyStaleOnes() throws IOException {
        Path stalePack = Files.createDirectories(root.resolve("data").resolve("ab")).resolve(".tmp-1111111111111111");
        Path staleLock = root.resolve("locks").resolve(".tmp-2222222222222222");
        Path fresh = root.resolve("index").resolve(".tmp-3333333333333333");
        Path hidden = root.resolve("index").resolve(".keep");
        for (Path p : List.of(stalePack, staleLock, fresh, hidden)) {
            Files.write(p, bytes(10));
        }
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        for (Path p : List.of(stalePack, staleLock, hidden)) {
            Files.setLastModifiedTime(p, twoHoursAgo);
        }

        int removed = backend.removeStaleTemporaries(Instant.now().minus(Duration.ofHours(1)));

        assertThat(removed).isEqualTo(2);
        assertThat(stalePack).doesNotExist();
        assertThat(staleLock).doesNotExist();
        assertThat(fresh).exists();
        assertThat(hidden).exists();
    }

    @Test
    void namesStartingWithADotAreReserved() {
        assertThatThrownBy(() -> new Handle(FileType.SNAPSHOT, ".tmp-abc"))
                .as("temp names can never be addressed, so a temp file can never be read as data")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Handle(FileType.KEY, "config")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesAndFoldersAreReadableByTheOwnerOnly() throws IOException {
        Assumptions.assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Handle h = handle(FileType.PACK);
        backend.save(h, Source.of(bytes(10)));

        Path file = root.resolve("data").resolve(h.name().substring(0, 2)).resolve(h.name());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aClosedBackendRefusesWork() throws IOException {
        backend.close();

        assertThatThrownBy(() -> backend.list(FileType.PACK)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void aFullDiskLeavesNoPartialFileAndSaysWhichFile() throws IOException {
        Path mountPoint = Files.createDirectory(dir.resolve("tiny"));
        TmpfsMount mount = mountOrSkip(mountPoint, "1m");
        try (mount; LocalBackend small = LocalBackend.create(mountPoint.resolve("vault"))) {
            Handle big = handle(FileType.PACK);

            assertThatThrownBy(() -> small.save(big, Source.of(bytes(2 << 20))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(small.location())
                    .hasMessageContaining(big.name())
                    .hasMessageContaining("No space left on device");
            assertThatThrownBy(() -> small.save(handle(FileType.PACK), streamingSource(bytes(2 << 20))))
                    .hasMessageContaining("No space left on device");

            assertThat(small.exists(big)).isFalse();
            assertThat(small.list(FileType.PACK)).isEmpty();
            assertThat(tempFiles(mountPoint)).isEmpty();
            Handle fits = handle(FileType.PACK); // the space of the failed saves was given back
            small.save(fits, Source.of(bytes(100_000)));
            assertThat(small.stat(fits).size()).isEqualTo(100_000);
        } catch (TmpfsMount.CannotMount e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFolderWithoutWritePermissionGivesAClearError() throws IOException {
        Assumptions.assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path snapshots = root.resolve("snapshots");
        Files.setPosixFilePermissions(snapshots, PosixFilePermissions.fromString("r-x------"));
        try {
            Assumptions.assumeFalse(Files.isWritable(snapshots),
                    "skipped: this user (root?) may write to folders without write permission; see aReadOnlyFileSystemGivesAClearError");
            Handle h = handle(FileType.SNAPSHOT);

            assertThatThrownBy(() -> backend.save(h, Source.of(bytes(10))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(root.toString())
                    .hasMessageContaining(h.toString())
                    .hasMessageContaining("permission denied");
            assertThat(backend.list(FileType.SNAPSHOT)).isEmpty();
        } finally {
            Files.setPosixFilePermissions(snapshots, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aReadOnlyFileSystemGivesAClearError() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("ro"));
        try (TmpfsMount mount = mountOrSkip(mountPoint, "1m")) {
            Path vault = mountPoint.resolve("vault");
            Handle existing = handle(FileType.SNAPSHOT);
            byte[] data = bytes(10);
            try (LocalBackend writable = LocalBackend.create(vault)) {
                writable.save(existing, Source.of(data));
            }
            mount.remountReadOnly();

            try (LocalBackend readOnly = LocalBackend.open(vault)) {
                Handle h = handle(FileType.SNAPSHOT);
                assertThatThrownBy(() -> readOnly.save(h, Source.of(bytes(10))))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining(vault.toString())
                        .hasMessageContaining(h.toString())
                        .hasMessageContaining("Read-only file system");
                assertThat(readOnly.load(existing)).isEqualTo(data);
                assertThat(readOnly.list(FileType.SNAPSHOT)).containsExactly(new FileInfo(existing.name(), 10));
            }
        }
    }

    private static TmpfsMount mountOrSkip(Path mountPoint, String size) {
        try {
            return TmpfsMount.mount(mountPoint, size);
        } catch (TmpfsMount.CannotMount e) {
            Assumptions.abort("skipped: this test mounts a small tmpfs, which is not possible here: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private List<Path> tempFiles() throws IOException {
        return tempFiles(root);
    }

    private static List<Path> tempFiles(Path under) throws IOException {
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> files = Files.walk(top)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
