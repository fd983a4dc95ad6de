package triplicate.phototest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the containers of formats no package registry ships a sample of (CR3, RAF, ORF, RW2, MP4, MOV), around
 * content that ImageMagick and exiftool made, following each format's published layout. These test the reading
 * paths; they are not camera files, and the test names say so.
 */
public final class Containers {
    private Containers() {
    }

    /** A value for {@link #tiff}: ASCII text, a SHORT (U16), a LONG (U32), or a RATIONAL {numerator, denominator}. */
    public sealed interface Value permits Ascii, U16, U32, Ratio, Ratios {
    }

    public record Ascii(String text) implements Value {
    }

    public record U16(int value) implements Value {
    }

    public record U32(long value) implements Value {
    }

    public record Ratio(long numerator, long denominator) implements Value {
    }

    /** Several RATIONALs, as numerator, denominator pairs (GPS degrees, minutes, seconds). */
    public record Ratios(long... pairs) implements Value {
    }

    /** A little-endian TIFF structure with one IFD holding {@code entries} (tag → value), as CR3's CMT boxes hold. */
    public static byte[] tiff(Map<Integer, Value> entries) {
        Map<Integer, Value> sorted = new TreeMap<>(entries);
        int ifdSize = 2 + 12 * sorted.size() + 4;
        ByteBuffer extra = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer ifd = ByteBuffer.allocate(ifdSize).order(ByteOrder.LITTLE_ENDIAN);
        int extraBase = 8 + ifdSize;
        ifd.putShort((short) sorted.size());
        for (Map.Entry<Integer, Value> e : sorted.entrySet()) {
            ifd.putShort((short) (int) e.getKey());
            switch (e.getValue()) {
                case Ascii a -> {
                    byte[] b = (a.text() + "\0").getBytes(StandardCharsets.US_ASCII);
                    ifd.putShort((short) 2).putInt(b.length);
                    if (b.length <= 4) {
                        ifd.put(java.util.Arrays.copyOf(b, 4));
                    } else {
                        ifd.putInt(extraBase + extra.position());
                        extra.put(b);
                        if (extra.position() % 2 == 1) {
                            extra.put((byte) 0);
                        }
                    }
                }
                case U16 s -> ifd.putShort((short) 3).putInt(1).putShort((short) s.value()).putShort((short) 0);
                case U32 l -> ifd.putShort((short) 4).putInt(1).putInt((int) l.value());
                case Ratio r -> {
                    ifd.putShort((short) 5).putInt(1).putInt(extraBase + extra.position());
                    extra.putInt((int) r.numerator()).putInt((int) r.denominator());
                }
                case Ratios r -> {
                    ifd.putShort((short) 5).putInt(r.pairs().length / 2).putInt(extraBase + extra.position());
                    for (long v : r.pairs()) {
                        extra.putInt((int) v);
                    }
                }
            }
        }
        ifd.putInt(0);
        ByteBuffer out = ByteBuffer.allocate(8 + ifdSize + extra.position()).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        out.put(ifd.array());
        out.put(extra.array(), 0, extra.position());
        return out.array();
    }

    /**
     * A CR3 file: {@code ftyp crx}, a {@code moov} with Canon's uuid box holding the given CMT boxes (CMT1 IFD0, CMT2
     * EXIF IFD, CMT3 maker notes, CMT4 GPS IFD; null ones are left out), and an {@code mdat} of filler.
     */
    public static Path cr3(Path file, byte[] cmt1, byte[] cmt2, byte[] cmt3, byte[] cmt4) throws IOException {
        ByteArrayOutputStream uuid = new ByteArrayOutputStream();
        uuid.writeBytes(HexFormat.of().parseHex("85c0b687820f11e08111f4ce462b6a48"));
        uuid.writeBytes(box("CNCV", "CanonCR3_001/00.09.00/00.00.00".getBytes(StandardCharsets.US_ASCII)));
        String[] names = {"CMT1", "CMT2", "CMT3", "CMT4"};
        byte[][] parts = {cmt1, cmt2, cmt3, cmt4};
        for (int i = 0; i < 4; i++) {
            if (parts[i] != null) {
                uuid.writeBytes(box(names[i], parts[i]));
            }
        }
        byte[] moov = box("moov", concat(box("uuid", uuid.toByteArray()), mvhd(0)));
        byte[] ftyp = box("ftyp", concat("crx ".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 1},
                "crx isom".getBytes(StandardCharsets.US_ASCII)));
        Files.write(file, concat(ftyp, moov, box("mdat", new byte[1024])));
        return file;
    }

    /**
     * A movie with no tracks: {@code ftyp} ({@code qt  } for MOV, {@code isom} for MP4), a {@code moov} with a movie
     * header created at {@code created} (null: 0, "unknown"), and an empty {@code mdat}. exiftool can then add tags.
     */
    public static Path movie(Path file, boolean quickTime, Instant created) throws IOException {
        long t = created == null ? 0 : created.getEpochSecond() + 2082844800L;
        byte[] ftyp = quickTime
                ? box("ftyp", concat("qt  ".getBytes(StandardCharsets.US_ASCII), new byte[4], "qt  ".getBytes(StandardCharsets.US_ASCII)))
                : box("ftyp", concat("isom".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 2, 0},
                        "isomiso2mp41".getBytes(StandardCharsets.US_ASCII)));
        Files.write(file, concat(ftyp, box("moov", mvhd(t)), box("mdat", new byte[0])));
        return file;
    }

    /** A Fujifilm RAF: the RAF header, then {@code jpeg} (the camera's JPEG preview, which holds the EXIF) at 160. */
    public static Path raf(Path file, byte[] jpeg) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(160 + jpeg.length);
        b.put("FUJIFILMCCD-RAW 0201FF383501".getBytes(StandardCharsets.US_ASCII));
        b.position(0x54);
        b.putInt(160).putInt(jpeg.length);
        b.position(160);
        b.put(jpeg);
        Files.write(file, b.array());
        return file;
    }

    /** Replaces the first 4 bytes of a little-endian TIFF ("II*\0") with another TIFF-family signature. */
    public static Path withSignature(Path tiff, Path out, String signature) throws IOException {
        byte[] b = Files.readAllBytes(tiff);
        if (b[0] != 'I' || b[1] != 'I' || b[2] != 42) {
            throw new IOException(tiff + " is not a little-endian TIFF");
        }
        byte[] s = signature.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(s, 0, b, 0, 4);
        Files.write(out, b);
        return out;
    }

    private static byte[] mvhd(long t) {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.putInt(0).putInt((int) t).putInt((int) t).putInt(1000).putInt(2000).putInt(0x00010000).putShort((short) 0x0100);
        b.position(b.position() + 10);
        for (int v : new int[] {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000}) {
            b.putInt(v);
        }
        b.position(b.position() + 24);
        b.putInt(2);
        return box("mvhd", b.array());
    }

    private static byte[] box(String type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
