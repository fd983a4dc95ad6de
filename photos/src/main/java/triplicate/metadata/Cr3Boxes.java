package triplicate.metadata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the metadata of a Canon CR3 file, which metadata-extractor does not read: CR3 is an ISO base media file
 * whose {@code moov} box holds a Canon {@code uuid} box (85c0b687-820f-11e0-8111-f4ce462b6a48) with four TIFF
 * structures: {@code CMT1} (IFD0: make, model, date), {@code CMT2} (the EXIF IFD), {@code CMT3} (Canon maker notes)
 * and {@code CMT4} (the GPS IFD).
 */
final class Cr3Boxes {
    private static final byte[] CANON_UUID = HexFormat.of().parseHex("85c0b687820f11e08111f4ce462b6a48");
    /** A moov box is a few hundred KiB (it holds a thumbnail); more means this is not what we think it is. */
    private static final long MAX_MOOV = 32L << 20;

    private Cr3Boxes() {
    }

    /** The CMT1-CMT4 payloads by name, in file order; empty when the file has none. */
    static Map<String, byte[]> read(Path file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            long end = ch.size();
            while (pos + 8 <= end) {
                ByteBuffer h = read(ch, pos, 16);
                long size = Integer.toUnsignedLong(h.getInt(0));
                String type = type(h, 4);
                int header = 8;
                if (size == 1) {
                    if (h.limit() < 16) {
                        break;
                    }
                    size = h.getLong(8);
                    header = 16;
                } else if (size == 0) {
                    size = end - pos;
                }
                if (size < header || pos + size > end) {
                    throw new IOException("box '" + type + "' at " + pos + " runs past the end of the file");
                }
                if (type.equals("moov")) {
                    if (size - header > MAX_MOOV) {
                        throw new IOException("moov box of " + size + " bytes is too large for a CR3");
                    }
                    ByteBuffer moov = read(ch, pos + header, (int) (size - header));
                    children(moov, out);
                    return out;
                }
                pos += size;
            }
        }
        return out;
    }

    private static void children(ByteBuffer moov, Map<String, byte[]> out) throws IOException {
        int p = 0;
        while (p + 8 <= moov.limit()) {
            long size = Integer.toUnsignedLong(moov.getInt(p));
            String type = type(moov, p + 4);
            if (size < 8 || p + size > moov.limit()) {
                throw new IOException("box '" + type + "' inside moov is damaged");
            }
            if (type.equals("uuid") && size >= 24 && moov.slice(p + 8, 16).equals(ByteBuffer.wrap(CANON_UUID))) {
                int q = p + 24;
                int uend = (int) (p + size);
                while (q + 8 <= uend) {
                    long s = Integer.toUnsignedLong(moov.getInt(q));
                    String t = type(moov, q + 4);
                    if (s < 8 || q + s > uend) {
                        throw new IOException("box '" + t + "' inside Canon's uuid box is damaged");
                    }
                    if (t.startsWith("CMT")) {
                        byte[] b = new byte[(int) s - 8];
                        moov.get(q + 8, b);
                        out.put(t, b);
                    }
                    q += (int) s;
                }
            }
            p += (int) size;
        }
    }

    private static String type(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        b.get(at, t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, Math.max(0, ch.size() - pos)));
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                break;
            }
        }
        return b.flip();
    }
}
