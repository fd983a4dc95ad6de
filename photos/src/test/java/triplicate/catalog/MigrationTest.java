package triplicate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.UnsupportedVersionException;
import triplicate.metadata.PhotoFormat;

/**
 * Schema migrations: a catalog written by an older version opens, is migrated in place, and keeps everything. The
 * committed fixture {@code catalog/v1.db} is a version-1 catalog of a small library (see {@link #makeV1Fixture}).
 */
class MigrationTest {
    @TempDir
    Path lib;

    @Test
    void theCommittedV1CatalogMigratesToTheLatestVersion() throws IOException {
        Path db = Files.createDirectories(lib.resolve(Catalog.FOLDER)).resolve(Catalog.FILE_NAME);
        try (InputStream in = getClass().getResourceAsStream("/catalog/v1.db")) {
            Files.copy(in, db);
        }
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            assertThat(c.schemaVersion()).isEqualTo(Catalog.SCHEMA_VERSION).isGreaterThan(1);
            assertThat(c.find(Query.all())).extracting(a -> a.files().get(0).path())
                    .containsExactly("2024/paris/IMG_0001.CR3", "2024/paris/IMG_0002.JPG");
            assertThat(c.find(Query.all().withRating("5"))).hasSize(1);
            assertThat(c.file("2024/paris/IMG_0001.JPG")).isPresent();
            // version 2's table works on the migrated catalog
            c.recordCopy("2024/paris/IMG_0001.CR3", "nas", Instant.parse("2025-01-01T00:00:00Z"), CopyResult.OK, null);
            assertThat(c.copies("2024/paris/IMG_0001.CR3")).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             var r = s.executeQuery("SELECT version, applied_at FROM schema_version ORDER BY version")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(1);
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(2);
            assertThat(r.getString(2)).isEqualTo("2026-01-01T00:00:00Z");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aV1CatalogMadeNowMigratesToo() {
        Path db = Catalog.databaseOf(lib);
        fillV1(db);
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            assertThat(c.schemaVersion()).isEqualTo(Catalog.SCHEMA_VERSION);
            assertThat(c.find(Query.all())).hasSize(2);
        }
    }

