package triplicate.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.phototest.Samples;
import triplicate.phototest.Tools;

/**
 * Malformed and missing metadata: every case comes back with what could be read, a plain-words warning, and the
 * file's modification time when no date is usable. Nothing throws but a file that cannot be opened.
 */
class BadMetadataTest {
    private static final Instant MTIME = Instant.parse("2021-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private final MetadataReader reader = MetadataReader.standard(
            InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")), ZoneOffset.UTC);

    private Path withMtime(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(MTIME));
        return p;
    }

    private static void assertFellBack(PhotoMetadata m) {
        assertThat(m.captureTime().isFallback()).isTrue();
        assertThat(m.captureTime().toString()).isEqualTo("2021-03-04T05:06:07Z");
        assertThat(m.warnings()).anyMatch(w -> w.contains("no capture date in the file; its modification time "
                + "2021-03-04T05:06:07Z is used instead"));
    }

    @Test
    void truncatedInTheImageDataKeepsTheMetadataAndSaysItIsTruncated() throws IOException {
        byte[] full = Files.readAllBytes(Samples.tika("testJPEG_GEO.jpg"));
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(full, full.length - 2000));
        PhotoMetadata m = reader.read(cut);
        assertThat(m.camera()).isEqualTo("Canon EOS 40D");
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.EXIF_ORIGINAL);
        assertThat(m.warnings()).anyMatch(w -> w.contains("truncated"));
    }

    @Test
    void truncatedInsideTheExifFallsBack() throws IOException {
        byte[] full = Files.readAllBytes(Samples.tika("testJPEG_GEO.jpg"));
        for (int length : new int[] {2, 3, 20, 200, 600}) {
            Path cut = withMtime(Files.write(dir.resolve("cut" + length + ".jpg"), Arrays.copyOf(full, length)));
            PhotoMetadata m = reader.read(cut);
            assertThat(m.format()).as("%d bytes", length).isEqualTo(PhotoFormat.JPEG);
            assertFellBack(m);
            assertThat(m.warnings()).as("%d bytes", length).anyMatch(w -> w.contains("truncated")
                    || w.contains("could not be read") || w.contains("not recognisable"));
        }
    }

    @Test
    void yearZeroAndTheFutureAreNotCaptureTimes() throws IOException {
        Tools.require();
        Path p = Tools.image(dir.resolve("future.jpg"), "-DateTimeOriginal=2099:01:01 00:00:00",
                "-CreateDate=1111:11:11 11:11:11", "-ModifyDate=1700:01:01 00:00:00");
        // exiftool refuses to write year 0, as cameras with an unset clock do: put it in place of its placeholder
        String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        Files.write(p, bytes.replace("1111:11:11 11:11:11", "0000:00:00 00:00:00").getBytes(StandardCharsets.ISO_8859_1));
        withMtime(p);
        PhotoMetadata m = reader.read(p);
        assertFellBack(m);
        assertThat(m.warnings())
                .anyMatch(w -> w.equals("EXIF DateTimeOriginal '2099:01:01 00:00:00' is in the future; ignored"))
                .anyMatch(w -> w.contains("DateTimeDigitized") && w.contains("all zeros"))
                .anyMatch(w -> w.contains("DateTime '1700:01:01 00:00:00' is before 1826"));
    }

    @Test
    void anAbsurdOriginalDateGivesWayToTheDigitizedOne() throws IOException {
        Path p = Tools.image(dir.resolve("scan.jpg"), "-DateTimeOriginal=2099:12:31 23:59:59",
                "-CreateDate=2019:05:06 07:08:09", "-OffsetTimeDigitized=-03:00");
        PhotoMetadata m = reader.read(p);
        assertThat(m.captureTime().source()).isEqualTo(TimeSource.EXIF_DIGITIZED);
        assertThat(m.captureTime().toString()).isEqualTo("2019-05-06T07:08:09-03:00");
        assertThat(m.warnings()).containsExactly("EXIF DateTimeOriginal '2099:12:31 23:59:59' is in the future; ignored");
    }

    @Test
    void garbageNamedJpeg() throws IOException {
        Path p = withMtime(Files.write(dir.resolve("IMG_0001.JPG"), "not a photo at all".getBytes(StandardCharsets.UTF_8)));
        PhotoMetadata m = reader.read(p);
        assertThat(m.format()).isEqualTo(PhotoFormat.JPEG);
        assertFellBack(m);
        assertThat(m.warnings()).contains("the content is not recognisable as JPEG (damaged or not a photo)");
    }

    @Test
    void emptyFile() throws IOException {
        PhotoMetadata m = reader.read(withMtime(Files.write(dir.resolve("IMG_0002.CR3"), new byte[0])));
        assertThat(m.format()).isEqualTo(PhotoFormat.CR3);
        assertFellBack(m);
        assertThat(m.warnings()).contains("the file is empty");
    }

    @Test
    void pngNamedJpegIsAPngAndSaysSo() throws IOException {
        Path p = Files.copy(Samples.tika("testPNG.png"), dir.resolve("photo.jpg"));
        PhotoMetadata m = reader.read(p);
        assertThat(m.format()).isEqualTo(PhotoFormat.PNG);
        assertThat(m.warnings()).contains("the content is PNG although the name says JPEG");
    }

    @Test
    void gpsAtZeroZeroIsNoPosition() throws IOException {
        Path p = Tools.image(dir.resolve("nofix.jpg"), "-DateTimeOriginal=2024:01:01 10:00:00", "-GPSLatitude=0",
                "-GPSLatitudeRef=N", "-GPSLongitude=0", "-GPSLongitudeRef=E");
        PhotoMetadata m = reader.read(p);
        assertThat(m.gps()).isNull();
        assertThat(m.warnings()).anyMatch(w -> w.contains("0, 0"));
    }

    @Test
    void ratingOutOfRangeAndBadOffset() throws IOException {
        Path p = Tools.image(dir.resolve("odd.jpg"), "-DateTimeOriginal=2024:01:01 10:00:00", "-XMP:Rating=9");
        Tools.exiftool(p, "-OffsetTimeOriginal=+99:99");
        PhotoMetadata m = reader.read(p);
        assertThat(m.rating()).isNull();
        assertThat(m.warnings()).anyMatch(w -> w.contains("rating 9 is outside -1..5"));
        assertThat(m.captureTime().toString()).isEqualTo("2024-01-01T10:00:00");
        assertThat(m.warnings()).anyMatch(w -> w.contains("offset '+99:99'"));
    }

    @Test
    void brokenSidecar() throws IOException {
        Path p = withMtime(Files.writeString(dir.resolve("IMG_0001.xmp"), "<x:xmpmeta><rdf:RDF>unclosed"));
        PhotoMetadata m = reader.read(p);
        assertThat(m.format()).isEqualTo(PhotoFormat.XMP);
        assertThat(m.captureTime().isFallback()).isTrue();
        assertThat(m.warnings()).anyMatch(w -> w.contains("XMP")).noneMatch(w -> w.contains("no capture date"));
    }

    @Test
    void randomBytesInEveryFormatNeverThrow() throws IOException {
        java.util.Random random = new java.util.Random(42);
        for (PhotoFormat f : PhotoFormat.values()) {
            for (int i = 0; i < 20; i++) {
                byte[] b = new byte[random.nextInt(4096) + 1];
                random.nextBytes(b);
                String ext = f.extensions().isEmpty() ? "bin" : f.extensions().get(0);
                Path p = Files.write(dir.resolve("r" + i + "." + ext), b);
                PhotoMetadata m = reader.read(p);
                assertThat(m.captureTime()).isNotNull();
                assertThat(m.warnings()).isNotEmpty();
            }
        }
    }

    @Test
    void realHeadersWithRandomTailsNeverThrow() throws IOException {
        java.util.Random random = new java.util.Random(7);
        for (Path sample : new Path[] {Samples.tika("testJPEG_GEO.jpg"), Samples.tika("IMG_1034.heic"),
            Samples.tika("testTIFF.tif"), Samples.tika("testPNG.png")}) {
            byte[] orig = Files.readAllBytes(sample);
            for (int i = 0; i < 30; i++) {
                byte[] b = orig.clone();
                for (int k = 0; k < 1 + random.nextInt(20); k++) {
                    b[random.nextInt(Math.min(b.length, 4096))] = (byte) random.nextInt();
                }
                Path p = Files.write(dir.resolve(i + "-" + sample.getFileName()), b);
                assertThat(reader.read(p).captureTime()).isNotNull();
            }
        }
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> reader.read(dir.resolve("gone.jpg"))).isInstanceOf(NoSuchFileException.class);
    }
}
