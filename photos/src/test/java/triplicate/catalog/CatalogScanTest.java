package triplicate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.TimeSource;
import triplicate.phototest.Containers;
import triplicate.phototest.Samples;
import triplicate.phototest.Tools;

/** Scanning a library: grouping, the time fallback, incremental re-scans, moves, removals, unreadable files. */
class CatalogScanTest {
    @TempDir
    Path tmp;

    private Path lib;
    private final CountingReader reader = new CountingReader();

    @BeforeEach
    void setUp() throws IOException {
        lib = Files.createDirectories(tmp.resolve("library"));
    }

    private ScanResult scan() throws IOException {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            return new LibraryScanner(c, reader, 2, ZoneOffset.UTC).scan(new ScanProgress());
        }
    }

    private List<Asset> find(Query q) {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            return c.find(q);
        }
    }

    private java.util.Optional<CatalogFile> file(String path) {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            return c.file(path);
        }
    }

    private Catalog.Counts counts() {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            return c.counts();
        }
    }

    private Map<String, List<String>> groups() {
        try (Catalog c = Catalog.open(lib, CountingReader.CLOCK)) {
            return c.groups();
        }
    }

    private Path jpeg(String path, String... exiftool) throws IOException {
        return Tools.image(lib.resolve(path), exiftool);
    }

    @Test
    void rawJpegAndSidecarsFormOneAssetLivePhotosToo() throws IOException {
        jpeg("2024/paris/IMG_0001.JPG", "-DateTimeOriginal=2024:06:15 12:34:56", "-Make=Canon", "-Model=Canon EOS R5",
                "-XMP:Rating=2", "-LensModel=RF24-70mm F2.8 L IS USM");
        Containers.cr3(lib.resolve("2024/paris/IMG_0001.CR3"), null, null, null, null);   // unreadable dates
        Tools.run("exiftool", "-q", "-q", "-XMP:Rating=5", "-XMP:Label=Red", "-o",
                lib.resolve("2024/paris/IMG_0001.xmp").toString());
        Tools.run("exiftool", "-q", "-q", "-XMP:Subject=tower", "-o", lib.resolve("2024/paris/IMG_0001.CR3.xmp").toString());
        jpeg("2024/paris/IMG_0002.HEIC", "-DateTimeOriginal=2024:06:15 13:00:00");
        Containers.movie(lib.resolve("2024/paris/IMG_0002.MOV"), true, Instant.parse("2024-06-15T11:00:00Z"));
        jpeg("2024/paris/IMG_0002-edit.jpg", "-DateTimeOriginal=2024:06:15 13:00:00");
        Files.writeString(lib.resolve("2024/paris/notes.txt"), "a note");

        ScanResult r = scan();
        assertThat(r.added()).isEqualTo(8);
        assertThat(r.filesRead()).isEqualTo(8);
        Map<String, List<String>> groups = groups();
        assertThat(groups).containsExactly(
                Map.entry("2024/paris/img_0001", List.of("2024/paris/IMG_0001.CR3", "2024/paris/IMG_0001.CR3.xmp",
                        "2024/paris/IMG_0001.JPG", "2024/paris/IMG_0001.xmp")),
                Map.entry("2024/paris/img_0002", List.of("2024/paris/IMG_0002.HEIC", "2024/paris/IMG_0002.MOV")),
                Map.entry("2024/paris/img_0002-edit", List.of("2024/paris/IMG_0002-edit.jpg")));

        List<Asset> all = find(Query.all());
        assertThat(all).hasSize(3);
        Asset raw = all.get(0);
        assertThat(raw.files()).extracting(CatalogFile::path).startsWith("2024/paris/IMG_0001.CR3");
        assertThat(raw.files().get(0).format()).isEqualTo(PhotoFormat.CR3);
        // the CR3 has no date: the JPEG twin's capture time stands for the asset, not a fallback
        assertThat(raw.files().get(0).timeFallback()).isTrue();
        assertThat(raw.timeFallback()).isFalse();
        assertThat(raw.taken()).isEqualTo("2024-06-15T12:34:56");
        assertThat(raw.takenSource()).isEqualTo(TimeSource.EXIF_ORIGINAL);
        assertThat(raw.camera()).isEqualTo("Canon EOS R5");
        assertThat(raw.lens()).isEqualTo("RF24-70mm F2.8 L IS USM");
        assertThat(raw.rating()).as("the sidecar's rating wins over the JPEG's").isEqualTo(5);
        assertThat(raw.label()).isEqualTo("Red");
        assertThat(raw.shoot()).isEqualTo("paris");
        Catalog.Counts counts = counts();
        assertThat(counts.files()).isEqualTo(8);
        assertThat(counts.assets()).isEqualTo(3);
        assertThat(file("2024/paris/notes.txt").orElseThrow().format()).isEqualTo(PhotoFormat.OTHER);
    }

    @Test
    void aFileWithoutADateIsIndexedWithItsModificationTimeAndTheFallbackIsReported() throws IOException {
        Path png = Files.copy(Samples.tika("testPNG.png"), Files.createDirectories(lib.resolve("scans")).resolve("scan1.png"));
        Files.setLastModifiedTime(png, FileTime.from(Instant.parse("2020-02-02T10:00:00Z")));
        ScanResult r = scan();
        assertThat(r.added()).isEqualTo(1);
        assertThat(r.timeFallbacks()).isEqualTo(1);
        assertThat(r.warnings()).containsExactly(new ScanResult.Warning("scans/scan1.png",
                "no capture date in the file; its modification time 2020-02-02T10:00:00Z is used instead"));
        CatalogFile f = file("scans/scan1.png").orElseThrow();
        assertThat(f.timeFallback()).isTrue();
        assertThat(f.taken()).isEqualTo("2020-02-02T10:00:00");
        assertThat(f.warnings()).hasSize(1);
        assertThat(find(Query.all().withTaken("2020-02")).get(0).timeFallback()).isTrue();
        assertThat(counts().timeFallbacks()).isEqualTo(1);
    }

    @Test
    void badFilesAreIndexedAndNothingIsLost() throws IOException {
        byte[] full = Files.readAllBytes(Samples.tika("testJPEG_GEO.jpg"));
        Files.write(Files.createDirectories(lib.resolve("bad")).resolve("cut.jpg"), java.util.Arrays.copyOf(full, 300));
        Files.write(lib.resolve("bad/garbage.CR2"), new byte[] {1, 2, 3});
        Files.write(lib.resolve("bad/empty.JPG"), new byte[0]);
        Files.copy(Samples.imaging("data/images/tiff/1/ron and andy.tif"), lib.resolve("bad/zero-dates.tif"));
        ScanResult r = scan();
        assertThat(r.added()).isEqualTo(4);
        assertThat(r.timeFallbacks()).isEqualTo(4);
        assertThat(r.warnings()).extracting(ScanResult.Warning::path).contains("bad/cut.jpg", "bad/garbage.CR2",
                "bad/empty.JPG", "bad/zero-dates.tif");
        assertThat(r.warnings()).anyMatch(w -> w.path().equals("bad/zero-dates.tif") && w.message().contains("all zeros"));
        assertThat(find(Query.all())).hasSize(4);
        assertThat(file("bad/empty.JPG").orElseThrow().sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void unchangedFilesAreNotReadAgainChangedOnesAreMovedOnesAreMovedAndGoneOnesRemoved() throws IOException {
        Path a = jpeg("2024/a/IMG_0001.JPG", "-DateTimeOriginal=2024:06:15 12:34:56");
        Files.copy(a, lib.resolve("2024/a/IMG_0002.JPG"));
        Files.createDirectories(lib.resolve("2024/b"));
        Files.copy(a, lib.resolve("2024/b/IMG_0003.JPG"));
        assertThat(scan().added()).isEqualTo(3);
        assertThat(reader.read).hasSize(3);

        reader.read.clear();
        ScanResult again = scan();
        assertThat(again.unchanged()).isEqualTo(3);
        assertThat(again.filesRead()).isZero();
        assertThat(reader.read).isEmpty();

        Tools.exiftool(lib.resolve("2024/a/IMG_0002.JPG"), "-DateTimeOriginal=2024:07:01 08:00:00");
        Files.move(lib.resolve("2024/b"), lib.resolve("2024/b-renamed"));
        Files.delete(lib.resolve("2024/a/IMG_0001.JPG"));
        reader.read.clear();
        ScanResult third = scan();
        assertThat(reader.read).containsExactly("IMG_0002.JPG");
        assertThat(third.updated()).isEqualTo(1);
        assertThat(third.moved()).isEqualTo(1);
        assertThat(third.removed()).isEqualTo(1);
        assertThat(third.unchanged()).isZero();
        assertThat(file("2024/b-renamed/IMG_0003.JPG").orElseThrow().shoot()).isEqualTo("b-renamed");
        assertThat(file("2024/a/IMG_0001.JPG")).isEmpty();
        assertThat(find(Query.all().withTaken("2024-07")))
                .extracting(x -> x.files().get(0).path()).containsExactly("2024/a/IMG_0002.JPG");
    }

    @Test
    void anUnreadableFileIsAWarningAndKeepsItsEntry() throws IOException {
        jpeg("x/IMG_0001.JPG", "-DateTimeOriginal=2024:06:15 12:34:56");
        scan();
        Tools.exiftool(lib.resolve("x/IMG_0001.JPG"), "-Make=Nikon");
        reader.failing.add("IMG_0001.JPG");
        ScanResult r = scan();
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo("x/IMG_0001.JPG");
            assertThat(w.message()).contains("permission denied").contains("keeps what it knew");
        });
        assertThat(r.removed()).isZero();
        assertThat(file("x/IMG_0001.JPG")).isPresent();
    }

    @Test
    void skipsTheCatalogFolderAndHiddenFiles() throws IOException {
        jpeg("IMG_0001.JPG");
        Files.writeString(lib.resolve(".DS_Store"), "x");
        Files.createDirectories(lib.resolve(".thumbnails"));
        Files.writeString(lib.resolve(".thumbnails/t.jpg"), "x");
        Files.createDirectories(lib.resolve("@eaDir"));
        Files.writeString(lib.resolve("@eaDir/t.jpg"), "x");
        ScanResult r = scan();
        assertThat(r.filesSeen()).isEqualTo(1);
        assertThat(Files.exists(lib.resolve(".triplicate/catalog.db"))).isTrue();
        assertThat(file("IMG_0001.JPG").orElseThrow().shoot()).isNull();
    }
}
