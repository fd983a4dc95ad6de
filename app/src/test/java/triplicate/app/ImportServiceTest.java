package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogFile;
import triplicate.importer.FileOutcome;
import triplicate.importer.ImportProgress;
import triplicate.importer.ImportReport;
import triplicate.testkit.FakeClock;
import triplicate.testkit.RealServers;

/**
 * The import use case wired to the real metadata reader: capture times with sub-seconds and offsets as exiftool
 * wrote them name the files, a RAW without EXIF takes its JPEG twin's time, and the reader's reasons come with a
 * file named by its modification time.
 */
class ImportServiceTest {
    /** ImageMagick's convert (Debian's; another program may answer to the bare name on PATH). */
    private static final String CONVERT = Files.isExecutable(Path.of("/usr/bin/convert")) ? "/usr/bin/convert" : "convert";

    @TempDir
    Path tmp;

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void namesComeFromTheMetadataReader() throws Exception {
        RealServers.assume(works("exiftool", "-ver") && works(CONVERT, "-version"), "exiftool and ImageMagick",
                "apt-get install -y libimage-exiftool-perl imagemagick");
        Path card = tmp.resolve("card/DCIM/100CANON");
        Files.createDirectories(card);
        // two shots in one second, told apart by their sub-seconds; a RAW with no EXIF beside its JPEG; a future date
        for (String n : List.of("B_0001", "A_0002", "IMG_0003", "FUT_0004")) {
            run(List.of(CONVERT, "-size", "64x48", "-seed", Integer.toString(n.hashCode()), "plasma:",
                    card.resolve(n + ".JPG").toString()));
        }
        Files.write(card.resolve("IMG_0003.CR2"), "II*\0not really a raw".getBytes(StandardCharsets.US_ASCII));
        run(List.of("exiftool", "-q", "-overwrite_original",
                "-DateTimeOriginal=2024:05:04 10:15:00", "-SubSecTimeOriginal=900", "-OffsetTimeOriginal=+02:00",
                "-Make=FUJIFILM", "-Model=X-T5", card.resolve("B_0001.JPG").toString(), "-execute",
                "-q", "-overwrite_original", "-DateTimeOriginal=2024:05:04 10:15:00", "-SubSecTimeOriginal=100",
                "-Make=FUJIFILM", "-Model=X-T5", card.resolve("A_0002.JPG").toString(), "-execute",
                "-q", "-overwrite_original", "-DateTimeOriginal=2024:05:04 11:00:00", "-Make=FUJIFILM", "-Model=X-T5",
                card.resolve("IMG_0003.JPG").toString(), "-execute",
                "-q", "-overwrite_original", "-DateTimeOriginal=2099:01:01 00:00:00",
                card.resolve("FUT_0004.JPG").toString()));
        Files.setLastModifiedTime(card.resolve("FUT_0004.JPG"), FileTime.from(Instant.parse("2024-05-04T12:00:00Z")));
        Path library = tmp.resolve("library");

        ImportService service = new ImportService(new FakeClock(), ZoneOffset.UTC, 2);
        ImportService.Result result = service.run(new ImportService.Request(tmp.resolve("card"), library,
                "{camera}/{yyyyMMdd-HHmmss.SSS}_{seq:2}.{ext:lower}", null, false, false, true), new ImportProgress());
        ImportReport r = result.report();

        assertThat(r.imported()).isEqualTo(5);
        assertThat(files(library)).containsExactlyInAnyOrder(
                "FUJIFILM X-T5/20240504-101500.100_01.jpg",
                "FUJIFILM X-T5/20240504-101500.900_02.jpg",
                "FUJIFILM X-T5/20240504-110000.000_03.cr2",
                "FUJIFILM X-T5/20240504-110000.000_03.jpg",
                "unknown/20240504-120000.000_01.jpg");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo(tmp.resolve("card/DCIM/100CANON/FUT_0004.JPG"));
            assertThat(w.message()).startsWith("named by the file's modification time, 2024-05-04T12:00")
                    .contains("2099");
        });
        assertThat(r.files()).allMatch(f -> f instanceof FileOutcome.Imported);
        assertThat(result.ejection().ejected()).isFalse();
        assertThat(result.ejection().message()).startsWith("not ejected: ");

        // the catalog heard of every file, with its content hash and metadata
        try (Catalog catalog = Catalog.openExisting(library, new FakeClock())) {
            assertThat(catalog.counts().files()).isEqualTo(5);
            for (FileOutcome f : r.files()) {
                FileOutcome.Imported i = (FileOutcome.Imported) f;
                CatalogFile c = catalog.file(i.target().toString()).orElseThrow();
                assertThat(c.sha256()).isEqualTo(i.sha256());
                assertThat(c.size()).isEqualTo(i.size());
                assertThat(c.mtime()).isEqualTo(Files.getLastModifiedTime(library.resolve(i.target())).toInstant());
            }
            assertThat(catalog.counts().assets()).isEqualTo(4);
        }

        // a scan of the library finds what the import recorded as it is: nothing to read again
        CatalogService.Scan scan = new CatalogService(new FakeClock(), ZoneOffset.UTC, 1).scan(library,
                new triplicate.catalog.ScanProgress());
        assertThat(scan.result().unchanged()).isEqualTo(5);
        assertThat(scan.result().filesRead()).isZero();

        // so importing again with another template finds every photo already there, whatever its name
        ImportReport again = service.run(new ImportService.Request(tmp.resolve("card"), library,
                "{original}.{ext}", "Again", false, false, false), new ImportProgress()).report();
        assertThat(again.imported()).isZero();
        assertThat(again.duplicates()).isEqualTo(5);
        assertThat(files(library)).hasSize(5);
    }

    private static List<String> files(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith(".triplicate")).forEach(out::add);
        }
        return out;
    }
}
