package triplicate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.TriplicateException;
import triplicate.core.UnsupportedVersionException;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.GpsPosition;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.PhotoMetadata;
import triplicate.metadata.TimeSource;

/** The catalog's API without the scanner: what the importer records, find, copies, locking, damage. */
class CatalogTest {
    @TempDir
    Path lib;

    private Catalog catalog;

    @BeforeEach
    void open() {
        catalog = Catalog.open(lib, CountingReader.CLOCK);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        catalog.close();
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    private static PhotoMetadata photo(PhotoFormat f, String taken, String make, String model, String lens, Integer rating,
                                       GpsPosition gps) {
        return PhotoMetadata.builder(f, new CaptureTime(LocalDateTime.parse(taken), ZoneOffset.ofHours(2), 0,
                TimeSource.EXIF_ORIGINAL)).make(make).model(model).lens(lens).rating(rating).gps(gps)
                .keywords(List.of("k1", "k2")).build();
    }

    private CatalogFile record(String path, int hash, PhotoMetadata m, String shoot) {
        return catalog.recordImported(new ImportedFile(path, 1000 + hash, sha(hash), Instant.parse("2024-06-20T00:00:00Z"),
                m, shoot));
    }

    private void library() {
        GpsPosition paris = new GpsPosition(48.8584, 2.2945, 35.0);
        GpsPosition versailles = new GpsPosition(48.8049, 2.1204, null);
        GpsPosition tokyo = new GpsPosition(35.6586, 139.7454, null);
        record("2024/06-paris/IMG_0001.CR3", 1, photo(PhotoFormat.CR3, "2024-06-15T12:00:00", "Canon", "Canon EOS R5",
                "RF24-70mm F2.8 L IS USM", 5, paris), "Paris trip");
        record("2024/06-paris/IMG_0001.JPG", 2, photo(PhotoFormat.JPEG, "2024-06-15T12:00:00", "Canon", "Canon EOS R5",
                "RF24-70mm F2.8 L IS USM", null, paris), "Paris trip");
        record("2024/06-paris/IMG_0002.CR3", 3, photo(PhotoFormat.CR3, "2024-06-16T09:00:00", "Canon", "Canon EOS R5",
                "RF100-500mm", 3, versailles), "Paris trip");
        record("2024/07-tokyo/DSC_0001.NEF", 4, photo(PhotoFormat.NEF, "2024-07-01T18:00:00", "NIKON CORPORATION",
                "NIKON Z 8", "NIKKOR Z 24-120mm f/4 S", 4, tokyo), null);
        record("2023/IMG_9999.HEIC", 5, photo(PhotoFormat.HEIC, "2023-12-31T23:59:59", "Apple", "iPhone 15 Pro", null,
                null, null), null);
    }

    private List<String> find(Query q) {
        return catalog.find(q).stream().map(a -> a.files().get(0).path()).toList();
    }

    @Test
    void findByEveryCriterion() {
        library();
        assertThat(find(Query.all())).containsExactly("2023/IMG_9999.HEIC", "2024/06-paris/IMG_0001.CR3",
                "2024/06-paris/IMG_0002.CR3", "2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withTaken("2024-06"))).containsExactly("2024/06-paris/IMG_0001.CR3",
                "2024/06-paris/IMG_0002.CR3");
        assertThat(find(Query.all().withTaken("2024-06-16"))).containsExactly("2024/06-paris/IMG_0002.CR3");
        assertThat(find(Query.all().withTaken("2023"))).containsExactly("2023/IMG_9999.HEIC");
        assertThat(find(Query.all().withTaken("2023-12..2024-06-15"))).containsExactly("2023/IMG_9999.HEIC",
                "2024/06-paris/IMG_0001.CR3");
        assertThat(find(Query.all().withTaken("2024-07.."))).containsExactly("2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withCamera("nikon"))).containsExactly("2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withCamera("canon eos"))).hasSize(2);
        assertThat(find(Query.all().withCamera("iphone"))).containsExactly("2023/IMG_9999.HEIC");
        assertThat(find(Query.all().withLens("rf100"))).containsExactly("2024/06-paris/IMG_0002.CR3");
        assertThat(find(Query.all().withRating("≥4"))).containsExactly("2024/06-paris/IMG_0001.CR3",
                "2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withRating("4+"))).hasSize(2);
        assertThat(find(Query.all().withRating("4"))).hasSize(2);
        assertThat(find(Query.all().withRating("=5"))).containsExactly("2024/06-paris/IMG_0001.CR3");
        assertThat(find(Query.all().withRating("<=3"))).containsExactly("2024/06-paris/IMG_0002.CR3");
        assertThat(find(Query.all().withShoot("paris"))).hasSize(2);
        assertThat(find(Query.all().withShoot("07-tokyo"))).containsExactly("2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withNear("48.8566,2.3522,10"))).containsExactly("2024/06-paris/IMG_0001.CR3");
        assertThat(find(Query.all().withNear("48.8566,2.3522,25"))).hasSize(2);
        assertThat(find(Query.all().withNear("35.68,139.76,5"))).containsExactly("2024/07-tokyo/DSC_0001.NEF");
        assertThat(find(Query.all().withTaken("2024").withCamera("canon").withRating("4").withNear("48.86,2.29,2")))
                .containsExactly("2024/06-paris/IMG_0001.CR3");
        assertThat(find(Query.all().withLimit(2))).hasSize(2);
        assertThat(find(Query.all().withCamera("50%_off"))).isEmpty();
    }

    @Test
    void anAssetCarriesItsFilesAndSummary() {
        library();
        Asset a = catalog.find(Query.all().withTaken("2024-06-15")).get(0);
        assertThat(a.files()).extracting(CatalogFile::path).containsExactly("2024/06-paris/IMG_0001.CR3",
                "2024/06-paris/IMG_0001.JPG");
        assertThat(a.camera()).isEqualTo("Canon EOS R5");
        assertThat(a.taken()).isEqualTo("2024-06-15T12:00:00");
        assertThat(a.takenOffset()).isEqualTo("+02:00");
        assertThat(a.rating()).isEqualTo(5);
        assertThat(a.latitude()).isEqualTo(48.8584);
        assertThat(a.shoot()).isEqualTo("Paris trip");
        assertThat(catalog.find(Query.all().withCamera("nikon")).get(0).camera()).isEqualTo("NIKON Z 8");
    }

    @Test
    void whatTheImporterNeeds() {
        library();
        assertThat(catalog.filesWithSha256(sha(2).toUpperCase())).extracting(CatalogFile::path)
                .containsExactly("2024/06-paris/IMG_0001.JPG");
        assertThat(catalog.filesWithSha256(sha(99))).isEmpty();
        CatalogFile again = record("2024/06-paris/copy.JPG", 2, photo(PhotoFormat.JPEG, "2024-06-15T12:00:00", null, null,
                null, null, null), "Paris trip");
        assertThat(again.sha256()).isEqualTo(sha(2));
        assertThat(catalog.filesWithSha256(sha(2))).hasSize(2);
        CatalogFile f = catalog.file("2024/06-paris/IMG_0001.CR3").orElseThrow();
        assertThat(f.size()).isEqualTo(1001);
        assertThat(f.mtime()).isEqualTo(Instant.parse("2024-06-20T00:00:00Z"));
        assertThat(f.format()).isEqualTo(PhotoFormat.CR3);
        assertThat(f.shoot()).isEqualTo("Paris trip");
        assertThat(f.takenOffset()).isEqualTo("+02:00");
        assertThatThrownBy(() -> catalog.filesWithSha256("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImportedFile("../x.jpg", 1, sha(1), Instant.EPOCH, f(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImportedFile("/abs.jpg", 1, sha(1), Instant.EPOCH, f(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PhotoMetadata f() {
        return photo(PhotoFormat.JPEG, "2024-01-01T00:00:00", null, null, null, null, null);
    }

    @Test
    void copiesOfFiles() {
        library();
        catalog.recordCopy("2024/06-paris/IMG_0001.CR3", "nas", Instant.parse("2024-07-01T00:00:00Z"), CopyResult.OK, null);
        catalog.recordCopy("2024/06-paris/IMG_0001.CR3", "b2", Instant.parse("2024-07-02T00:00:00Z"), CopyResult.OK, "abcd");
        catalog.recordCopy("2024/06-paris/IMG_0001.CR3", "nas", Instant.parse("2024-08-01T00:00:00Z"), CopyResult.DAMAGED,
                "hash differs");
        assertThat(catalog.copies("2024/06-paris/IMG_0001.CR3")).containsExactly(
                new Copy("2024/06-paris/IMG_0001.CR3", "b2", Instant.parse("2024-07-02T00:00:00Z"), CopyResult.OK, "abcd"),
                new Copy("2024/06-paris/IMG_0001.CR3", "nas", Instant.parse("2024-08-01T00:00:00Z"), CopyResult.DAMAGED,
                        "hash differs"));
        assertThatThrownBy(() -> catalog.recordCopy("nope.jpg", "nas", Instant.EPOCH, CopyResult.OK, null))
                .hasMessageContaining("no file nope.jpg");
        catalog.apply(List.of(), List.of(), List.of("2024/06-paris/IMG_0001.CR3"));
        assertThat(catalog.copies("2024/06-paris/IMG_0001.CR3")).isEmpty();
        assertThat(find(Query.all().withTaken("2024-06-15"))).containsExactly("2024/06-paris/IMG_0001.JPG");
    }

    @Test
    void aCatalogLockedByAnotherProcessGivesAClearError() throws SQLException {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + catalog.database());
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("INSERT INTO files (path, size, sha256, mtime_ns, format, indexed_at, taken, taken_digits,"
                    + " taken_source) VALUES ('held.jpg', 1, 'x', 0, 'JPEG', 'now', 'then', 0, 'FILE_MTIME')");
            try (Catalog busy = Catalog.open(lib, CountingReader.CLOCK, Duration.ofMillis(300))) {
                assertThatThrownBy(() -> busy.recordImported(new ImportedFile("a.jpg", 1, sha(1), Instant.EPOCH, f(), null)))
                        .isInstanceOf(CatalogBusyException.class)
                        .hasMessageContaining(catalog.database().toString())
                        .hasMessageContaining("in use by another Triplicate process");
                assertThat(busy.find(Query.all())).as("readers are not blocked by a writer (WAL)").isEmpty();
            }
            s.execute("ROLLBACK");
        }
    }

    @Test
    void aDamagedCatalogSaysSo() throws IOException {
        catalog.close();
        Files.delete(Catalog.databaseOf(lib));
        Files.writeString(Catalog.databaseOf(lib), "this is not a database, but it is long enough to look like one. ".repeat(100));
        assertThatThrownBy(() -> Catalog.open(lib, CountingReader.CLOCK)).isInstanceOf(TriplicateException.class)
                .hasMessageContaining("damaged or not a catalog");
        catalog = Catalog.open(Files.createDirectories(lib.resolve("other")), CountingReader.CLOCK);
    }

    @Test
    void noCatalogForAQuery() {
        assertThatThrownBy(() -> Catalog.openExisting(lib.resolve("nowhere"), CountingReader.CLOCK))
                .hasMessageContaining("there is no catalog in").hasMessageContaining("triplicate catalog scan");
    }

    @Test
    void queryParsingSaysWhatIsWrong() {
        assertThatThrownBy(() -> Query.all().withTaken("June")).hasMessageContaining("YYYY-MM");
        assertThatThrownBy(() -> Query.all().withTaken("2024-13")).hasMessageContaining("YYYY-MM");
        assertThatThrownBy(() -> Query.all().withTaken("2024-08..2024-06")).hasMessageContaining("ends before");
        assertThatThrownBy(() -> Query.all().withRating("6")).hasMessageContaining("-1 (rejected) to 5");
        assertThatThrownBy(() -> Query.all().withRating("great")).hasMessageContaining("--rating");
        assertThatThrownBy(() -> Query.all().withNear("48,2")).hasMessageContaining("LAT,LON,KM");
        assertThatThrownBy(() -> Query.all().withNear("95,2,1")).hasMessageContaining("-90<=LAT<=90");
        assertThat(Query.all().withTaken("2024-12").takenTo()).isEqualTo("2025-01");
    }
}