    @Test
    void aV2CatalogGainsArchivesAndAScanKeepsWhatAnArchiveHolds() {
        Path db = Catalog.databaseOf(lib);
        fillV1(db);
        try (Catalog c = Catalog.openDatabase(lib, db, CountingReader.CLOCK, Catalog.DEFAULT_BUSY_TIMEOUT, 2)) {
            assertThat(c.schemaVersion()).isEqualTo(2);
        }
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            assertThat(c.schemaVersion()).isEqualTo(3);
            assertThat(c.find(Query.all()).get(0).files()).noneMatch(CatalogFile::archived);
            assertThat(c.shoots()).extracting(Catalog.Shoot::name, Catalog.Shoot::files)
                    .containsExactly(org.assertj.core.api.Assertions.tuple("paris", 3L));
            long id = c.recordArchive("paris", "nas", "d".repeat(64), Instant.parse("2026-01-02T00:00:00Z"),
                    java.util.List.of(new Catalog.ArchivedFile("2024/paris/IMG_0001.CR3", "a".repeat(64), 100,
                            "paris/IMG_0001.CR3"), new Catalog.ArchivedFile("2024/paris/IMG_0001.JPG", "b".repeat(64),
                            10, "paris/IMG_0001.JPG")));
            // the files leave the library; a crash before finishArchive: the scan's removal marks them archived
            c.apply(java.util.List.of(), java.util.List.of(), java.util.List.of("2024/paris/IMG_0001.CR3"));
            c.finishArchive(java.util.List.of(id), java.util.List.of("2024/paris/IMG_0001.JPG"), java.util.List.of());
            assertThat(c.counts().files()).isEqualTo(1);
            assertThat(c.counts().assets()).isEqualTo(1);
            assertThat(c.archivedAssets()).isEqualTo(1);
            assertThat(c.knownFiles()).containsOnlyKeys("2024/paris/IMG_0002.JPG");
            assertThat(c.find(Query.all())).hasSize(2).first().satisfies(a ->
                    assertThat(a.files()).allMatch(CatalogFile::archived));
            assertThat(c.filesWithSha256("a".repeat(64))).isEmpty();
            assertThat(c.archives("paris")).singleElement().satisfies(a -> assertThat(a.files()).hasSize(2));
            c.unarchived("paris", java.util.List.of(new Catalog.FileIdentity("2024/paris/IMG_0001.CR3",
                    Instant.parse("2024-01-01T00:00:00Z"), null)));
            assertThat(c.archives("paris")).singleElement().satisfies(a -> assertThat(a.files()).extracting(
                    Catalog.ArchivedFile::path).containsExactly("2024/paris/IMG_0001.JPG"));
            c.unarchived("paris", java.util.List.of(new Catalog.FileIdentity("2024/paris/IMG_0001.JPG",
                    Instant.parse("2024-01-01T00:00:00Z"), null)));
            assertThat(c.archives(null)).isEmpty();
            assertThat(c.counts().files()).isEqualTo(3);
        }
    }

    @Test
    void aCatalogFromANewerTriplicateIsRefused() throws SQLException {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            assertThat(c.schemaVersion()).isEqualTo(Catalog.SCHEMA_VERSION);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Catalog.databaseOf(lib));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00Z', 'from the future')");
        }
        assertThatThrownBy(() -> Catalog.open(lib, CountingReader.CLOCK)).isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("newer Triplicate");
    }

    /** A version-1 catalog of two assets (a CR3 with its JPEG twin, rated 5; a JPEG), made by this build's v1 step. */
    static void fillV1(Path db) {
        try {
            Files.createDirectories(db.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (Catalog c = Catalog.openDatabase(db.getParent().getParent(), db, CountingReader.CLOCK,
                Catalog.DEFAULT_BUSY_TIMEOUT, 1)) {
            assertThat(c.schemaVersion()).isEqualTo(1);
            var t = new triplicate.metadata.CaptureTime(java.time.LocalDateTime.parse("2024-06-15T12:00:00"), null, 0,
                    triplicate.metadata.TimeSource.EXIF_ORIGINAL);
            var raw = triplicate.metadata.PhotoMetadata.builder(PhotoFormat.CR3, t).make("Canon").model("Canon EOS R5")
                    .rating(5).keywords(java.util.List.of("paris")).build();
            var jpg = triplicate.metadata.PhotoMetadata.builder(PhotoFormat.JPEG, t).make("Canon").model("Canon EOS R5").build();
            c.apply(java.util.List.of(
                    new Catalog.Row("2024/paris/IMG_0001.CR3", 100, "a".repeat(64), 1, null, raw, null, false),
                    new Catalog.Row("2024/paris/IMG_0001.JPG", 10, "b".repeat(64), 1, null, jpg, null, false),
                    new Catalog.Row("2024/paris/IMG_0002.JPG", 10, "c".repeat(64), 1, null,
                            triplicate.metadata.PhotoMetadata.builder(PhotoFormat.JPEG, new triplicate.metadata.CaptureTime(
                                    java.time.LocalDateTime.parse("2024-06-15T12:05:00"), null, 0,
                                    triplicate.metadata.TimeSource.EXIF_ORIGINAL)).build(), null, false)),
                    java.util.List.of(), java.util.List.of());
        }
    }

    /**
     * Writes the committed fixture. Run once when version 1 was the latest:
     * {@code TRIPLICATE_WRITE_FIXTURES=photos/src/test/resources ./build test -pl photos -am -Dtest=MigrationTest}.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "TRIPLICATE_WRITE_FIXTURES", matches = ".+")
    void makeV1Fixture() throws IOException, SQLException {
        String dest = System.getenv("TRIPLICATE_WRITE_FIXTURES");
        Path db = lib.resolve("fixture").resolve(Catalog.FOLDER).resolve(Catalog.FILE_NAME);
        fillV1(db);
        Path out = Path.of(dest).toAbsolutePath().resolve("catalog/v1.db");
        Files.createDirectories(out.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            Files.deleteIfExists(out);
            s.execute("VACUUM INTO '" + out.toString().replace("'", "''") + "'");
        }
    }
}
