package triplicate.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import triplicate.core.TriplicateException;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.PhotoMetadata;
import triplicate.metadata.TimeSource;

/**
 * The catalog of one library: an SQLite database at {@code LIBRARY/.triplicate/catalog.db} (WAL mode, a busy
 * timeout), holding every file of the library, the assets they form, their metadata, and the known copies of each
 * file. See docs/design/catalog.md for the schema, the grouping rules and the time fallback.
 *
 * <p>Thread-safe: one connection, and every method holds the catalog's lock while it runs. Several processes may use
 * one catalog; a writer waits up to the busy timeout for another's transaction and then throws
 * {@link CatalogBusyException}. Other database failures throw {@link TriplicateException} with the database's path.
 * Paths given to and returned by the catalog are relative to the library, with '/' between names.
 */
public final class Catalog implements AutoCloseable {
    /** The folder in a library that holds Triplicate's own files; scans skip it. */
    public static final String FOLDER = ".triplicate";
    /** The catalog's file name inside {@link #FOLDER}. */
    public static final String FILE_NAME = "catalog.db";
    /** How long a write waits for another process's transaction before giving up. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** The schema version this build writes. */
    public static final int SCHEMA_VERSION = Schema.LATEST;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String FILE_COLUMNS = "id, path, size, sha256, mtime_ns, format, shoot, taken, taken_offset,"
            + " taken_source, warnings, archived";

    private final Path library;
    private final Path database;
    private final Connection c;
    private final InstantSource clock;
    private final Duration busyTimeout;

    private Catalog(Path library, Path database, Connection c, InstantSource clock, Duration busyTimeout) {
        this.library = library;
        this.database = database;
        this.c = c;
        this.clock = clock;
        this.busyTimeout = busyTimeout;
    }

    /** Where the catalog of {@code library} is. */
    public static Path databaseOf(Path library) {
        return library.toAbsolutePath().normalize().resolve(FOLDER).resolve(FILE_NAME);
    }

    /** Whether {@code library} has a catalog. */
    public static boolean exists(Path library) {
        return Files.isRegularFile(databaseOf(library));
    }

    /** Opens the catalog of {@code library}, creating it (and {@code .triplicate}) if needed, migrated to the latest schema. */
    public static Catalog open(Path library, InstantSource clock) {
        return open(library, clock, DEFAULT_BUSY_TIMEOUT);
    }

    /** {@link #open(Path, InstantSource)} with a busy timeout of its own. */
    public static Catalog open(Path library, InstantSource clock, Duration busyTimeout) {
        Path lib = library.toAbsolutePath().normalize();
        if (!Files.isDirectory(lib)) {
            throw new TriplicateException("the library " + lib + " is not a folder");
        }
        try {
            Files.createDirectories(lib.resolve(FOLDER));
        } catch (java.io.IOException e) {
            throw new TriplicateException("cannot create " + lib.resolve(FOLDER) + ": " + e.getMessage(), e);
        }
        return openDatabase(lib, databaseOf(lib), clock, busyTimeout, Schema.LATEST);
    }

    /** Opens the catalog of {@code library}, which must exist (a query never creates one). */
    public static Catalog openExisting(Path library, InstantSource clock) {
        return openExisting(library, clock, DEFAULT_BUSY_TIMEOUT);
    }

    /** {@link #openExisting(Path, InstantSource)} with a busy timeout of its own. */
    public static Catalog openExisting(Path library, InstantSource clock, Duration busyTimeout) {
        if (!exists(library)) {
            Path lib = library.toAbsolutePath().normalize();
            throw new TriplicateException("there is no catalog in " + lib + " (no " + FOLDER + "/" + FILE_NAME
                    + "); create it with 'triplicate catalog scan " + lib + "'");
        }
        return open(library, clock, busyTimeout);
    }

