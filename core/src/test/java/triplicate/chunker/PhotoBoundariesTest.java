package triplicate.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static triplicate.chunker.PhotoSamples.box;
import static triplicate.chunker.PhotoSamples.box64;
import static triplicate.chunker.PhotoSamples.boxToEnd;
import static triplicate.chunker.PhotoSamples.concat;
import static triplicate.chunker.PhotoSamples.ftypHeic;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.testkit.RealServers;

class PhotoBoundariesTest {

    private static final Chunker DEFAULT = new Chunker(ChunkerParams.defaults(0x5eedL));
    private static final Chunker SMALL = new Chunker(Chunks.SMALL);

    // ------------------------------------------------------------------ JPEG

    @Test
    void jpegIsCutWhereTheAppAndComSegmentsEnd() {
        byte[] plain = PhotoSamples.jpeg(64, 48, 0.9f, 1);
        byte[] jpeg = PhotoSamples.withExif(plain, "Ansel");
        jpeg = PhotoSamples.insertSegment(jpeg, PhotoSamples.afterApp0(jpeg), 0xFE, "a comment".getBytes());
        long[] cuts = cuts(jpeg);
        assertThat(cuts).hasSize(1);
        int cut = (int) cuts[0];
        assertThat(jpeg[cut] & 0xFF).isEqualTo(0xFF);
        assertThat(jpeg[cut + 1] & 0xFF).as("DQT follows the metadata").isEqualTo(0xDB);
        assertThat(cut).isEqualTo(PhotoSamples.afterApp0(plain)
                + 4 + PhotoSamples.exifPayload("Ansel").length + 4 + "a comment".length());
    }

    @Test
    void fillBytesBeforeAMarkerAreSkipped() {
        byte[] plain = PhotoSamples.jpeg(32, 32, 0.9f, 2);
        int at = PhotoSamples.afterApp0(plain);
        byte[] filled = Chunks.insert(plain, at, new byte[] {(byte) 0xFF, (byte) 0xFF});
        assertThat(cuts(filled)).containsExactly(at);
    }

    @Test
    void aJpegWithoutMetadataIsCutAfterSoiSoThatAddingExifLaterStillDedupes() {
        byte[] bare = PhotoSamples.withoutApp0(PhotoSamples.noiseJpeg());
        assertThat(cuts(bare)).containsExactly(2L);
        byte[] tagged = PhotoSamples.insertSegment(bare, 2, 0xE1, PhotoSamples.exifPayload("Ansel Adams"));
        long metadata = cuts(tagged)[0];

        long withCuts = Chunks.newBytes(chunkWithCuts(DEFAULT, bare), chunkWithCuts(DEFAULT, tagged));
        long without = Chunks.newBytes(chunk(DEFAULT, bare, new long[0]), chunk(DEFAULT, tagged, new long[0]));
        assertThat(withCuts).isEqualTo(metadata);
        assertThat(without).isGreaterThan(DEFAULT.params().minSize());
    }

    /**
     * The key property: an in-place EXIF edit that makes APP1 300 bytes longer costs only the metadata chunk.
     * It costs exactly the metadata region {@code [0, cut)}, so an extra cut at the start of the first APP segment
     * (offset 2) could save at most the 2 bytes of SOI; it is therefore not made.
     */
    @Test
    void anExifEditThatGrowsApp1ChangesOnlyTheMetadataChunk() {
        byte[] jpeg = PhotoSamples.noiseJpeg();
        assertThat(jpeg.length).isGreaterThan(4_000_000);
        byte[] original = PhotoSamples.withExif(jpeg, "A");
        byte[] edited = PhotoSamples.withExif(jpeg, "A" + "n".repeat(300));
        assertThat(edited.length - original.length).isEqualTo(300);

        long withCuts = Chunks.newBytes(chunkWithCuts(DEFAULT, original), chunkWithCuts(DEFAULT, edited));
        long without = Chunks.newBytes(chunk(DEFAULT, original, new long[0]), chunk(DEFAULT, edited, new long[0]));

        assertThat(withCuts).isLessThan(200_000).isEqualTo(cuts(edited)[0]);
        assertThat(without).as("the same edit without photo cuts").isGreaterThan(1_000_000);
    }

