package triplicate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import triplicate.archiver.Archiver;
import triplicate.archiver.BackupOptions;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.backend.local.LocalBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.core.Id;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;

/**
 * Vaults for engine tests: cheap key derivation, 64 KiB packs and chunks of 1–16 KiB, so a few MB of data spread over
 * many packs and chunks. Everything lives in the folder the test hands in (no shared state: tests run in parallel).
 */
public final class TestVaults {
    public static final String HOST = "testhost";
    public static final String USER = "tester";
    public static final int PACK_SIZE = 64 * 1024;
    public static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(1024, 4096, 16 * 1024, 0);
    private static final String PASSWORD = "correct horse battery staple";

    private TestVaults() {
    }

    public static RepositoryOptions options() {
        return RepositoryOptions.defaults(HOST, USER).withKdf(KdfParams.forTests()).withPackSize(PACK_SIZE)
                .withChunkerSizes(SMALL_CHUNKS);
    }

    public static Password password() {
        return Password.of(PASSWORD.toCharArray());
    }

    /** A new vault in {@code dir} (created), open. */
    public static Repository init(Path dir) throws IOException {
        return init(dir, options());
    }

    public static Repository init(Path dir, RepositoryOptions options) throws IOException {
        try (Password p = password()) {
            return Repository.init(LocalBackend.create(dir), p, options);
        }
    }

    /** Opens the vault in {@code dir} again, as another process would. */
    public static Repository open(Path dir) throws IOException {
        try (Password p = password()) {
            return Repository.open(LocalBackend.open(dir), p, options());
        }
    }

    public static BackupOptions backupOptions() {
        return backupOptions(List.of(), false);
    }

    public static BackupOptions backupOptions(List<String> excludes, boolean force) {
        return new BackupOptions(excludes, List.of(), HOST, USER, (Id) null, force, 2, InstantSource.system());
    }

    public static BackupResult backup(Repository repo, Path... paths) throws IOException {
        return new Archiver(repo, backupOptions(), new BackupProgress()).backup(List.of(paths));
    }

    public static BackupResult backup(Repository repo, BackupOptions options, Path... paths) throws IOException {
        return new Archiver(repo, options, new BackupProgress()).backup(List.of(paths));
    }

    public static RestoreResult restore(Repository repo, Id snapshot, String include, Path target) throws IOException {
        return new Restorer(repo, new RestoreProgress(), 2).restore(snapshot, include, target);
    }
}
