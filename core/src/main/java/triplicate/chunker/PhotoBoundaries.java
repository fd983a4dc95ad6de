package triplicate.chunker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the offsets in a photo where metadata ends and image data begins, to be used as forced cuts by
 * {@link FileChunker}: an in-place metadata edit (which usually changes the length of the metadata) then changes only
 * the small metadata chunk, and every chunk of image data still deduplicates.
 *
 * <p>The format is recognised by its magic bytes, never by the file name:
 * <ul>
 *   <li><b>JPEG</b> ({@code FF D8}): the marker segments are walked; the cut is where the leading APPn/COM segments
 *       end (at the first other marker, e.g. DQT, SOF or DHT). A JPEG without any APPn/COM segment is cut right after
 *       SOI, so that adding metadata later still leaves the image data chunks unchanged. When there is metadata, no
 *       cut is made before it: an edit then costs exactly the metadata region, and a cut after SOI would only spare
 *       its 2 bytes.</li>
 *   <li><b>ISOBMFF</b> (HEIC, HEIF, AVIF, MP4, MOV, CR3, …: an {@code ftyp} box at offset 4): a cut at each top-level
 *       box boundary among the first {@value #MAX_BOXES} boxes and at the start of each {@code mdat} payload;
 *       64-bit box sizes and size 0 (to the end of the file) are understood.</li>
 *   <li><b>TIFF-based RAW</b> ({@code II*\0}, {@code MM\0*}: TIFF, DNG, CR2, NEF, ARW, …; also ORF {@code IIRO},
 *       {@code IIRS}, {@code MMOR} and RW2 {@code IIU\0}): IFD0 and its chain, SubIFDs and the EXIF IFD are walked
 *       (at most {@value #MAX_IFDS} IFDs, each at most once, so cyclic pointers end the walk); each image's data
 *       (StripOffsets/StripByteCounts, TileOffsets/TileByteCounts, JPEGInterchangeFormat/…Length and, in RW2,
 *       RawDataOffset and JpgFromRaw) is cut where it begins and, when its length is known, where it ends. The first
 *       of these cuts is where image data begins; the cuts at the ends keep metadata written after the data, or the
 *       pad byte that a rewrite adds, out of the data chunks.</li>
 * </ul>
 *
 * <p>Never throws and never reads more than {@value #READ_BUDGET} bytes in total: for an unknown format, a structure
 * that is malformed, truncated or too large to walk within the budget, or a failing channel, the result is an empty
 * array (the file is then chunked by content alone, which is always correct, only less effective). Cut points are
 * hints; they never affect what is restored.
 */
public final class PhotoBoundaries {

    /** The most bytes one call reads from the channel. */
    static final int READ_BUDGET = 1 << 20;
    /** The most top-level ISOBMFF boxes walked. */
    static final int MAX_BOXES = 64;
    /** The most TIFF IFDs walked. */
    static final int MAX_IFDS = 32;
    /** The most JPEG marker segments walked before giving up. */
    static final int MAX_SEGMENTS = 512;
    /** The most entries in one TIFF IFD. */
    static final int MAX_ENTRIES = 4096;
    /** The most values read from one TIFF offsets or lengths array. */
    static final int MAX_VALUES = 32768;

    private static final long[] NONE = {};

    private PhotoBoundaries() {
    }

    /**
     * Returns the cut points of the photo in {@code ch}: strictly ascending offsets in {@code (0, size)}, possibly
     * none. Offsets are absolute positions in the channel. The channel's position is restored before returning.
     *
     * @param ch the file, read with absolute positioning; not closed
     * @param size the size of the file
     */
    public static long[] cuts(SeekableByteChannel ch, long size) {
        if (ch == null || size < 4) {
            return NONE;
        }
        long saved;
        try {
            saved = ch.position();
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
        try {
            Reader r = new Reader(ch, size);
            byte[] head = r.read(0, (int) Math.min(size, 12));
            long[] cuts;
            if (u8(head, 0) == 0xFF && u8(head, 1) == 0xD8) {
                cuts = jpeg(r);
            } else if (head.length >= 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
                cuts = isobmff(r);
            } else if (tiffOrder(head) != null) {
                cuts = tiff(r, head);
            } else {
                cuts = NONE;
            }
            return valid(cuts, size) ? cuts : NONE;
        } catch (Malformed | IOException | RuntimeException e) {
            return NONE;
        } finally {
            try {
                ch.position(saved);
            } catch (IOException | RuntimeException ignored) {
                // the position is best effort; the cuts are still right
            }
        }
    }

    // ------------------------------------------------------------------ JPEG

    private static long[] jpeg(Reader r) throws IOException, Malformed {
        long pos = 2;
        long segmentEnd = pos; // where the last metadata segment (or SOI) ended; fill bytes may follow
        for (int segments = 0; segments < MAX_SEGMENTS; segments++) {
            byte[] b = r.read(pos, 2);
            if (u8(b, 0) != 0xFF) {
                throw new Malformed();
            }
            int marker = u8(b, 1);
            if (marker == 0xFF) { // a fill byte before a marker
                pos++;
                continue;
            }
            if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
                int len = u16be(r.read(pos + 2, 2), 0);
                if (len < 2) {
                    throw new Malformed();
                }
                pos += 2 + len;
                segmentEnd = pos;
                continue;
            }
            // the first segment that is not metadata: image data (tables, frame, scan) starts here
            return new long[] {segmentEnd};
        }
        throw new Malformed();
    }

    // ------------------------------------------------------------------ ISOBMFF

    private static long[] isobmff(Reader r) throws IOException, Malformed {
        TreeSet<Long> cuts = new TreeSet<>();
        long pos = 0;
        for (int boxes = 0; boxes < MAX_BOXES && pos < r.size; boxes++) {
            byte[] h = r.read(pos, 8);
            long boxSize = u32be(h, 0);
            int headerSize = 8;
            if (boxSize == 1) {
                boxSize = ByteBuffer.wrap(r.read(pos + 8, 8)).getLong();
                headerSize = 16;
            } else if (boxSize == 0) {
                boxSize = r.size - pos;
            }
            if (boxSize < headerSize || boxSize > r.size - pos) {
                throw new Malformed();
            }
            if (h[4] == 'm' && h[5] == 'd' && h[6] == 'a' && h[7] == 't') {
                cuts.add(pos + headerSize);
            }
            pos += boxSize;
            cuts.add(pos);
        }
        return toArray(cuts, r.size);
    }

    // ------------------------------------------------------------------ TIFF

    private static ByteOrder tiffOrder(byte[] h) {
        if (h.length < 8) {
            return null;
        }
        int magic;
        ByteOrder order;
        if (h[0] == 'I' && h[1] == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = u8(h, 2) | u8(h, 3) << 8;
        } else if (h[0] == 'M' && h[1] == 'M') {
            order = ByteOrder.BIG_ENDIAN;
            magic = u8(h, 2) << 8 | u8(h, 3);
        } else {
            return null;
        }
        return switch (magic) {
            case 42, RW2_MAGIC, 0x4F52 /* ORF "RO" */, 0x5352 /* ORF "RS" */ -> order;
            default -> null;
        };
    }

    private static final int RW2_MAGIC = 0x55;
    private static final int TAG_STRIP_OFFSETS = 0x0111;
    private static final int TAG_STRIP_BYTE_COUNTS = 0x0117;
    private static final int TAG_TILE_OFFSETS = 0x0144;
    private static final int TAG_TILE_BYTE_COUNTS = 0x0145;
    private static final int TAG_SUB_IFDS = 0x014A;
    private static final int TAG_JPEG_IF_OFFSET = 0x0201;
    private static final int TAG_JPEG_IF_LENGTH = 0x0202;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_RW2_JPG_FROM_RAW = 0x002E;
    private static final int TAG_RW2_RAW_DATA_OFFSET = 0x0118;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;
    private static final int TYPE_IFD = 13;

    private static long[] tiff(Reader r, byte[] head) throws IOException, Malformed {
        ByteOrder order = tiffOrder(head);
        boolean rw2 = (order == ByteOrder.LITTLE_ENDIAN ? u8(head, 2) | u8(head, 3) << 8 : 0) == RW2_MAGIC;
        TreeSet<Long> cuts = new TreeSet<>();
        Set<Long> visited = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(ByteBuffer.wrap(head, 4, 4).order(order).getInt() & 0xFFFFFFFFL);
        while (!todo.isEmpty() && visited.size() < MAX_IFDS) {
            long ifd = todo.poll();
            if (!visited.add(ifd)) {
                continue; // cyclic or shared pointer: each IFD is walked once
            }
            if (ifd < 8) {
                throw new Malformed();
            }
            int n = ByteBuffer.wrap(r.read(ifd, 2)).order(order).getShort() & 0xFFFF;
            if (n == 0 || n > MAX_ENTRIES) {
                throw new Malformed();
            }
            ByteBuffer e = ByteBuffer.wrap(r.read(ifd + 2, n * 12 + 4)).order(order);
            // entry positions (byte offsets into e) of the tags that locate image data; -1 when absent
            int stripOffsets = -1;
            int stripCounts = -1;
            int tileOffsets = -1;
            int tileCounts = -1;
            int jpegOffset = -1;
            int jpegLength = -1;
            for (int i = 0; i < n; i++) {
                int base = i * 12;
                int tag = e.getShort(base) & 0xFFFF;
                int type = e.getShort(base + 2) & 0xFFFF;
                long count = e.getInt(base + 4) & 0xFFFFFFFFL;
                long value = e.getInt(base + 8) & 0xFFFFFFFFL;
                switch (tag) {
                    case TAG_STRIP_OFFSETS -> stripOffsets = base;
                    case TAG_STRIP_BYTE_COUNTS -> stripCounts = base;
                    case TAG_TILE_OFFSETS -> tileOffsets = base;
                    case TAG_TILE_BYTE_COUNTS -> tileCounts = base;
                    case TAG_JPEG_IF_OFFSET -> jpegOffset = base;
                    case TAG_JPEG_IF_LENGTH -> jpegLength = base;
                    case TAG_SUB_IFDS -> {
                        for (long sub : values(r, order, e, base, type, Math.min(count, 16))) {
                            todo.add(sub);
                        }
                    }
                    case TAG_EXIF_IFD -> todo.add(value);
                    case TAG_RW2_RAW_DATA_OFFSET -> {
                        if (rw2) {
                            addCut(cuts, value, r.size);
                        }
                    }
                    case TAG_RW2_JPG_FROM_RAW -> {
                        if (rw2 && count > 4) { // an embedded JPEG of count bytes at value
                            addCut(cuts, value, r.size);
                            addCut(cuts, value + count, r.size);
                        }
                    }
                    default -> {
                    }
                }
            }
            dataRegion(r, order, e, stripOffsets, stripCounts, cuts);
            dataRegion(r, order, e, tileOffsets, tileCounts, cuts);
            dataRegion(r, order, e, jpegOffset, jpegLength, cuts);
            long next = e.getInt(n * 12) & 0xFFFFFFFFL;
            if (next != 0) {
                todo.add(next);
            }
        }
        return toArray(cuts, r.size);
    }

    /**
     * Adds cuts where one image's data begins (its smallest offset) and, when the lengths are known, where it ends
     * (the largest offset + length). Cutting at the end too keeps what follows the data (IFDs written after it, a pad
     * byte, a trailer) out of the last data chunk.
     */
    private static void dataRegion(Reader r, ByteOrder order, ByteBuffer e, int offsetsEntry, int lengthsEntry,
            TreeSet<Long> cuts) throws IOException, Malformed {
        if (offsetsEntry < 0) {
            return;
        }
        long[] offsets = values(r, order, e, offsetsEntry, e.getShort(offsetsEntry + 2) & 0xFFFF,
                Math.min(e.getInt(offsetsEntry + 4) & 0xFFFFFFFFL, MAX_VALUES));
        long start = Long.MAX_VALUE;
        for (long o : offsets) {
            start = Math.min(start, o);
        }
        addCut(cuts, start, r.size);
        if (lengthsEntry < 0) {
            return;
        }
        long[] lengths = values(r, order, e, lengthsEntry, e.getShort(lengthsEntry + 2) & 0xFFFF,
                Math.min(e.getInt(lengthsEntry + 4) & 0xFFFFFFFFL, MAX_VALUES));
        if (lengths.length == offsets.length && offsets.length > 0) {
            long end = 0;
            for (int i = 0; i < offsets.length; i++) {
                end = Math.max(end, offsets[i] + lengths[i]);
            }
            addCut(cuts, end, r.size);
        }
    }

    /** A data offset inside the header or at or beyond the end of the file is not a cut. */
    private static void addCut(TreeSet<Long> cuts, long offset, long size) {
        if (offset > 8 && offset < size) {
            cuts.add(offset);
        }
    }

    /** The first {@code count} SHORT, LONG or IFD values of the entry at {@code base}; none for other types. */
    private static long[] values(Reader r, ByteOrder order, ByteBuffer e, int base, int type, long count)
            throws IOException, Malformed {
        int width = switch (type) {
            case TYPE_SHORT -> 2;
            case TYPE_LONG, TYPE_IFD -> 4;
            default -> 0;
        };
        if (width == 0 || count == 0) {
            return NONE;
        }
        int bytes = (int) count * width;
        ByteBuffer v = bytes <= 4
                ? e.duplicate().order(order).position(base + 8).slice().order(order)
                : ByteBuffer.wrap(r.read(e.getInt(base + 8) & 0xFFFFFFFFL, bytes)).order(order);
        long[] out = new long[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = width == 2 ? v.getShort(2 * i) & 0xFFFF : v.getInt(4 * i) & 0xFFFFFFFFL;
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static boolean valid(long[] cuts, long size) {
        long prev = 0;
        for (long c : cuts) {
            if (c <= prev || c >= size) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    /** The cuts strictly inside the file (its start and end are not cuts), in ascending order. */
    private static long[] toArray(TreeSet<Long> cuts, long size) {
        return cuts.stream().mapToLong(Long::longValue).filter(c -> c > 0 && c < size).toArray();
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16be(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32be(byte[] b, int i) {
        return (long) u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }

    /** The structure cannot be understood; the caller answers "no cuts". */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }

    /** Absolute reads within {@code [0, size)} that stop at {@link #READ_BUDGET} bytes in total. */
    private static final class Reader {
        private final SeekableByteChannel ch;
        private final long size;
        private long budget = READ_BUDGET;

        Reader(SeekableByteChannel ch, long size) {
            this.ch = ch;
            this.size = size;
        }

        /** Reads exactly {@code n} bytes at {@code pos}; malformed if they are not all within the file. */
        byte[] read(long pos, int n) throws IOException, Malformed {
            if (pos < 0 || n < 0 || pos > size - n || n > budget) {
                throw new Malformed();
            }
            budget -= n;
            ByteBuffer b = ByteBuffer.allocate(n);
            ch.position(pos);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new Malformed();
                }
            }
            return b.array();
        }
    }
}