    @Test
    void aRealExiftoolEditChangesOnlyTheMetadataChunk(@TempDir Path dir) throws Exception {
        RealServers.assume(exiftoolInstalled(), "exiftool", "it is not installed (apt-get install libimage-exiftool-perl)");
        byte[] original = PhotoSamples.withExif(PhotoSamples.noiseJpeg(), "Original Author");
        Path copy = dir.resolve("edited.jpg");
        Files.write(copy, original);
        Process p = new ProcessBuilder("exiftool", "-overwrite_original", "-Artist=Someone Else Entirely",
                "-ImageDescription=" + "An edited description, rather longer than before. ".repeat(6),
                copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        byte[] edited = Files.readAllBytes(copy);
        assertThat(edited.length).isNotEqualTo(original.length);

        long withCuts = Chunks.newBytes(chunkWithCuts(DEFAULT, original), chunkWithCuts(DEFAULT, edited));
        long without = Chunks.newBytes(chunk(DEFAULT, original, new long[0]), chunk(DEFAULT, edited, new long[0]));
        assertThat(withCuts).isLessThan(200_000).isLessThanOrEqualTo(cuts(edited)[0]);
        assertThat(without).isGreaterThan(1_000_000);
    }

    @Test
    void aTruncatedOrBrokenJpegHeaderHasNoCuts() {
        byte[] jpeg = PhotoSamples.withExif(PhotoSamples.jpeg(32, 32, 0.9f, 3), "x");
        int cut = (int) cuts(jpeg)[0];
        assertThat(cuts(Arrays.copyOf(jpeg, cut - 1))).isEmpty();
        byte[] broken = jpeg.clone();
        broken[PhotoSamples.afterApp0(jpeg)] = 0x12; // not a marker
        assertThat(cuts(broken)).isEmpty();
        byte[] tooLong = jpeg.clone();
        tooLong[PhotoSamples.afterApp0(jpeg) + 2] = (byte) 0xFF; // APP1 length beyond the file
        tooLong[PhotoSamples.afterApp0(jpeg) + 3] = (byte) 0xFF;
        assertThat(cuts(Arrays.copyOf(tooLong, 2000))).isEmpty();
    }

    // ------------------------------------------------------------------ ISOBMFF

    @Test
    void isobmffIsCutAtTopLevelBoxesAndAtTheStartOfMdatPayload() {
        byte[] ftyp = ftypHeic();
        byte[] meta = box("meta", Chunks.random(1, 500));
        byte[] mdat = box("mdat", Chunks.random(2, 10_000));
        byte[] heic = concat(ftyp, meta, mdat);
        long a = ftyp.length;
        long b = a + meta.length;
        assertThat(cuts(heic)).containsExactly(a, b, b + 8);

        byte[] moov = box("moov", Chunks.random(3, 300));
        byte[] video = concat(ftyp, box("free", new byte[0]), box64("mdat", Chunks.random(4, 5000)), moov);
        long mdatAt = a + 8;
        long moovAt = video.length - moov.length;
        assertThat(cuts(video)).containsExactly(a, mdatAt, mdatAt + 16, moovAt);

        byte[] toEnd = concat(ftyp, meta, boxToEnd("mdat", Chunks.random(5, 5000)));
        assertThat(cuts(toEnd)).containsExactly(a, b, b + 8);
    }

    @Test
    void aMetaEditInAHeicChangesOnlyTheMetadataChunks() {
        byte[] mdat = box("mdat", Chunks.random(6, 300_000));
        byte[] original = concat(ftypHeic(), box("meta", Chunks.random(7, 600)), mdat);
        byte[] edited = concat(ftypHeic(), box("meta", Chunks.random(8, 900)), mdat);
        long[] cuts = cuts(edited);
        long newBytes = Chunks.newBytes(chunkWithCuts(SMALL, original), chunkWithCuts(SMALL, edited));
        assertThat(newBytes).isLessThanOrEqualTo(cuts[cuts.length - 1]);
        assertThat(Chunks.newBytes(chunk(SMALL, original, new long[0]), chunk(SMALL, edited, new long[0])))
                .isGreaterThan(Chunks.SMALL.minSize());
    }

    @Test
    void aBrokenIsobmffHasNoCuts() {
        byte[] heic = concat(ftypHeic(), box("meta", new byte[100]), box("mdat", new byte[1000]));
        assertThat(cuts(Arrays.copyOf(heic, heic.length - 1))).as("mdat runs past the end").isEmpty();
        byte[] tiny = heic.clone();
        int mdatAt = heic.length - 1008;
        tiny[mdatAt + 2] = 0;
        tiny[mdatAt + 3] = 4; // mdat size 4 < its header
        assertThat(cuts(tiny)).isEmpty();
        assertThat(cuts(concat(ftypHeic(), new byte[] {0, 0, 0}))).as("3 stray bytes").isEmpty();
    }

    // ------------------------------------------------------------------ TIFF

    @Test
    void tiffIsCutWhereEachImagesDataBeginsAndEnds() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] tiff = PhotoSamples.rawLikeTiff(order, 42, 0, 50_000, 0);
            // thumbnail [0x1000, 0x1100), strips [0x2000, 0x2C00), raw data [0x3000, end of file)
            assertThat(cuts(tiff)).as(order.toString()).containsExactly(0x1000L, 0x1100L, 0x2000L, 0x2C00L, 0x3000L);
            byte[] padded = PhotoSamples.rawLikeTiff(order, 42, 0, 50_000, 1);
            assertThat(cuts(padded)).as(order.toString()).endsWith(0x3000L, 0x3000L + 50_000);
        }
    }

    @Test
    void orfAndRw2VariantsAreRecognised() {
        assertThat(cuts(PhotoSamples.rawLikeTiff(ByteOrder.LITTLE_ENDIAN, 0x4F52, 0, 1000, 0))).startsWith(0x1000L);
        assertThat(cuts(PhotoSamples.rawLikeTiff(ByteOrder.BIG_ENDIAN, 0x4F52, 0, 1000, 0))).startsWith(0x1000L);
        assertThat(cuts(PhotoSamples.rawLikeTiff(ByteOrder.LITTLE_ENDIAN, 0x5352, 0, 1000, 0))).startsWith(0x1000L);
        // RW2: the raw data is found through RawDataOffset (0x118), a tag that means something else in TIFF
        PhotoSamples.Tiff rw2 = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 0x55, 0x4000, 1);
        rw2.ifd0(0x18).ifd(0x18, 0, new int[] {0x002E, 7, 0x800, 0x1000},
                new int[] {0x0118, PhotoSamples.Tiff.LONG, 1, 0x2000});
        assertThat(cuts(rw2.bytes())).containsExactly(0x1000L, 0x1800L, 0x2000L);
        PhotoSamples.Tiff notRw2 = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x4000, 1);
        notRw2.ifd0(0x18).ifd(0x18, 0, new int[] {0x0118, PhotoSamples.Tiff.LONG, 1, 0x2000});
        assertThat(cuts(notRw2.bytes())).isEmpty();
    }

    @Test
    void shortStripOffsetsAndTheSmallestOfManyAreUsed() {
        PhotoSamples.Tiff t = new PhotoSamples.Tiff(ByteOrder.BIG_ENDIAN, 42, 0x4000, 2);
        t.ifd0(8).ifd(8, 0, new int[] {273, PhotoSamples.Tiff.SHORT, 1, 0x1234});
        assertThat(cuts(t.bytes())).containsExactly(0x1234L);
        int[] many = new int[1000];
        Arrays.setAll(many, i -> 0x3000 - i);
        PhotoSamples.Tiff m = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x4000, 3);
        m.ifd0(8).ifd(8, 0, new int[] {324, PhotoSamples.Tiff.LONG, many.length, 0x100}).longs(0x100, many);
        assertThat(cuts(m.bytes())).containsExactly(0x3000L - 999);
    }

    @Test
    void cyclicIfdPointersEndTheWalk() {
        PhotoSamples.Tiff t = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x4000, 4);
        t.ifd0(8).ifd(8, 0x80, new int[] {273, PhotoSamples.Tiff.LONG, 1, 0x2000},
                new int[] {330, PhotoSamples.Tiff.LONG, 2, 0x200});
        t.ifd(0x80, 8, new int[] {0x8769, PhotoSamples.Tiff.LONG, 1, 0x80}); // next → IFD0, EXIF → itself
        t.longs(0x200, 8, 0x80);
        assertThat(cuts(t.bytes())).containsExactly(0x2000L);
    }

    /**
     * As exiftool rewrites a RAW: the metadata before the data grows and a pad byte follows the odd-length data. Only
     * the metadata and the new tail are stored, thanks to the cut where the data ends.
     */
    @Test
    void aMetadataEditInARawChangesOnlyTheMetadataChunkAndTheTail() {
        byte[] original = PhotoSamples.rawLikeTiff(ByteOrder.LITTLE_ENDIAN, 42, 0, 400_001, 0);
        byte[] edited = PhotoSamples.rawLikeTiff(ByteOrder.LITTLE_ENDIAN, 42, 300, 400_001, 1);
        long newBytes = Chunks.newBytes(chunkWithCuts(SMALL, original), chunkWithCuts(SMALL, edited));
        assertThat(newBytes).isEqualTo(cuts(edited)[0] + 1);
        assertThat(Chunks.newBytes(chunk(SMALL, original, new long[0]), chunk(SMALL, edited, new long[0])))
                .isGreaterThan(Chunks.SMALL.minSize());
    }

    @Test
    void aBrokenTiffHasNoCuts() {
        PhotoSamples.Tiff beyond = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x1000, 5);
        beyond.ifd0(0x5000);
        assertThat(cuts(beyond.bytes())).isEmpty();
        PhotoSamples.Tiff empty = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x1000, 5);
        empty.ifd0(8).ifd(8, 0);
        assertThat(cuts(empty.bytes())).isEmpty();
        PhotoSamples.Tiff truncated = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 0x1000, 5);
        truncated.ifd0(8).ifd(8, 0, new int[] {273, PhotoSamples.Tiff.LONG, 100, 0xF00});
        assertThat(cuts(truncated.bytes())).as("the offsets array runs past the end").isEmpty();
    }

    // ------------------------------------------------------------------ robustness

    @Test
    void unknownFormatsAndTinyFilesHaveNoCuts() {
        assertThat(cuts(new byte[0])).isEmpty();
        assertThat(cuts(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
        assertThat(cuts("\u0089PNG\r\n\u001a\n0000000000".getBytes())).isEmpty();
        assertThat(cuts(Chunks.random(1, 100_000))).isEmpty();
    }

    @Test
    void readsAreBoundedEvenWhenTheStructureAsksForMore() {
        // a chain of 32 IFDs, each with 32768 strips: 8 MiB of offsets and lengths if it were all read
        PhotoSamples.Tiff t = new PhotoSamples.Tiff(ByteOrder.LITTLE_ENDIAN, 42, 200_000, 6);
        t.ifd0(8);
        for (int i = 0; i < 32; i++) {
            int at = 8 + 32 * i;
            t.ifd(at, at + 32, new int[] {273, PhotoSamples.Tiff.LONG, 32768, 60_000},
                    new int[] {279, PhotoSamples.Tiff.LONG, 32768, 60_000});
        }
        Chunks.SeekableBytes ch = new Chunks.SeekableBytes(t.bytes());
        assertThat(PhotoBoundaries.cuts(ch, ch.size())).isEmpty();
        assertThat(ch.bytesRead()).isLessThanOrEqualTo(PhotoBoundaries.READ_BUDGET);
    }

    @Test
    void mutatedAndTruncatedHeadersNeverThrowAndGiveValidCuts() {
        List<byte[]> samples = List.of(
                PhotoSamples.withExif(PhotoSamples.jpeg(32, 32, 0.9f, 4), "x"),
                concat(ftypHeic(), box("meta", Chunks.random(9, 200)), box64("mdat", Chunks.random(10, 3000)),
                        box("moov", new byte[50])),
                PhotoSamples.rawLikeTiff(ByteOrder.BIG_ENDIAN, 42, 0, 5000, 1),
                PhotoSamples.rawLikeTiff(ByteOrder.LITTLE_ENDIAN, 0x55, 0, 5000, 0));
        SplittableRandom r = new SplittableRandom(77);
        for (int trial = 0; trial < 4000; trial++) {
            byte[] data = samples.get(r.nextInt(samples.size())).clone();
            for (int k = r.nextInt(1, 5); k > 0; k--) {
                data[r.nextInt(Math.min(data.length, 700))] = (byte) r.nextInt();
            }
            if (r.nextBoolean()) {
                data = Arrays.copyOf(data, r.nextInt(data.length + 1));
            }
            Chunks.SeekableBytes ch = new Chunks.SeekableBytes(data);
            ch.position(3);
            long[] cuts = PhotoBoundaries.cuts(ch, data.length);
            long prev = 0;
            for (long c : cuts) {
                assertThat(c).isGreaterThan(prev).isLessThan(data.length);
                prev = c;
            }
            assertThat(ch.bytesRead()).isLessThanOrEqualTo(PhotoBoundaries.READ_BUDGET);
            assertThat(ch.position()).isEqualTo(3);
        }
    }

    @Test
    void aFailingChannelGivesNoCuts(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.jpg");
        Files.write(f, PhotoSamples.withExif(PhotoSamples.jpeg(32, 32, 0.9f, 5), "x"));
        FileChannel ch = FileChannel.open(f);
        long size = ch.size();
        assertThat(PhotoBoundaries.cuts(ch, size)).hasSize(1);
        ch.close();
        assertThat(PhotoBoundaries.cuts(ch, size)).isEmpty();
        assertThat(PhotoBoundaries.cuts(null, size)).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static long[] cuts(byte[] file) {
        return PhotoBoundaries.cuts(new Chunks.SeekableBytes(file), file.length);
    }

    /** Chunks a file the way a backup does: photo cuts first, then the chunker over the same channel. */
    private static List<byte[]> chunkWithCuts(Chunker chunker, byte[] file) {
        Chunks.SeekableBytes ch = new Chunks.SeekableBytes(file);
        long[] cuts = PhotoBoundaries.cuts(ch, file.length);
        List<byte[]> out = new ArrayList<>();
        try (FileChunker fc = new FileChunker(chunker, ch, cuts)) {
            for (byte[] c; (c = fc.next()) != null; ) {
                out.add(c);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<byte[]> chunk(Chunker chunker, byte[] file, long[] cuts) {
        return Chunks.chunk(chunker, file, cuts);
    }

    private static boolean exiftoolInstalled() {
        try {
            Process p = new ProcessBuilder("exiftool", "-ver").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
