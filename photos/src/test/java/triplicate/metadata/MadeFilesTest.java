package triplicate.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.phototest.Containers;
import triplicate.phototest.Containers.Ascii;
import triplicate.phototest.Containers.Ratio;
import triplicate.phototest.Containers.Ratios;
import triplicate.phototest.Containers.U16;
import triplicate.phototest.Tools;

/**
 * Files made in the test as a photographer's tools make them: ImageMagick draws, exiftool writes every field the
 * reader reads. Formats no registry ships a camera file of (CR3, NEF, ARW, DNG, RAF, ORF, RW2, MP4, MOV) are built
 * around such content following their published layouts: they test the reading paths, not a camera's quirks.
 */
class MadeFilesTest {
    private static final String[] EVERYTHING = {
        "-DateTimeOriginal=2024:06:15 12:34:56", "-SubSecTimeOriginal=25", "-OffsetTimeOriginal=+02:00",
        "-Make=Canon", "-Model=Canon EOS R5", "-SerialNumber=012345678901", "-LensModel=RF24-70mm F2.8 L IS USM",
        "-FocalLength=35", "-ExposureTime=1/250", "-FNumber=2.8", "-ISO=400", "-Orientation#=6",
        "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E",
        "-GPSAltitude=35", "-GPSAltitudeRef=0", "-XMP:Rating=4", "-XMP:Label=Red", "-XMP:Subject=paris",
        "-XMP:Subject=tower"};

    @TempDir
    Path dir;

