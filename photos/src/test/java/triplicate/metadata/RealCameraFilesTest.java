package triplicate.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import triplicate.phototest.Samples;

/**
 * Files from real cameras and phones (Apache Tika's and Commons Imaging's test jars, Debian's golang-go4-dev and
 * rawtran-doc): what exiftool reports for each is what the reader must find.
 */
class RealCameraFilesTest {
    private final MetadataReader reader = MetadataReader.standard(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")),
            ZoneOffset.UTC);

    private PhotoMetadata read(Path p) throws IOException {
        return reader.read(p);
    }

    @Test
    void iphone8HeicWithGps() throws IOException {
        PhotoMetadata m = read(Samples.tika("IMG_1034.heic"));
        assertThat(m.format()).isEqualTo(PhotoFormat.HEIC);
        assertThat(m.make()).isEqualTo("Apple");
        assertThat(m.model()).isEqualTo("iPhone 8");
        assertThat(m.camera()).isEqualTo("Apple iPhone 8");
        assertThat(m.lens()).isEqualTo("iPhone 8 back camera 3.99mm f/1.8");
        assertThat(m.captureTime().local()).isEqualTo(LocalDateTime.parse("2018-02-05T15:11:44.277"));
        assertThat(m.captureTime().subsecondDigits()).isEqualTo(3);
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.EXIF_ORIGINAL);
        assertThat(m.gps().latitude()).isCloseTo(23 + 10 / 60.0 + 40.50 / 3600, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(113 + 23 / 60.0 + 39.54 / 3600, within(1e-4));
        assertThat(m.width()).isEqualTo(4032);
        assertThat(m.height()).isEqualTo(3024);
        assertThat(m.orientation()).isEqualTo(1);
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void iphone7HeicFromDebian() throws IOException {
        PhotoMetadata m = read(Samples.debian("park.heic"));
        assertThat(m.format()).isEqualTo(PhotoFormat.HEIC);
        assertThat(m.camera()).isEqualTo("Apple iPhone 7");
        assertThat(m.captureTime().toString()).isEqualTo("2018-04-07T11:24:11.704");
        assertThat(m.captureTime().offset()).isNull();
        assertThat(m.gps().latitude()).isCloseTo(47 + 38 / 60.0 + 9.0 / 3600, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(-(122 + 21 / 60.0 + 37.76 / 3600), within(1e-4));
        assertThat(m.exposureText()).isEqualTo("1/2398");
        assertThat(m.fNumber()).isCloseTo(1.8, within(1e-9));
        assertThat(m.iso()).isEqualTo(20);
        assertThat(m.focalLength()).isCloseTo(3.99, within(0.01));
        assertThat(m.width()).isEqualTo(4032);
    }

    @Test
    void heicWithoutExifFallsBackToTheFileTime() throws IOException {
        PhotoMetadata m = read(Samples.debian("rotate.heic"));
        assertThat(m.format()).isEqualTo(PhotoFormat.HEIC);
        assertThat(m.make()).isNull();
        assertThat(m.captureTime().isFallback()).isTrue();
        assertThat(m.warnings()).anyMatch(w -> w.contains("modification time"));
    }

    @Test
    void canonEos30dCr2() throws IOException {
        PhotoMetadata m = read(Samples.debian("IMG_5952.CR2"));
        assertThat(m.format()).isEqualTo(PhotoFormat.CR2);
        assertThat(m.make()).isEqualTo("Canon");
        assertThat(m.camera()).isEqualTo("Canon EOS 30D");
        assertThat(m.serial()).isEqualTo("1530910263");
        assertThat(m.lens()).isEqualTo("EF-S18-55mm f/3.5-5.6");
        assertThat(m.captureTime().toString()).isEqualTo("2009-07-21T13:03:20");
        assertThat(m.exposureText()).isEqualTo("1/400");
        assertThat(m.fNumber()).isEqualTo(22.0);
        assertThat(m.iso()).isEqualTo(640);
        assertThat(m.focalLength()).isEqualTo(22.0);
        assertThat(m.width()).isEqualTo(3504);
        assertThat(m.height()).isEqualTo(2336);
        assertThat(m.orientation()).isEqualTo(1);
    }

    @Test
    void canonEos40dJpegWithGpsSubsecondsAndAnOldExiftoolsXmp() throws IOException {
        PhotoMetadata m = read(Samples.tika("testJPEG_GEO.jpg"));
        assertThat(m.format()).isEqualTo(PhotoFormat.JPEG);
        assertThat(m.camera()).isEqualTo("Canon EOS 40D");
        // exiftool 7.21 wrote the XMP packet with a space before the NUL that ends its namespace
        assertThat(m.serial()).isEqualTo("730552258");
        assertThat(m.lens()).isEqualTo("EF-S55-250mm f/4-5.6 IS");
        assertThat(m.rating()).isEqualTo(5);
        assertThat(m.keywords()).containsExactly("canon-55-250", "moscow-birds", "serbor");
        assertThat(m.captureTime().toString()).isEqualTo("2009-08-11T09:09:45.49");
        assertThat(m.gps().latitude()).isCloseTo(12 + 32 / 60.0 + 35.56 / 3600, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(-(54 + 7 / 60.0 + 24.24 / 3600), within(1e-4));
        assertThat(m.width()).isEqualTo(100);
        assertThat(m.height()).isEqualTo(68);
    }

    @Test
    void nexusSJpegWithGps() throws IOException {
        PhotoMetadata m = read(Samples.tika("testJPEG_GEO_2.jpg"));
        assertThat(m.make()).isEqualTo("google");
        assertThat(m.model()).isEqualTo("Nexus S");
        assertThat(m.captureTime().local()).isEqualTo(LocalDateTime.parse("2012-02-19T16:43:29"));
        assertThat(m.gps().latitude()).isCloseTo(51 + 34 / 60.0 + 32.74 / 3600, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(-(1 + 34 / 60.0 + 4.39 / 3600), within(1e-4));
    }

    @Test
    void canonHeifWithGps() throws IOException {
        PhotoMetadata m = read(Samples.tika("testHEIF.heic"));
        assertThat(m.format()).isEqualTo(PhotoFormat.HEIC);
        assertThat(m.camera()).isEqualTo("Canon EOS 40D");
        assertThat(m.captureTime().toString()).isEqualTo("2009-08-11T09:09:45.49");
        assertThat(m.gps()).isNotNull();
    }

    @Test
    void goProJpegWithOffsetMicrosecondsAndSerial() throws IOException {
        PhotoMetadata m = read(Samples.imaging("images/jpeg/exif/2024-04-30_G012.JPG"));
        assertThat(m.camera()).isEqualTo("GoPro HERO11 Black");
        assertThat(m.serial()).isEqualTo("C3471327755785");
        CaptureTime t = m.captureTime();
        assertThat(t.toString()).isEqualTo("2024-04-30T18:36:42.495109+02:00");
        assertThat(t.instant()).contains(Instant.parse("2024-04-30T16:36:42.495109Z"));
        assertThat(t.subsecondDigits()).isEqualTo(6);
        assertThat(m.gps().latitude()).isCloseTo(46 + 53 / 60.0 + 48.49 / 3600, within(1e-4));
        assertThat(m.gps().longitude()).isCloseTo(-(1 + 20 / 60.0 + 23.05 / 3600), within(1e-4));
        assertThat(m.width()).isEqualTo(275);
        assertThat(m.height()).isEqualTo(240);
    }

    @Test
    void jpegsFromManyCameras() throws IOException {
        record Expect(String path, String camera, String taken) {
        }
        for (Expect e : new Expect[] {
            new Expect("data/images/jpg/1/Nikon D50 - 2007.12.19.n.DSC_3656.JPG", "NIKON D50", "2007-12-19T21:22:32"),
            new Expect("data/images/jpg/1/Canon Powershot SD750 - 2007.12.26.n.IMG_3704.JPG", "Canon PowerShot SD750",
                    "2007-12-25T13:34:39"),
            new Expect("data/images/jpg/3/img_F028c_small.jpg", "Canon EOS 400D DIGITAL", "2009-04-04T20:06:33"),
            new Expect("data/images/jpg/8/20220514_102409.jpg", "samsung SM-S901E", "2022-05-14T10:24:09"),
            new Expect("data/images/jpg/7/_DSC6099.jpg", "SONY DSLR-A100", "2007-06-02T20:15:20"),
            new Expect("data/images/jpg/2/2008-07-27+-+Photo+216+-+WE+a+l'etang+de+Blodelsheim.jpg", "Panasonic DMC-LX2",
                    "2008-07-27T08:03:43")}) {
            PhotoMetadata m = read(Samples.imaging(e.path()));
            assertThat(m.format()).as(e.path()).isEqualTo(PhotoFormat.JPEG);
            assertThat(m.camera()).as(e.path()).isEqualTo(e.camera());
            assertThat(m.captureTime().localText()).as(e.path()).startsWith(e.taken());
            assertThat(m.captureTime().source()).as(e.path()).isEqualTo(TimeSource.EXIF_ORIGINAL);
            assertThat(m.width()).as(e.path()).isPositive();
        }
    }

    @Test
    void minoltaTiff() throws IOException {
        PhotoMetadata m = read(Samples.imaging("data/images/tiff/1/PICT2833.TIF"));
        assertThat(m.format()).isEqualTo(PhotoFormat.TIFF);
        assertThat(m.camera()).isEqualTo("Minolta Co., Ltd. DiMAGE 7Hi");
        assertThat(m.captureTime().toString()).isEqualTo("2004-01-12T21:51:39");
    }

    @Test
    void nikonTiffWhoseDatesAreAllZerosFallsBackAndSaysWhy() throws IOException {
        PhotoMetadata m = read(Samples.imaging("data/images/tiff/1/ron and andy.tif"));
        assertThat(m.format()).isEqualTo(PhotoFormat.TIFF);
        assertThat(m.camera()).isEqualTo("NIKON E995");
        assertThat(m.width()).isEqualTo(1500);
        assertThat(m.captureTime().isFallback()).isTrue();
        assertThat(m.warnings()).anyMatch(w -> w.contains("DateTimeOriginal") && w.contains("all zeros"))
                .anyMatch(w -> w.contains("modification time"));
    }

    @Test
    void filesWithoutDatesFallBack() throws IOException {
        for (Path p : new Path[] {Samples.tika("testPNG.png"), Samples.tika("testTIFF.tif"), Samples.tika("testJPEG.jpg"),
            Samples.imaging("images/png/IMAGING-340/image-with-exif.png")}) {
            PhotoMetadata m = read(p);
            assertThat(m.captureTime().isFallback()).as(p.toString()).isTrue();
            assertThat(m.captureTime().source()).isEqualTo(TimeSource.FILE_MTIME);
            assertThat(m.warnings()).as(p.toString()).anyMatch(w -> w.contains("no capture date"));
            assertThat(m.width()).as(p.toString()).isPositive();
        }
        assertThat(read(Samples.tika("testPNG.png")).format()).isEqualTo(PhotoFormat.PNG);
        assertThat(read(Samples.imaging("images/png/IMAGING-340/image-with-exif.png")).width()).isEqualTo(8);
    }

    @Test
    void withoutExifDatesXmpCreateDateComesBeforeTheModificationDate() throws IOException {
        // a Photoshop document: no DateTimeOriginal; xmp:CreateDate 2012:04:30 12:52:07-04:00, IFD0 DateTime
        // (the last save) "2012-05-03T13:36:11-04:00"
        PhotoMetadata m = read(Samples.tika("testJPEG_EXIF_emptyDateTime.jpg"));
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.XMP);
        assertThat(m.captureTime().toString()).isEqualTo("2012-04-30T12:52:07-04:00");
    }

    @Test
    void anOddTagIsNoReasonToFail() throws IOException {
        PhotoMetadata m = read(Samples.tika("testJPEG_oddTagComponent.jpg"));
        assertThat(m.format()).isEqualTo(PhotoFormat.JPEG);
        assertThat(m.width()).isEqualTo(251);
    }
}