    /** Opens {@code database} for {@code library}, migrated up to {@code version} (the tests build old catalogs). */
    static Catalog openDatabase(Path library, Path database, InstantSource clock, Duration busyTimeout, int version) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection conn = null;
        try {
            conn = config.createConnection("jdbc:sqlite:" + database);
            Schema.migrate(conn, version, database.toString(), clock.instant());
            return new Catalog(library, database, conn, clock, busyTimeout);
        } catch (SQLException e) {
            closeQuietly(conn);
            throw translate(e, database, busyTimeout);
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    public Path library() {
        return library;
    }

    public Path database() {
        return database;
    }

    /** The schema version of the open database. */
    public synchronized int schemaVersion() {
        try {
            return Schema.version(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ importer

    /**
     * Every file whose content has this SHA-256 (64 hex digits, either case), in path order; empty when there is
     * none. This is how an import tells it already has a file, and where.
     */
    public synchronized List<CatalogFile> filesWithSha256(String sha256) {
        String h = checkSha256(sha256);
        return files("SELECT " + FILE_COLUMNS + " FROM files WHERE sha256 = ? AND archived = 0 ORDER BY path", h);
    }

    /** The file at {@code path} (relative to the library), if the catalog has it. */
    public synchronized Optional<CatalogFile> file(String path) {
        List<CatalogFile> f = files("SELECT " + FILE_COLUMNS + " FROM files WHERE path = ?", checkPath(path));
        return f.isEmpty() ? Optional.empty() : Optional.of(f.get(0));
    }

    /**
     * Records a file just imported into the library, in one transaction: its row (replacing any row at the same
     * path), its keywords, and the asset it joins. The shoot given here stays with the file when later scans find it
     * unchanged or changed; without one, the file's folder name is its shoot. Returns the file as recorded.
     */
    public synchronized CatalogFile recordImported(ImportedFile f) {
        String shoot = f.shoot() != null && !f.shoot().isBlank() ? f.shoot().trim() : folderName(f.path());
        Row row = new Row(f.path(), f.size(), f.sha256(), nanos(f.mtime()), null, f.metadata(), shoot, true);
        apply(List.of(row), List.of(), List.of());
        return file(f.path()).orElseThrow();
    }

    // ------------------------------------------------------------------------------------------------ copies

    /** Records the latest verification of {@code path}'s copy on {@code target}, replacing the previous one. */
    public synchronized void recordCopy(String path, String target, Instant verifiedAt, CopyResult result, String detail) {
        String p = checkPath(path);
        inTransaction(() -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO copies (file_id, target, verified_at, result, detail)"
                    + " SELECT id, ?, ?, ?, ? FROM files WHERE path = ? ON CONFLICT (file_id, target) DO UPDATE SET"
                    + " verified_at = excluded.verified_at, result = excluded.result, detail = excluded.detail")) {
                s.setString(1, target);
                s.setString(2, verifiedAt.toString());
                s.setString(3, result.name());
                s.setString(4, detail);
                s.setString(5, p);
                if (s.executeUpdate() == 0) {
                    throw new TriplicateException("the catalog has no file " + p);
                }
            }
            return null;
        });
    }

    /**
     * Records the latest verification of several copies in one transaction (each replacing the previous one of its
     * file and target). Copies of files the catalog no longer has (removed by a scan meanwhile) are skipped; returns
     * how many were recorded.
     */
    public synchronized int recordCopyResults(Collection<Copy> copies) {
        if (copies.isEmpty()) {
            return 0;
        }
        return inTransaction(() -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO copies (file_id, target, verified_at, result, detail)"
                    + " SELECT id, ?, ?, ?, ? FROM files WHERE path = ? ON CONFLICT (file_id, target) DO UPDATE SET"
                    + " verified_at = excluded.verified_at, result = excluded.result, detail = excluded.detail")) {
                for (Copy k : copies) {
                    s.setString(1, k.target());
                    s.setString(2, k.verifiedAt().toString());
                    s.setString(3, k.result().name());
                    s.setString(4, k.detail());
                    s.setString(5, checkPath(k.path()));
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }

    /**
     * Throws {@link CatalogBusyException} (after the busy timeout) if another process holds the catalog's write lock:
     * long work whose results go into the catalog asks first, rather than fail at the end. Takes the write lock for
     * an empty transaction.
     */
    public synchronized void checkWritable() {
        inTransaction(() -> {
            try (Statement s = c.createStatement()) {
                // BEGIN IMMEDIATE (the connection's transaction mode) takes the lock at the first statement
                s.executeUpdate("DELETE FROM copies WHERE 0");
            }
            return null;
        });
    }

    /** The known copies of {@code path}, by target name. */
    public synchronized List<Copy> copies(String path) {
        List<Copy> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT f.path, k.target, k.verified_at, k.result, k.detail FROM copies k"
                + " JOIN files f ON f.id = k.file_id WHERE f.path = ? ORDER BY k.target")) {
            s.setString(1, checkPath(path));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Copy(r.getString(1), r.getString(2), Instant.parse(r.getString(3)),
                            CopyResult.valueOf(r.getString(4)), r.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /**
     * Records many copies in one transaction (a mirror run or a backup records thousands), each replacing the previous
     * record of its file on its target; a copy whose {@link CopyRecord#sha256()} is no longer the file's content, or
     * whose file left the catalog, is skipped. Returns how many were recorded.
     */
    public synchronized int recordCopies(Collection<CopyRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        return inTransaction(() -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO copies (file_id, target, verified_at, result, detail)"
                    + " SELECT id, ?, ?, ?, ? FROM files WHERE path = ? AND sha256 = ? ON CONFLICT (file_id, target)"
                    + " DO UPDATE SET verified_at = excluded.verified_at, result = excluded.result,"
                    + " detail = excluded.detail")) {
                for (CopyRecord r : records) {
                    s.setString(1, r.target());
                    s.setString(2, r.at().toString());
                    s.setString(3, r.result().name());
                    s.setString(4, r.detail());
                    s.setString(5, checkPath(r.path()));
                    s.setString(6, checkSha256(r.sha256()));
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }

    /** The known copies on {@code target}, by path. */
    public synchronized Map<String, Copy> copiesOn(String target) {
        Map<String, Copy> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT f.path, k.target, k.verified_at, k.result, k.detail FROM copies k"
                + " JOIN files f ON f.id = k.file_id WHERE k.target = ?")) {
            s.setString(1, target);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new Copy(r.getString(1), r.getString(2), Instant.parse(r.getString(3)),
                            CopyResult.valueOf(r.getString(4)), r.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /**
     * Hands {@code each} every file of the catalog, in path order, holding one at a time; returns how many.
     * {@code each} must not call back into this catalog.
     */
    public synchronized long forEachFile(java.util.function.Consumer<CatalogFile> each) {
        long n = 0;
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + FILE_COLUMNS + " FROM files WHERE archived = 0 ORDER BY path")) {
            while (r.next()) {
                each.accept(catalogFile(r));
                n++;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return n;
    }

    /**
     * Hands {@code each} every asset with its files and their known copies, one asset at a time (what the 3-2-1
     * status reads); returns how many assets. Files that belong to no asset (not photos, movies or sidecars) are not
     * handed out. {@code each} must not call back into this catalog.
     */
    public synchronized long forEachAsset(java.util.function.Consumer<CopiesOfAsset> each) {
        long n = 0;
        // rows come asset by asset (the assets' index, no sorting). Without statistics SQLite would build a throw-away
        // index of all copies for this join (about 5x slower on 100,000 assets) rather than use their key
        try (Statement off = c.createStatement()) {
            off.execute("PRAGMA automatic_index = OFF");
        } catch (SQLException e) {
            throw translate(e);
        }
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT a.group_key, a.primary_path, f.path, f.sha256, k.target, k.verified_at,"
                     + " k.result, k.detail FROM assets a JOIN files f ON f.group_key = a.group_key AND f.archived = 0"
                     + " LEFT JOIN copies k ON k.file_id = f.id ORDER BY a.group_key")) {
            String key = null;
            String primary = null;
            // path -> its sha256 and copies; a file's rows need not be next to each other
            Map<String, PendingFile> files = new LinkedHashMap<>();
            // a run records all its copies with one time: parse each distinct text once in a row
            String lastTime = null;
            Instant lastInstant = null;
            while (r.next()) {
                String k = r.getString(1);
                if (key != null && !k.equals(key)) {
                    each.accept(asset(primary, files));
                    n++;
                    files.clear();
                }
                key = k;
                primary = r.getString(2);
                String p = r.getString(3);
                String sha = r.getString(4);
                List<Copy> copies = files.computeIfAbsent(p, x -> new PendingFile(sha, new ArrayList<>())).copies();
                if (r.getString(5) != null) {
                    String time = r.getString(6);
                    if (!time.equals(lastTime)) {
                        lastTime = time;
                        lastInstant = Instant.parse(time);
                    }
                    copies.add(new Copy(p, r.getString(5), lastInstant, CopyResult.valueOf(r.getString(7)),
                            r.getString(8)));
                }
            }
            if (key != null) {
                each.accept(asset(primary, files));
                n++;
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            try (Statement on = c.createStatement()) {
                on.execute("PRAGMA automatic_index = ON");
            } catch (SQLException e) {
                // the default again at the next connection; queries stay correct either way
            }
        }
        return n;
    }

    private record PendingFile(String sha256, List<Copy> copies) {
    }

    private static CopiesOfAsset asset(String primary, Map<String, PendingFile> files) {
        List<CopiesOfAsset.FileCopies> out = new ArrayList<>(files.size());
        files.forEach((path, v) -> out.add(new CopiesOfAsset.FileCopies(path, v.sha256(), v.copies())));
        out.sort(Comparator.comparing(CopiesOfAsset.FileCopies::path));
        return new CopiesOfAsset(primary, out);
    }

    // ------------------------------------------------------------------------------------------------ all files

    /**
     * Up to {@code limit} files whose path sorts after {@code after} (null: from the first), in path order (the
     * byte order of the UTF-8 paths, as SQLite compares text). Paging through the files this way holds one page in
     * memory however large the library.
     */
    public synchronized List<CatalogFile> filesAfter(String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return after == null ? files("SELECT " + FILE_COLUMNS + " FROM files WHERE archived = 0 ORDER BY path LIMIT ?", limit)
                : files("SELECT " + FILE_COLUMNS + " FROM files WHERE path > ? AND archived = 0 ORDER BY path LIMIT ?",
                after, limit);
    }

    /**
     * Writes a consistent copy of the whole catalog to {@code file} (which must not exist) while others keep using
     * it: SQLite's {@code VACUUM INTO}, one read transaction, so it waits for no writer and no writer waits for it.
     * The copy is a compact, self-contained database (no WAL file beside it).
     */
    public synchronized void copyTo(Path file) {
        try (PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
            s.setString(1, file.toAbsolutePath().toString());
            s.execute();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** A file of the library as a file system object: its modification time and file key (device and inode). */
    public record FileIdentity(String path, Instant mtime, String fileKey) {
    }

    /**
     * Takes note, in one transaction, that these files are now other file system objects with these modification
     * times, their content unchanged (the caller checked each one's hash), so the next scan need not read them again:
     * a recovery does this for the files it restored, which have new inodes. Returns how many rows were updated.
     */
    public synchronized int updateIdentities(Collection<FileIdentity> files) {
        if (files.isEmpty()) {
            return 0;
        }
        return inTransaction(() -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("UPDATE files SET mtime_ns = ?, file_key = ? WHERE path = ?")) {
                for (FileIdentity f : files) {
                    s.setLong(1, nanos(f.mtime()));
                    s.setString(2, f.fileKey());
                    s.setString(3, checkPath(f.path()));
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }

    // ------------------------------------------------------------------------------------------------ archives

    /** A shoot of the library as the catalog knows it: its live files and their bytes. */
    public record Shoot(String name, long files, long bytes) {
    }

    /** The shoots that have files in the library (not archived ones), by name. */
    public synchronized List<Shoot> shoots() {
        List<Shoot> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT shoot, COUNT(*), SUM(size) FROM files WHERE archived = 0 AND shoot IS"
                     + " NOT NULL GROUP BY shoot ORDER BY shoot")) {
            while (r.next()) {
                out.add(new Shoot(r.getString(1), r.getLong(2), r.getLong(3)));
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** The files of {@code shoot} that are in the library (not archived), in path order. */
    public synchronized List<CatalogFile> filesOfShoot(String shoot) {
        return files("SELECT " + FILE_COLUMNS + " FROM files WHERE shoot = ? AND archived = 0 ORDER BY path", shoot);
    }

    /**
     * One file an archive holds.
     *
     * @param path         its path in the library
     * @param sha256       its content when it was archived
     * @param size         its size then
     * @param snapshotPath its path inside the archive snapshot
     */
    public record ArchivedFile(String path, String sha256, long size, String snapshotPath) {
        public ArchivedFile {
            checkPath(path);
            sha256 = checkSha256(sha256);
        }
    }

    /** Where (part of) a shoot lives since it was archived: a vault target's snapshot, and the files it holds. */
    public record Archive(long id, String shoot, String target, String snapshot, Instant at, List<ArchivedFile> files) {
        public Archive {
            files = List.copyOf(files);
        }

        public long bytes() {
            return files.stream().mapToLong(ArchivedFile::size).sum();
        }
    }

    /**
     * Records that {@code snapshot} of vault target {@code target} holds these files of {@code shoot}: done before the
     * files leave the library, so that the record exists whatever happens next. Returns the archive's id.
     */
    public synchronized long recordArchive(String shoot, String target, String snapshot, Instant at,
                                           Collection<ArchivedFile> files) {
        return inTransaction(() -> {
            long id;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO archives (shoot, target, snapshot, archived_at)"
                    + " VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                s.setString(1, shoot);
                s.setString(2, target);
                s.setString(3, snapshot);
                s.setString(4, at.toString());
                s.executeUpdate();
                try (ResultSet k = s.getGeneratedKeys()) {
                    k.next();
                    id = k.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO archived_files (archive_id, path, sha256, size,"
                    + " snapshot_path) VALUES (?, ?, ?, ?, ?)")) {
                for (ArchivedFile f : files) {
                    s.setLong(1, id);
                    s.setString(2, f.path());
                    s.setString(3, f.sha256());
                    s.setLong(4, f.size());
                    s.setString(5, f.snapshotPath());
                    s.executeUpdate();
                }
            }
            return id;
        });
    }

    /**
     * Ends an archiving, in one transaction: the files {@code removed} from the library are marked archived; the
     * files {@code kept} (changed since, or that could not be removed) are dropped from the archives {@code ids}; an
     * archive left with no file is dropped.
     */
    public synchronized void finishArchive(Collection<Long> ids, Collection<String> removed, Collection<String> kept) {
        inTransaction(() -> {
            try (PreparedStatement mark = c.prepareStatement("UPDATE files SET archived = 1 WHERE path = ?");
                 PreparedStatement drop = c.prepareStatement("DELETE FROM archived_files WHERE archive_id = ? AND"
                         + " path = ?")) {
                for (String p : removed) {
                    mark.setString(1, checkPath(p));
                    mark.executeUpdate();
                }
                for (long id : ids) {
                    for (String p : kept) {
                        drop.setLong(1, id);
                        drop.setString(2, p);
                        drop.executeUpdate();
                    }
                }
            }
            dropEmptyArchives();
            return null;
        });
    }

    /** Every archive (or those of {@code shoot}), oldest first, with its files in path order. */
    public synchronized List<Archive> archives(String shoot) {
        List<Archive> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, shoot, target, snapshot, archived_at FROM archives"
                + (shoot == null ? "" : " WHERE shoot = ?") + " ORDER BY archived_at, id");
             PreparedStatement fs = c.prepareStatement("SELECT path, sha256, size, snapshot_path FROM archived_files"
                     + " WHERE archive_id = ? ORDER BY path")) {
            if (shoot != null) {
                s.setString(1, shoot);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    List<ArchivedFile> files = new ArrayList<>();
                    fs.setLong(1, r.getLong(1));
                    try (ResultSet f = fs.executeQuery()) {
                        while (f.next()) {
                            files.add(new ArchivedFile(f.getString(1), f.getString(2), f.getLong(3), f.getString(4)));
                        }
                    }
                    out.add(new Archive(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            Instant.parse(r.getString(5)), files));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** How many assets have all their catalogued files archived (none left in the library). */
    public synchronized long archivedAssets() {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM assets a WHERE NOT EXISTS (SELECT 1 FROM files f WHERE"
                     + " f.group_key = a.group_key AND f.archived = 0)")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Takes note, in one transaction, that these files of {@code shoot} are back in the library (restored and checked
     * by the caller), as the file system objects given: they are live files again, and no archive of the shoot
     * holds them any more (an archive left with no file is dropped). Returns how many catalog rows came back.
     */
    public synchronized int unarchived(String shoot, Collection<FileIdentity> files) {
        return inTransaction(() -> {
            int n = 0;
            try (PreparedStatement live = c.prepareStatement("UPDATE files SET archived = 0, mtime_ns = ?, file_key = ?"
                    + " WHERE path = ?");
                 PreparedStatement drop = c.prepareStatement("DELETE FROM archived_files WHERE path = ? AND archive_id"
                         + " IN (SELECT id FROM archives WHERE shoot = ?)")) {
                for (FileIdentity f : files) {
                    live.setLong(1, nanos(f.mtime()));
                    live.setString(2, f.fileKey());
                    live.setString(3, checkPath(f.path()));
                    n += live.executeUpdate();
                    drop.setString(1, f.path());
                    drop.setString(2, shoot);
                    drop.executeUpdate();
                }
            }
            dropEmptyArchives();
            return n;
        });
    }

    private void dropEmptyArchives() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM archives WHERE NOT EXISTS (SELECT 1 FROM archived_files f WHERE"
                    + " f.archive_id = archives.id)");
        }
    }

    // ------------------------------------------------------------------------------------------------ find

    /** Counts: files, assets, and files whose capture time is the modification-time fallback. */
    public record Counts(long files, long assets, long timeFallbacks) {
    }

    public synchronized Counts counts() {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT (SELECT COUNT(*) FROM files WHERE archived = 0), (SELECT COUNT(*)"
                     + " FROM assets a WHERE EXISTS (SELECT 1 FROM files f WHERE f.group_key = a.group_key"
                     + " AND f.archived = 0)), (SELECT COUNT(*) FROM files WHERE taken_source = 'FILE_MTIME'"
                     + " AND group_key IS NOT NULL AND archived = 0)")) {
            r.next();
            return new Counts(r.getLong(1), r.getLong(2), r.getLong(3));
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The assets matching {@code q}, earliest capture time first, each with its files (primary first). */
    public List<Asset> find(Query q) {
        List<Asset> out = new ArrayList<>();
        find(q, out::add);
        return out;
    }

    /**
     * Hands {@code each} the assets matching {@code q} one by one, earliest first, each with its files (primary
     * first), holding a few hundred in memory at a time however many match; returns how many there were.
     * {@code each} must not call back into this catalog.
     */
    public synchronized long find(Query q, java.util.function.Consumer<Asset> each) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.takenFrom() != null) {
            where.append(" AND taken >= ?");
            args.add(q.takenFrom());
        }
        if (q.takenTo() != null) {
            where.append(" AND taken < ?");
            args.add(q.takenTo());
        }
        if (q.camera() != null) {
            where.append(" AND (COALESCE(make, '') || ' ' || COALESCE(model, '')) LIKE ? ESCAPE '\\'");
            args.add(like(q.camera()));
        }
        if (q.lens() != null) {
            where.append(" AND lens LIKE ? ESCAPE '\\'");
            args.add(like(q.lens()));
        }
        if (q.minRating() != null) {
            where.append(" AND rating >= ?");
            args.add(q.minRating());
        }
        if (q.maxRating() != null) {
            where.append(" AND rating <= ?");
            args.add(q.maxRating());
        }
        if (q.shoot() != null) {
            where.append(" AND shoot LIKE ? ESCAPE '\\'");
            args.add(like(q.shoot()));
        }
        if (q.near() != null) {
            Query.Near n = q.near();
            double dLat = n.km() / 110.574;
            where.append(" AND lat BETWEEN ? AND ?");
            args.add(n.latitude() - dLat);
            args.add(n.latitude() + dLat);
            double cos = Math.cos(Math.toRadians(Math.min(89.9, Math.abs(n.latitude()) + dLat)));
            double dLon = n.km() / (111.320 * cos);
            if (n.longitude() - dLon > -180 && n.longitude() + dLon < 180) {
                where.append(" AND lon BETWEEN ? AND ?");
                args.add(n.longitude() - dLon);
                args.add(n.longitude() + dLon);
            }
        }
        boolean limitInSql = q.limit() > 0 && q.near() == null;
        String sql = "SELECT id, group_key, taken, taken_offset, taken_source, make, model, lens, rating, label, lat, lon,"
                + " shoot FROM assets" + where + " ORDER BY taken, id" + (limitInSql ? " LIMIT " + q.limit() : "");
        long count = 0;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<Found> chunk = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Found f = new Found(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            TimeSource.valueOf(r.getString(5)), r.getString(6), r.getString(7), r.getString(8),
                            integer(r, 9), r.getString(10), real(r, 11), real(r, 12), r.getString(13));
                    if (q.near() != null && !(f.lat() != null && f.lon() != null && new triplicate.metadata.GpsPosition(
                            f.lat(), f.lon(), null).distanceKm(q.near().latitude(), q.near().longitude()) <= q.near().km())) {
                        continue;
                    }
                    chunk.add(f);
                    count++;
                    if (chunk.size() == CHUNK) {
                        emit(chunk, each);
                        chunk.clear();
                    }
                    if (q.limit() > 0 && count >= q.limit()) {
                        break;
                    }
                }
            }
            emit(chunk, each);
            return count;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Assets whose files are fetched with one query. */
    private static final int CHUNK = 500;

    private record Found(long id, String key, String taken, String offset, TimeSource source, String make, String model,
                         String lens, Integer rating, String label, Double lat, Double lon, String shoot) {
    }

    private void emit(List<Found> chunk, java.util.function.Consumer<Asset> each) throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        Map<String, List<CatalogFile>> files = new HashMap<>();
        try (PreparedStatement fs = c.prepareStatement("SELECT " + FILE_COLUMNS + ", group_key FROM files WHERE group_key IN ("
                + "?,".repeat(chunk.size() - 1) + "?)")) {
            bind(fs, new ArrayList<>(chunk.stream().map(Found::key).toList()));
            try (ResultSet r = fs.executeQuery()) {
                while (r.next()) {
                    files.computeIfAbsent(r.getString(13), k -> new ArrayList<>()).add(catalogFile(r));
                }
            }
        }
        for (Found f : chunk) {
            List<CatalogFile> members = files.getOrDefault(f.key(), new ArrayList<>());
            members.sort(MEMBER_ORDER);
            each.accept(new Asset(f.id(), f.taken(), f.offset(), f.source(), f.make(), f.model(), f.lens(), f.rating(),
                    f.label(), f.lat(), f.lon(), f.shoot(), members));
        }
    }

    private static final Comparator<CatalogFile> MEMBER_ORDER =
            Comparator.comparingInt((CatalogFile f) -> rank(f.format())).thenComparing(CatalogFile::path);

    // ------------------------------------------------------------------------------------------------ for the scanner

    /** What the catalog knows of a file, to tell whether it changed: size, mtime, file key (device and inode). */
    record Known(String path, long size, long mtimeNs, String fileKey, String shoot) {
    }

    /** A file to write: {@code shoot} null keeps the row's shoot (or, for a new row, takes the folder name). */
    record Row(String path, long size, String sha256, long mtimeNs, String fileKey, PhotoMetadata metadata,
               String shoot, boolean setShoot) {
    }

    /** A file found at a new path with the same file key, size and mtime as a vanished one. */
    record Move(String from, String to, long mtimeNs, String fileKey) {
    }

    synchronized Map<String, Known> knownFiles() {
        Map<String, Known> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT path, size, mtime_ns, file_key, shoot FROM files WHERE archived = 0")) {
            while (r.next()) {
                out.put(r.getString(1), new Known(r.getString(1), r.getLong(2), r.getLong(3), r.getString(4),
                        r.getString(5)));
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    /** Writes rows, moves and removals in one transaction, and brings every asset they touch up to date. */
    synchronized void apply(Collection<Row> rows, Collection<Move> moves, Collection<String> removals) {
        inTransaction(() -> {
            java.util.Set<String> keys = new java.util.HashSet<>();
            try (PreparedStatement upsert = c.prepareStatement(Schema.version(c) < 3 ? UPSERT
                    : UPSERT + ", archived = 0");
                 PreparedStatement delKeywords = c.prepareStatement(
                         "DELETE FROM keywords WHERE file_id = (SELECT id FROM files WHERE path = ?)");
                 PreparedStatement addKeyword = c.prepareStatement(
                         "INSERT OR IGNORE INTO keywords (file_id, keyword) SELECT id, ? FROM files WHERE path = ?");
                 PreparedStatement keyOf = c.prepareStatement("SELECT group_key FROM files WHERE path = ?");
                 PreparedStatement move = c.prepareStatement("UPDATE files SET path = ?, group_key = ?, mtime_ns = ?,"
                         + " file_key = ?, shoot = CASE WHEN shoot IS ? THEN ? ELSE shoot END WHERE path = ?");
                 PreparedStatement remove = c.prepareStatement("DELETE FROM files WHERE path = ?");
                 // a file an archive holds is not forgotten when it leaves the library: it is marked archived
                 PreparedStatement archive = Schema.version(c) < 3 ? null : c.prepareStatement("UPDATE files SET"
                         + " archived = 1 WHERE path = ? AND EXISTS (SELECT 1 FROM archived_files a WHERE a.path ="
                         + " files.path AND a.sha256 = files.sha256)");
                 // the tests write version-1 catalogs, which have no copies yet
                 PreparedStatement forget = Schema.version(c) < 2 ? null : c.prepareStatement("DELETE FROM copies"
                         + " WHERE file_id = (SELECT id FROM files WHERE path = ? AND sha256 <> ?)")) {
                for (String p : removals) {
                    oldKey(keyOf, p, keys);
                    if (archive != null) {
                        archive.setString(1, p);
                        if (archive.executeUpdate() > 0) {
                            continue;
                        }
                    }
                    remove.setString(1, p);
                    remove.executeUpdate();
                }
                for (Move m : moves) {
                    oldKey(keyOf, m.from(), keys);
                    PhotoFormat format = formatOf(m.from());
                    String key = AssetKey.of(m.to(), format);
                    if (key != null) {
                        keys.add(key);
                    }
                    move.setString(1, m.to());
                    move.setString(2, key);
                    move.setLong(3, m.mtimeNs());
                    move.setString(4, m.fileKey());
                    move.setString(5, folderName(m.from()));
                    move.setString(6, folderName(m.to()));
                    move.setString(7, m.from());
                    move.executeUpdate();
                }
                String now = clock.instant().toString();
                for (Row r : rows) {
                    oldKey(keyOf, r.path(), keys);
                    String key = AssetKey.of(r.path(), r.metadata().format());
                    if (key != null) {
                        keys.add(key);
                    }
                    // the copies held the old content: they are not copies of this file any more
                    if (forget != null) {
                        forget.setString(1, r.path());
                        forget.setString(2, r.sha256());
                        forget.executeUpdate();
                    }
                    bindRow(upsert, r, key, now);
                    upsert.executeUpdate();
                    delKeywords.setString(1, r.path());
                    delKeywords.executeUpdate();
                    for (String k : r.metadata().keywords()) {
                        addKeyword.setString(1, k);
                        addKeyword.setString(2, r.path());
                        addKeyword.executeUpdate();
                    }
                }
            }
            refreshAssets(keys);
            return null;
        });
    }

    private static final String UPSERT = """
            INSERT INTO files (path, group_key, size, sha256, mtime_ns, file_key, format, shoot, indexed_at, taken,
              taken_offset, taken_digits, taken_source, make, model, serial, lens, focal_mm, exposure_s, f_number, iso,
              width, height, orientation, lat, lon, alt, rating, label, warnings)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (path) DO UPDATE SET group_key = excluded.group_key, size = excluded.size,
              sha256 = excluded.sha256, mtime_ns = excluded.mtime_ns, file_key = excluded.file_key,
              format = excluded.format, shoot = CASE WHEN ? THEN excluded.shoot ELSE files.shoot END,
              indexed_at = excluded.indexed_at, taken = excluded.taken, taken_offset = excluded.taken_offset,
              taken_digits = excluded.taken_digits, taken_source = excluded.taken_source, make = excluded.make,
              model = excluded.model, serial = excluded.serial, lens = excluded.lens, focal_mm = excluded.focal_mm,
              exposure_s = excluded.exposure_s, f_number = excluded.f_number, iso = excluded.iso,
              width = excluded.width, height = excluded.height, orientation = excluded.orientation,
              lat = excluded.lat, lon = excluded.lon, alt = excluded.alt, rating = excluded.rating,
              label = excluded.label, warnings = excluded.warnings""";

    private static void bindRow(PreparedStatement s, Row r, String key, String now) throws SQLException {
        PhotoMetadata m = r.metadata();
        CaptureTime t = m.captureTime();
        int i = 1;
        s.setString(i++, r.path());
        s.setString(i++, key);
        s.setLong(i++, r.size());
        s.setString(i++, r.sha256());
        s.setLong(i++, r.mtimeNs());
        s.setString(i++, r.fileKey());
        s.setString(i++, m.format().name());
        s.setString(i++, r.shoot() != null ? r.shoot() : folderName(r.path()));
        s.setString(i++, now);
        s.setString(i++, t.localText());
        s.setString(i++, t.offset() == null ? null : t.offset().getId());
        s.setInt(i++, t.subsecondDigits());
        s.setString(i++, t.source().name());
        s.setString(i++, m.make());
        s.setString(i++, m.model());
        s.setString(i++, m.serial());
        s.setString(i++, m.lens());
        setDouble(s, i++, m.focalLength());
        setDouble(s, i++, m.exposureTime());
        setDouble(s, i++, m.fNumber());
        setInt(s, i++, m.iso());
        setInt(s, i++, m.width());
        setInt(s, i++, m.height());
        setInt(s, i++, m.orientation());
        setDouble(s, i++, m.gps() == null ? null : m.gps().latitude());
        setDouble(s, i++, m.gps() == null ? null : m.gps().longitude());
        setDouble(s, i++, m.gps() == null ? null : m.gps().altitude());
        setInt(s, i++, m.rating());
        s.setString(i++, m.label());
        s.setString(i++, m.warnings().isEmpty() ? null : String.join("\n", m.warnings()));
        s.setBoolean(i, r.setShoot());
    }

    /** Recomputes (or deletes) the asset row of every group key in {@code keys}. */
    private void refreshAssets(Collection<String> keys) throws SQLException {
        try (PreparedStatement members = c.prepareStatement("SELECT path, format, taken, taken_offset, taken_source, make,"
                + " model, lens, rating, label, lat, lon, shoot FROM files WHERE group_key = ?");
             PreparedStatement upsert = c.prepareStatement("INSERT INTO assets (group_key, primary_path, file_count, taken,"
                     + " taken_offset, taken_source, make, model, lens, rating, label, lat, lon, shoot)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_key) DO UPDATE SET"
                     + " primary_path = excluded.primary_path, file_count = excluded.file_count, taken = excluded.taken,"
                     + " taken_offset = excluded.taken_offset, taken_source = excluded.taken_source,"
                     + " make = excluded.make, model = excluded.model, lens = excluded.lens, rating = excluded.rating,"
                     + " label = excluded.label, lat = excluded.lat, lon = excluded.lon, shoot = excluded.shoot");
             PreparedStatement delete = c.prepareStatement("DELETE FROM assets WHERE group_key = ?")) {
            for (String key : keys) {
                members.setString(1, key);
                List<Member> list = new ArrayList<>();
                try (ResultSet r = members.executeQuery()) {
                    while (r.next()) {
                        list.add(new Member(r.getString(1), PhotoFormat.valueOf(r.getString(2)), r.getString(3),
                                r.getString(4), TimeSource.valueOf(r.getString(5)), r.getString(6), r.getString(7),
                                r.getString(8), integer(r, 9), r.getString(10), real(r, 11), real(r, 12), r.getString(13)));
                    }
                }
                if (list.isEmpty()) {
                    delete.setString(1, key);
                    delete.executeUpdate();
                    continue;
                }
                AssetSummary a = AssetSummary.of(list);
                int i = 1;
                upsert.setString(i++, key);
                upsert.setString(i++, a.primary().path());
                upsert.setInt(i++, list.size());
                upsert.setString(i++, a.time().taken());
                upsert.setString(i++, a.time().offset());
                upsert.setString(i++, a.time().source().name());
                upsert.setString(i++, a.camera() == null ? null : a.camera().make());
                upsert.setString(i++, a.camera() == null ? null : a.camera().model());
                upsert.setString(i++, a.lens());
                setInt(upsert, i++, a.rating());
                upsert.setString(i++, a.label());
                setDouble(upsert, i++, a.place() == null ? null : a.place().lat());
                setDouble(upsert, i++, a.place() == null ? null : a.place().lon());
                upsert.setString(i, a.primary().shoot());
                upsert.executeUpdate();
            }
        }
    }

    /** One file of an asset, as {@link AssetSummary} sums them up. */
    record Member(String path, PhotoFormat format, String taken, String offset, TimeSource source, String make,
                  String model, String lens, Integer rating, String label, Double lat, Double lon, String shoot) {
    }

    /** How an asset is summed up from its files; see docs/design/catalog.md. */
    record AssetSummary(Member primary, Member time, Member camera, String lens, Integer rating, String label,
                        Member place) {
        static AssetSummary of(List<Member> members) {
            List<Member> m = new ArrayList<>(members);
            m.sort(Comparator.comparingInt((Member x) -> rank(x.format())).thenComparing(Member::path));
            Member primary = m.get(0);
            Member time = m.stream().filter(x -> x.source() != TimeSource.FILE_MTIME).findFirst().orElse(primary);
            Member camera = m.stream().filter(x -> x.make() != null || x.model() != null).findFirst().orElse(null);
            String lens = m.stream().map(Member::lens).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            // a sidecar is where editors keep what the photographer decided: its rating and label come first
            List<Member> sidecarsFirst = new ArrayList<>(m);
            sidecarsFirst.sort(Comparator.comparing((Member x) -> x.format() != PhotoFormat.XMP));
            Integer rating = sidecarsFirst.stream().map(Member::rating).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
            String label = sidecarsFirst.stream().map(Member::label).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
            Member place = m.stream().filter(x -> x.lat() != null && x.lon() != null).findFirst().orElse(null);
            return new AssetSummary(primary, time, camera, lens, rating, label, place);
        }
    }

    /** The order of an asset's files: RAW, then HEIC, JPEG, TIFF, PNG, then movies, then sidecars. */
    static int rank(PhotoFormat f) {
        return switch (f) {
            case DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2 -> 0;
            case HEIC -> 1;
            case JPEG -> 2;
            case TIFF -> 3;
            case PNG -> 4;
            case MP4, MOV -> 5;
            case XMP -> 6;
            case OTHER -> 7;
        };
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try {
            c.setAutoCommit(false);
            try {
                T t = work.run();
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private void oldKey(PreparedStatement keyOf, String path, java.util.Set<String> keys) throws SQLException {
        keyOf.setString(1, path);
        try (ResultSet r = keyOf.executeQuery()) {
            if (r.next() && r.getString(1) != null) {
                keys.add(r.getString(1));
            }
        }
    }

    private PhotoFormat formatOf(String path) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT format FROM files WHERE path = ?")) {
            s.setString(1, path);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? PhotoFormat.valueOf(r.getString(1)) : PhotoFormat.fromFileName(path);
            }
        }
    }

    private List<CatalogFile> files(String sql, Object... args) {
        List<CatalogFile> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, List.of(args));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(catalogFile(r));
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }

    private static CatalogFile catalogFile(ResultSet r) throws SQLException {
        String w = r.getString(11);
        long ns = r.getLong(5);
        return new CatalogFile(r.getLong(1), r.getString(2), r.getLong(3), r.getString(4),
                Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)),
                PhotoFormat.valueOf(r.getString(6)), r.getString(7), r.getString(8), r.getString(9),
                TimeSource.valueOf(r.getString(10)), w == null ? List.of() : List.of(w.split("\n")), r.getInt(12) != 0);
    }

    private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
    }

    private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.REAL);
        } else {
            s.setDouble(i, v);
        }
    }

    private static void setInt(PreparedStatement s, int i, Integer v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setInt(i, v);
        }
    }