    private final MetadataReader reader = MetadataReader.standard(
            InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")), ZoneId.of("Europe/Paris"));

    private static void assertEverything(PhotoMetadata m) {
        CaptureTime t = m.captureTime();
        assertThat(t.toString()).isEqualTo("2024-06-15T12:34:56.25+02:00");
        assertThat(t.source()).isEqualTo(TimeSource.EXIF_ORIGINAL);
        assertThat(t.instant()).contains(Instant.parse("2024-06-15T10:34:56.25Z"));
        assertThat(m.make()).isEqualTo("Canon");
        assertThat(m.camera()).isEqualTo("Canon EOS R5");
        assertThat(m.serial()).isEqualTo("012345678901");
        assertThat(m.lens()).isEqualTo("RF24-70mm F2.8 L IS USM");
        assertThat(m.focalLength()).isEqualTo(35.0);
        assertThat(m.exposureText()).isEqualTo("1/250");
        assertThat(m.fNumber()).isEqualTo(2.8);
        assertThat(m.iso()).isEqualTo(400);
        assertThat(m.orientation()).isEqualTo(6);
        assertThat(m.gps().latitude()).isCloseTo(48.8584, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(2.2945, within(1e-4));
        assertThat(m.gps().altitude()).isCloseTo(35.0, within(1e-6));
    }

    @Test
    void jpegWithEveryField() throws IOException {
        PhotoMetadata m = reader.read(Tools.image(dir.resolve("IMG_0001.JPG"), EVERYTHING));
        assertThat(m.format()).isEqualTo(PhotoFormat.JPEG);
        assertEverything(m);
        assertThat(m.width()).isEqualTo(64);
        assertThat(m.height()).isEqualTo(48);
        assertThat(m.rating()).isEqualTo(4);
        assertThat(m.label()).isEqualTo("Red");
        assertThat(m.keywords()).containsExactly("paris", "tower");
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void heicWithEveryExifField() throws IOException {
        PhotoMetadata m = reader.read(Tools.image(dir.resolve("IMG_0002.HEIC"), EVERYTHING));
        assertThat(m.format()).isEqualTo(PhotoFormat.HEIC);
        assertEverything(m);
    }

    @Test
    void pngAndTiffWithExif() throws IOException {
        for (String name : new String[] {"scan.png", "scan.tif"}) {
            PhotoMetadata m = reader.read(Tools.image(dir.resolve(name), EVERYTHING));
            assertThat(m.format()).as(name).isEqualTo(name.endsWith("png") ? PhotoFormat.PNG : PhotoFormat.TIFF);
            assertEverything(m);
            assertThat(m.width()).as(name).isEqualTo(64);
        }
    }

    @Test
    void tiffBasedRawFormatsGoByTheirName() throws IOException {
        Path tiff = Tools.image(dir.resolve("base.tif"), EVERYTHING);
        for (PhotoFormat f : new PhotoFormat[] {PhotoFormat.DNG, PhotoFormat.NEF, PhotoFormat.ARW}) {
            Path p = Files.copy(tiff, dir.resolve("DSC_0001." + f.extensions().get(0).toUpperCase()));
            if (f == PhotoFormat.DNG) {
                Tools.exiftool(p, "-DNGVersion=1.4.0.0");
            }
            PhotoMetadata m = reader.read(p);
            assertThat(m.format()).isEqualTo(f);
            assertEverything(m);
            assertThat(m.warnings()).isEmpty();
        }
    }

    @Test
    void olympusAndPanasonicRawSignatures() throws IOException {
        Path tiff = Tools.image(dir.resolve("base.tif"), EVERYTHING);
        PhotoMetadata orf = reader.read(Containers.withSignature(tiff, dir.resolve("P0001.ORF"), "IIRO"));
        assertThat(orf.format()).isEqualTo(PhotoFormat.ORF);
        assertEverything(orf);
        PhotoMetadata rw2 = reader.read(Containers.withSignature(tiff, dir.resolve("P0001.RW2"), "IIU\0"));
        assertThat(rw2.format()).isEqualTo(PhotoFormat.RW2);
        assertThat(rw2.camera()).isEqualTo("Canon EOS R5");
    }

    @Test
    void fujifilmRafReadsItsJpegPreview() throws IOException {
        byte[] jpeg = Files.readAllBytes(Tools.image(dir.resolve("preview.jpg"), EVERYTHING));
        PhotoMetadata m = reader.read(Containers.raf(dir.resolve("DSCF0001.RAF"), jpeg));
        assertThat(m.format()).isEqualTo(PhotoFormat.RAF);
        assertEverything(m);
    }

    @Test
    void canonCr3ReadsItsFourTiffBoxes() throws IOException {
        byte[] ifd0 = Containers.tiff(Map.of(0x010f, new Ascii("Canon"), 0x0110, new Ascii("Canon EOS R6"),
                0x0112, new U16(8), 0x0132, new Ascii("2023:12:31 23:59:58")));
        byte[] exif = Containers.tiff(Map.of(0x829a, new Ratio(1, 1000), 0x829d, new Ratio(56, 10),
                0x8827, new U16(3200), 0x9003, new Ascii("2023:12:31 23:59:59"), 0x9011, new Ascii("-05:00"),
                0x9291, new Ascii("07"), 0x920a, new Ratio(85, 1), 0xa431, new Ascii("083021001234"),
                0xa434, new Ascii("RF85mm F2 MACRO IS STM")));
        byte[] gps = Containers.tiff(Map.of(1, new Ascii("S"), 2, new Ratios(33, 1, 51, 1, 36, 1), 3, new Ascii("E"),
                4, new Ratios(151, 1, 12, 1, 54, 1)));
        PhotoMetadata m = reader.read(Containers.cr3(dir.resolve("IMG_0001.CR3"), ifd0, exif, null, gps));
        assertThat(m.format()).isEqualTo(PhotoFormat.CR3);
        assertThat(m.camera()).isEqualTo("Canon EOS R6");
        assertThat(m.captureTime().toString()).isEqualTo("2023-12-31T23:59:59.07-05:00");
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.EXIF_ORIGINAL);
        assertThat(m.exposureText()).isEqualTo("1/1000");
        assertThat(m.fNumber()).isEqualTo(5.6);
        assertThat(m.iso()).isEqualTo(3200);
        assertThat(m.focalLength()).isEqualTo(85.0);
        assertThat(m.serial()).isEqualTo("083021001234");
        assertThat(m.lens()).isEqualTo("RF85mm F2 MACRO IS STM");
        assertThat(m.orientation()).isEqualTo(8);
        assertThat(m.gps().latitude()).isCloseTo(-(33 + 51 / 60.0 + 36 / 3600.0), within(1e-9));
        assertThat(m.gps().longitude()).isCloseTo(151 + 12 / 60.0 + 54 / 3600.0, within(1e-9));
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void movieHeaderTimeIsUtcShownInTheReadersZone() throws IOException {
        Path mov = Containers.movie(dir.resolve("IMG_0003.MOV"), true, Instant.parse("2024-06-15T10:20:30Z"));
        PhotoMetadata m = reader.read(mov);
        assertThat(m.format()).isEqualTo(PhotoFormat.MOV);
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.QUICKTIME);
        assertThat(m.captureTime().toString()).isEqualTo("2024-06-15T12:20:30+02:00");
        assertThat(m.captureTime().instant()).contains(Instant.parse("2024-06-15T10:20:30Z"));
    }

    @Test
    void mp4WithExiftoolsDateAndLocation() throws IOException {
        Path mp4 = Containers.movie(dir.resolve("GOPR0001.MP4"), false, null);
        Tools.exiftool(mp4, "-QuickTime:CreateDate=2024:06:15 10:20:30", "-UserData:GPSCoordinates=48.8584, 2.2945");
        PhotoMetadata m = reader.read(mp4);
        assertThat(m.format()).isEqualTo(PhotoFormat.MP4);
        assertThat(m.captureTime().instant()).contains(Instant.parse("2024-06-15T10:20:30Z"));
        assertThat(m.gps().latitude()).isCloseTo(48.858, within(1e-3));
        assertThat(m.gps().longitude()).isCloseTo(2.295, within(1e-3));
    }

    @Test
    void movieWithoutADateFallsBack() throws IOException {
        PhotoMetadata m = reader.read(Containers.movie(dir.resolve("clip.mp4"), false, null));
        assertThat(m.format()).isEqualTo(PhotoFormat.MP4);
        assertThat(m.captureTime().isFallback()).isTrue();
    }

    @Test
    void xmpSidecarMadeByExiftool() throws IOException {
        Path photo = Tools.image(dir.resolve("IMG_0004.JPG"), EVERYTHING);
        Path sidecar = dir.resolve("IMG_0004.xmp");
        Tools.run("exiftool", "-q", "-q", "-tagsfromfile", photo.toString(), "-XMP:Rating=2", "-XMP:Label=Green",
                "-XMP:Subject=edited", "-o", sidecar.toString());
        // exiftool copies DateTimeOriginal into XMP without its sub-seconds and offset; an editor writes them all
        Tools.exiftool(sidecar, "-XMP-exif:DateTimeOriginal=2024:06:15 12:34:56.25+02:00");
        PhotoMetadata m = reader.read(sidecar);
        assertThat(m.format()).isEqualTo(PhotoFormat.XMP);
        assertThat(m.rating()).isEqualTo(2);
        assertThat(m.label()).isEqualTo("Green");
        assertThat(m.keywords()).contains("edited");
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.XMP);
        assertThat(m.captureTime().local()).isEqualTo(LocalDateTime.parse("2024-06-15T12:34:56.25"));
        assertThat(m.captureTime().offset()).isEqualTo(ZoneOffset.ofHours(2));
        assertThat(m.camera()).isEqualTo("Canon EOS R5");
        assertThat(m.lens()).isEqualTo("RF24-70mm F2.8 L IS USM");
        assertThat(m.exposureText()).isEqualTo("1/250");
        assertThat(m.gps().latitude()).isCloseTo(48.8584, within(1e-4));
    }
}
