package triplicate.chunker;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Real-shaped photo files built in memory: JPEGs through ImageIO, TIFF and ISOBMFF by hand. */
final class PhotoSamples {

    private PhotoSamples() {
    }

    /** A 2048x1536 JPEG of noise at quality 0.98 (about 4.9 MB), with ImageIO's JFIF APP0. Built once, never modified. */
    private static final class NoiseJpeg {
        static final byte[] BYTES = jpeg(2048, 1536, 0.98f, 21);
    }

    static byte[] noiseJpeg() {
        return NoiseJpeg.BYTES.clone();
    }

    /** A baseline JPEG of random pixels as ImageIO writes it: SOI, APP0 (JFIF), DQT, SOF0, DHT, SOS, …, EOI. */
    static byte[] jpeg(int width, int height, float quality, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        int[] pixels = new int[width * height];
        Arrays.setAll(pixels, i -> random.nextInt() & 0xFFFFFF);
        image.setRGB(0, 0, width, height, pixels, 0, width);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The offset just after the JFIF APP0 segment that ImageIO writes first. */
    static int afterApp0(byte[] jpeg) {
        if ((jpeg[2] & 0xFF) != 0xFF || (jpeg[3] & 0xFF) != 0xE0) {
            throw new IllegalArgumentException("no APP0 at offset 2");
        }
        return 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
    }

    /** Inserts a marker segment (marker, 2-byte length, payload) at {@code at}. */
    static byte[] insertSegment(byte[] jpeg, int at, int marker, byte[] payload) {
        ByteBuffer seg = ByteBuffer.allocate(4 + payload.length);
        seg.put((byte) 0xFF).put((byte) marker).putShort((short) (2 + payload.length)).put(payload);
        return Chunks.insert(jpeg, at, seg.array());
    }

    /** The JPEG with an APP1 Exif segment holding {@code artist} inserted after APP0, as camera JPEGs have. */
    static byte[] withExif(byte[] jpeg, String artist) {
        return insertSegment(jpeg, afterApp0(jpeg), 0xE1, exifPayload(artist));
    }

    /** Removes the APP0 segment: a JPEG with no metadata at all (SOI directly followed by DQT). */
    static byte[] withoutApp0(byte[] jpeg) {
        int end = afterApp0(jpeg);
        byte[] out = new byte[jpeg.length - (end - 2)];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        System.arraycopy(jpeg, end, out, 2, jpeg.length - end);
        return out;
    }

    /** "Exif\0\0" and a little-endian TIFF with IFD0 = {Artist}. */
    static byte[] exifPayload(String artist) {
        byte[] text = (artist + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x013B).putShort((short) 2).putInt(text.length).putInt(8 + 2 + 12 + 4);
        b.putInt(0);
        b.put(text);
        return b.array();
    }

    // ------------------------------------------------------------------ ISOBMFF

    static byte[] box(String type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length)
                .put(type.getBytes(StandardCharsets.US_ASCII)).put(payload).array();
    }

    /** A box with a 64-bit size (size field 1, then largesize). */
    static byte[] box64(String type, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).putInt(1).put(type.getBytes(StandardCharsets.US_ASCII))
                .putLong(16 + payload.length).put(payload).array();
    }

    /** A box that extends to the end of the file (size field 0). */
    static byte[] boxToEnd(String type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(0).put(type.getBytes(StandardCharsets.US_ASCII))
                .put(payload).array();
    }

    static byte[] ftypHeic() {
        return box("ftyp", "heic\0\0\0\0mif1heic".getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ TIFF

    /** Writes a TIFF-structured file at absolute offsets. */
    static final class Tiff {
        static final int SHORT = 3;
        static final int LONG = 4;

        private final ByteBuffer b;

        /** A file of {@code size} random bytes with a TIFF header of the given order and magic (42, ORF, RW2). */
        Tiff(ByteOrder order, int magic, int size, long seed) {
            byte[] data = Chunks.random(seed, size);
            b = ByteBuffer.wrap(data).order(order);
            byte c = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M');
            b.put(0, c).put(1, c).putShort(2, (short) magic);
        }

        Tiff ifd0(int offset) {
            b.putInt(4, offset);
            return this;
        }

        /** Writes an IFD at {@code offset}; each entry is {tag, type, count, value-or-offset}. */
        Tiff ifd(int offset, int next, int[]... entries) {
            b.putShort(offset, (short) entries.length);
            for (int i = 0; i < entries.length; i++) {
                int base = offset + 2 + 12 * i;
                int[] e = entries[i];
                b.putShort(base, (short) e[0]).putShort(base + 2, (short) e[1]).putInt(base + 4, e[2]);
                if (e[1] == SHORT && e[2] == 1) {
                    b.putShort(base + 8, (short) e[3]).putShort(base + 10, (short) 0);
                } else {
                    b.putInt(base + 8, e[3]);
                }
            }
            b.putInt(offset + 2 + 12 * entries.length, next);
            return this;
        }

        Tiff longs(int offset, int... values) {
            for (int i = 0; i < values.length; i++) {
                b.putInt(offset + 4 * i, values[i]);
            }
            return this;
        }

        byte[] bytes() {
            return b.array();
        }
    }

    /**
     * A RAW-like TIFF: IFD0 (3 strips, SubIFD, EXIF IFD) → IFD1 (thumbnail); the SubIFD holds the raw data.
     * Metadata occupies {@code [0, m)} with {@code m = 0x1000 + pad}; the image data, identical for every {@code pad},
     * follows: thumbnail {@code [m, m + 0x100)}, strips {@code [m + 0x1000, m + 0x1C00)} (written out of order), raw
     * data {@code [m + 0x2000, m + 0x2000 + rawBytes)}, then {@code trailer} bytes (as a rewrite's pad byte).
     */
    static byte[] rawLikeTiff(ByteOrder order, int magic, int pad, int rawBytes, int trailer) {
        int m = 0x1000 + pad;
        byte[] data = Chunks.random(99, 0x2000 + rawBytes);
        Tiff t = new Tiff(order, magic, m + data.length + trailer, 7);
        t.ifd0(8).ifd(8, 0x80,
                new int[] {256, Tiff.LONG, 1, 6000},
                new int[] {273, Tiff.LONG, 3, 0x200},
                new int[] {279, Tiff.LONG, 3, 0x220},
                new int[] {330, Tiff.LONG, 1, 0x100},
                new int[] {0x8769, Tiff.LONG, 1, 0x180});
        t.ifd(0x80, 0, new int[] {513, Tiff.LONG, 1, m}, new int[] {514, Tiff.LONG, 1, 0x100});
        t.ifd(0x100, 0, new int[] {254, Tiff.LONG, 1, 0}, new int[] {273, Tiff.LONG, 1, m + 0x2000},
                new int[] {279, Tiff.LONG, 1, rawBytes});
        t.ifd(0x180, 0, new int[] {0x829A, 5, 1, 0x300});
        t.longs(0x200, m + 0x1400, m + 0x1000, m + 0x1800);
        t.longs(0x220, 0x400, 0x400, 0x400);
        byte[] out = t.bytes();
        System.arraycopy(data, 0, out, m, data.length);
        return out;
    }
}