    private static Integer integer(ResultSet r, int i) throws SQLException {
        int v = r.getInt(i);
        return r.wasNull() ? null : v;
    }

    private static Double real(ResultSet r, int i) throws SQLException {
        double v = r.getDouble(i);
        return r.wasNull() ? null : v;
    }

    private static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /** The name of the folder a library path is in, or null at the top. */
    static String folderName(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        int prev = path.lastIndexOf('/', slash - 1);
        return path.substring(prev + 1, slash);
    }

    static String checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\0")
                || List.of(path.split("/", -1)).stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
            throw new IllegalArgumentException("not a path inside the library (relative, '/' between names): " + path);
        }
        return path;
    }

    static String checkSha256(String sha256) {
        String h = sha256.toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(h).matches()) {
            throw new IllegalArgumentException("not a SHA-256 (64 hex digits): " + sha256);
        }
        return h;
    }

    private RuntimeException translate(SQLException e) {
        return translate(e, database, busyTimeout);
    }

    static RuntimeException translate(SQLException e, Path database, Duration busyTimeout) {
        int code = e.getErrorCode() & 0xff;
        if (e instanceof SQLiteException s) {
            code = s.getResultCode().code & 0xff;
        }
        if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new CatalogBusyException("the catalog " + database + " is in use by another Triplicate process (a scan"
                    + " or an import) that kept it locked for more than " + String.format(Locale.ROOT, "%.1f", busyTimeout.toMillis() / 1000.0)
                    + " s; run this"
                    + " again when it has finished", e);
        }
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code || code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return new TriplicateException("the catalog " + database + " is damaged or not a catalog ("
                    + e.getMessage() + "); move it aside and run 'triplicate catalog scan' to rebuild it", e);
        }
        return new TriplicateException("the catalog " + database + " could not be read or written: " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** For tests: the members of every asset, by group key. */
    synchronized Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT group_key, path FROM files WHERE group_key IS NOT NULL ORDER BY group_key, path")) {
            while (r.next()) {
                out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return out;
    }
}
