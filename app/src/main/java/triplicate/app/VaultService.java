package triplicate.app;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import triplicate.archiver.Archiver;
import triplicate.archiver.BackupOptions;
import triplicate.archiver.BackupProgress;
import triplicate.archiver.BackupResult;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.wrap.RateLimitedBackend;
import triplicate.backend.local.LocalBackend;
import triplicate.chunker.ChunkerParams;
import triplicate.core.Id;
import triplicate.core.VaultNotFoundException;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.maintenance.CheckResult;
import triplicate.maintenance.Checker;
import triplicate.maintenance.SnapshotDiff;
import triplicate.maintenance.TreeWalker;
import triplicate.maintenance.VaultStats;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.restorer.RestoreProgress;
import triplicate.restorer.RestoreResult;
import triplicate.restorer.Restorer;
import triplicate.snapshot.Snapshot;

/** The vault use cases. One instance per process; thread-safe (it holds no state besides its options). */
public final class VaultService {
    /** The vault format version this build writes. */
    public static final int FORMAT_VERSION = triplicate.repository.VaultConfig.VERSION;

    /** A temporary file in a local vault older than this is a crash's leftover, not a save in progress. */
    public static final Duration STALE_TEMP_FILES = Duration.ofDays(1);

    private final InstantSource clock;
    private final SecureRandom random;
    private final String host;
    private final String username;
    private final Map<String, String> env;

    public VaultService(InstantSource clock, SecureRandom random, String host, String username) {
        this(clock, random, host, username, System.getenv());
    }

    /**
     * A service whose network backends take their settings and credentials (e.g. {@code AWS_ACCESS_KEY_ID}) from
     * {@code env} rather than from the process environment.
     */
    public VaultService(InstantSource clock, SecureRandom random, String host, String username,
                        Map<String, String> env) {
        this.clock = clock;
        this.random = random;
        this.host = host;
        this.username = username;
        this.env = Map.copyOf(env);
    }

    /** The service for this machine: system clock, strong randomness, this host and user, the process environment. */
    public static VaultService forThisMachine() {
        return forThisMachine(System.getenv());
    }

