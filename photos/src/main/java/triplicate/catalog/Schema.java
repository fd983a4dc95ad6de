package triplicate.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import triplicate.core.UnsupportedVersionException;

/**
 * The catalog's schema as ordered migrations. A database records its version in {@code schema_version}; opening it
 * applies, in one transaction each, every step above that version. Steps are never edited once released: a change is
 * a new step (and a fixture of the version before it in the tests). docs/design/catalog.md describes the result.
 */
final class Schema {
    /** One step: the version it leads to, what it does, and its statements. */
    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "files, assets and keywords", List.of(
                    """
                    CREATE TABLE files (
                      id INTEGER PRIMARY KEY,
                      path TEXT NOT NULL UNIQUE,
                      group_key TEXT,
                      size INTEGER NOT NULL,
                      sha256 TEXT NOT NULL,
                      mtime_ns INTEGER NOT NULL,
                      file_key TEXT,
                      format TEXT NOT NULL,
                      shoot TEXT,
                      indexed_at TEXT NOT NULL,
                      taken TEXT NOT NULL,
                      taken_offset TEXT,
                      taken_digits INTEGER NOT NULL,
                      taken_source TEXT NOT NULL,
                      make TEXT, model TEXT, serial TEXT, lens TEXT,
                      focal_mm REAL, exposure_s REAL, f_number REAL, iso INTEGER,
                      width INTEGER, height INTEGER, orientation INTEGER,
                      lat REAL, lon REAL, alt REAL,
                      rating INTEGER, label TEXT,
                      warnings TEXT
                    )""",
                    "CREATE INDEX files_sha256 ON files(sha256)",
                    "CREATE INDEX files_group ON files(group_key)",
                    """
                    CREATE TABLE keywords (
                      file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                      keyword TEXT NOT NULL,
                      PRIMARY KEY (file_id, keyword)
                    )""",
                    """
                    CREATE TABLE assets (
                      id INTEGER PRIMARY KEY,
                      group_key TEXT NOT NULL UNIQUE,
                      primary_path TEXT NOT NULL,
                      file_count INTEGER NOT NULL,
                      taken TEXT NOT NULL,
                      taken_offset TEXT,
                      taken_source TEXT NOT NULL,
                      make TEXT, model TEXT, lens TEXT,
                      rating INTEGER, label TEXT,
                      lat REAL, lon REAL,
                      shoot TEXT
                    )""")),
            new Migration(2, "copies of files on targets; indexes for find", List.of(
                    """
                    CREATE TABLE copies (
                      file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
                      target TEXT NOT NULL,
                      verified_at TEXT NOT NULL,
                      result TEXT NOT NULL,
                      detail TEXT,
                      PRIMARY KEY (file_id, target)
                    )""",
                    "CREATE INDEX copies_target ON copies(target)",
                    "CREATE INDEX assets_taken ON assets(taken)",
                    "CREATE INDEX assets_rating ON assets(rating)",
                    "CREATE INDEX assets_lat ON assets(lat)")),
            new Migration(3, "archived shoots: where they live, file by file", List.of(
                    """
                    CREATE TABLE archives (
                      id INTEGER PRIMARY KEY,
                      shoot TEXT NOT NULL,
                      target TEXT NOT NULL,
                      snapshot TEXT NOT NULL,
                      archived_at TEXT NOT NULL
                    )""",
                    "CREATE INDEX archives_shoot ON archives(shoot)",
                    """
                    CREATE TABLE archived_files (
                      archive_id INTEGER NOT NULL REFERENCES archives(id) ON DELETE CASCADE,
                      path TEXT NOT NULL,
                      sha256 TEXT NOT NULL,
                      size INTEGER NOT NULL,
                      snapshot_path TEXT NOT NULL,
                      PRIMARY KEY (archive_id, path)
                    )""",
                    "CREATE INDEX archived_files_path ON archived_files(path)",
                    "ALTER TABLE files ADD COLUMN archived INTEGER NOT NULL DEFAULT 0")));

    /** The version this build writes. */
    static final int LATEST = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private Schema() {
    }

    /** The database's version: 0 for an empty database. */
    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
            if (!r.next()) {
                return 0;
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /**
     * Brings the database up to {@code target} (normally {@link #LATEST}); returns the version it had. Refuses a
     * database newer than this build.
     */
    static int migrate(Connection c, int target, String where, Instant now) throws SQLException {
        int current = version(c);
        if (current >= target && current <= LATEST) {
            return current;   // nothing to do: no write lock taken, so opening never waits for another writer
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int from = version(c);
            if (from > LATEST) {
                c.rollback();
                throw new UnsupportedVersionException("the catalog " + where + " has schema version " + from
                        + ", newer than this Triplicate understands (" + LATEST + "); use a newer Triplicate");
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL,"
                        + " description TEXT NOT NULL)");
                for (Migration m : MIGRATIONS) {
                    if (m.version() > from && m.version() <= target) {
                        for (String sql : m.statements()) {
                            s.execute(sql);
                        }
                        try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
                            p.setInt(1, m.version());
                            p.setString(2, now.toString());
                            p.setString(3, m.description());
                            p.executeUpdate();
                        }
                    }
                }
            }
            c.commit();
            return from;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