    /** {@link #forThisMachine()} with backend settings and credentials from {@code env}. */
    public static VaultService forThisMachine(Map<String, String> env) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return new VaultService(InstantSource.system(), new SecureRandom(), host, System.getProperty("user.name"), env);
    }

    public String host() {
        return host;
    }

    /** Settings for a new vault; nulls mean defaults. */
    public record InitSettings(KdfParams kdf, Integer packSize, ChunkerParams chunkSizes) {
        public static InitSettings defaults() {
            return new InitSettings(null, null, null);
        }
    }

    /** Options for a vault on {@code backend}: as many pack uploads at once as the backend serves well. */
    private RepositoryOptions options(Backend backend) {
        return new RepositoryOptions(random, clock, KdfParams.defaults(), RepositoryOptions.DEFAULT_PACK_SIZE,
                Math.max(1, backend.parallelism()), host, username, null);
    }

    public Vault init(String location, Password password, InitSettings s) throws IOException {
        Backend backend = Backends.create(location, env);
        RepositoryOptions o;
        try {
            o = options(backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        if (s.kdf() != null) {
            o = o.withKdf(s.kdf());
        }
        if (s.packSize() != null) {
            o = o.withPackSize(s.packSize());
        }
        if (s.chunkSizes() != null) {
            o = o.withChunkerSizes(s.chunkSizes());
        }
        try {
            return new Vault(Repository.init(backend, password, o));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Creates a vault that cuts files into chunks exactly as {@code chunkerOf} does (same chunk sizes and chunker
     * seed; the seed stays secret, sealed in the new vault's config like any other): then {@code copy} between the
     * two moves chunks as they are instead of cutting every file again. {@code s.chunkSizes()} is ignored.
     */
    public Vault init(String location, Password password, InitSettings s, Vault chunkerOf) throws IOException {
        if (chunkerOf == null) {
            return init(location, password, s);
        }
        Backend backend = Backends.create(location, env);
        try {
            RepositoryOptions o = options(backend);
            if (s.kdf() != null) {
                o = o.withKdf(s.kdf());
            }
            if (s.packSize() != null) {
                o = o.withPackSize(s.packSize());
            }
            return new Vault(Repository.init(backend, password, o, chunkerOf.repository().config().chunkerParams()));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    public Vault open(String location, Password password) throws IOException {
        return open(location, password, 0, 0);
    }

    /** Opens a vault with bandwidth caps in KiB/s for uploads and downloads (0: none). */
    public Vault open(String location, Password password, long limitUploadKiBps, long limitDownloadKiBps)
            throws IOException {
        Backend backend;
        try {
            backend = RateLimitedBackend.wrap(Backends.open(location, env), limitUploadKiBps, limitDownloadKiBps);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VaultNotFoundException("there is no vault at " + Backends.redact(location)
                    + " (the folder does not exist); create one with 'triplicate init'");
        }
        try {
            return new Vault(Repository.open(backend, password, options(backend)));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Backs up {@code paths}. It first deletes what crashed saves left in the vault (temporary files on disks and SFTP
     * servers, unfinished multipart uploads on S3: hidden and harmless, but each as large as a pack, and nothing else
     * ever removes them); only those older than
     * {@link #STALE_TEMP_FILES}, since another process may be saving to the same vault right now.
     */
    public BackupResult backup(Vault vault, List<Path> paths, BackupOptions options, BackupProgress progress)
            throws IOException {
        return backup(vault, paths, options, progress, saved -> {
        });
    }

    /**
     * The catalog of a library, saved into a vault after a backup of the library: as snapshot {@code snapshot}, or
     * not, and then {@code problem} says why.
     */
    public record CatalogSaved(Path library, Id snapshot, String problem) {
    }

    /**
     * As {@link #backup(Vault, List, BackupOptions, BackupProgress)}; and each of {@code paths} that is a library
     * with a catalog ({@code .triplicate/catalog.db}) is backed up without its {@code .triplicate} folder, and after
     * the snapshot a consistent copy of its catalog is saved as a snapshot of its own (tagged
     * {@code triplicate-catalog}), so that the vault alone is enough to recover the library with its catalog
     * ({@code recover}). What became of each catalog is handed to {@code catalogs}; a catalog that could not be saved
     * does not undo the backup.
     */
    public BackupResult backup(Vault vault, List<Path> paths, BackupOptions options, BackupProgress progress,
                               java.util.function.Consumer<CatalogSaved> catalogs) throws IOException {
        Repository repo = vault.repository();
        try {
            repo.backend().removeStaleTemporaries(clock.instant().minus(STALE_TEMP_FILES));
        } catch (IOException e) {
            // leftovers only cost space; the backup matters more
        }
        List<Path> libraries = CatalogSnapshots.libraries(paths);
        BackupOptions o = options;
        if (!libraries.isEmpty()) {
            List<String> excludes = new java.util.ArrayList<>(options.excludes());
            libraries.forEach(l -> excludes.add(CatalogSnapshots.excludeOf(l)));
            o = new BackupOptions(excludes, options.tags(), options.host(), options.username(), options.parent(),
                    options.force(), options.workers(), options.clock());
        }
        BackupResult result = new Archiver(repo, o, progress).backup(paths);
        for (Path library : libraries) {
            try {
                catalogs.accept(new CatalogSaved(library,
                        CatalogSnapshots.save(repo, library, options, clock).id(), null));
            } catch (IOException | RuntimeException e) {
                catalogs.accept(new CatalogSaved(library, null, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return result;
    }

    public BackupOptions backupOptions(List<String> excludes, List<String> tags, Id parent, boolean force) {
        return new BackupOptions(excludes, tags, host, username, parent, force, 0, clock);
    }

    public RestoreResult restore(Vault vault, Id snapshot, String include, Path target, RestoreProgress progress)
            throws IOException {
        return new Restorer(vault.repository(), progress, 0).restore(snapshot, include, target);
    }

    public CheckResult check(Vault vault, double readDataFraction) throws IOException {
        return new Checker(vault.repository()).check(readDataFraction, new Random(random.nextLong()));
    }

    public List<SnapshotDiff.Change> diff(Vault vault, Id a, Id b) throws IOException {
        Repository repo = vault.repository();
        Snapshot sa = repo.loadSnapshot(a);
        Snapshot sb = repo.loadSnapshot(b);
        return new SnapshotDiff(repo).diff(sa.tree(), sb.tree());
    }

    public List<TreeWalker.Entry> ls(Vault vault, Id snapshot, String path, boolean recursive) throws IOException {
        Repository repo = vault.repository();
        return new TreeWalker(repo).list(repo.loadSnapshot(snapshot).tree(), path, recursive);
    }

    public VaultStats.Stats stats(Vault vault) throws IOException {
        return new VaultStats(vault.repository()).compute();
    }
}
