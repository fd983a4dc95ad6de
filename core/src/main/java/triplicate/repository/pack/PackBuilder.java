package triplicate.repository.pack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.Sealer;
import triplicate.repository.index.PackedBlob;

/**
 * Collects sealed blobs into one pack, in one array: blobs are sealed straight into it ({@link #seal}) or copied
 * into it ({@link #add}), and {@link #finish} appends the sealed header. The array can be handed back in for the
 * next pack ({@link Pack#buffer()}), so a long backup allocates its pack buffers once. Not thread-safe; the caller
 * serialises use. The pack's name is the SHA-256 of its bytes.
 */
public final class PackBuilder {
    private static final int INITIAL_CAPACITY = 64 << 10;
    private final List<PackedBlob> entries = new ArrayList<>();
    private final int capacityHint;
    private byte[] buf;
    private int size;

    public PackBuilder() {
        this(null, 0);
    }

    /**
     * A builder that writes into {@code buffer} (when not null; its content is ignored) and grows it as needed:
     * without a buffer, to {@code capacityHint} bytes (the usual size of a finished pack) at the first blob, then
     * beyond as blobs require.
     */
    public PackBuilder(byte[] buffer, int capacityHint) {
        this.buf = buffer == null ? new byte[0] : buffer;
        this.capacityHint = capacityHint;
    }

    /** Appends a sealed blob. {@code pack} in the recorded entries is filled in by {@link #finish}. */
    public void add(BlobType type, Id id, byte[] sealed, int rawLength, boolean compressed) {
        add(type, id, sealed, 0, sealed.length, rawLength, compressed);
    }

    /** Appends the sealed blob in {@code length} bytes of {@code src} from {@code off}. */
    public void add(BlobType type, Id id, byte[] src, int off, int length, int rawLength, boolean compressed) {
        java.util.Objects.checkFromIndexSize(off, length, src.length);
        ensure(length);
        System.arraycopy(src, off, buf, size, length);
        record(type, id, length, rawLength, compressed);
    }

    /**
     * Seals {@code len} bytes of {@code payload} from {@code off} with {@code aad} straight into the pack and appends
     * the blob; returns its sealed length ({@code len + Sealer.OVERHEAD}).
     */
    public int seal(Sealer sealer, BlobType type, Id id, byte[] payload, int off, int len, byte[] aad, int rawLength,
                    boolean compressed) {
        int sealedLength = len + Sealer.OVERHEAD;
        ensure(sealedLength);
        sealer.seal(payload, off, len, aad, buf, size);
        record(type, id, sealedLength, rawLength, compressed);
        return sealedLength;
    }

    private void record(BlobType type, Id id, int sealedLength, int rawLength, boolean compressed) {
        entries.add(new PackedBlob(id, type, null, size, sealedLength, rawLength, compressed));
        size += sealedLength;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a pack cannot exceed 2 GiB");
        }
        if (needed > buf.length) {
            // with a hint, the buffer takes the usual pack size at once: growing by doubling would hold the old and
            // the new array at the same time, and the pipeline's memory bound counts whole pack buffers
            long grown = buf.length == 0 && capacityHint > 0 ? Math.max(needed, capacityHint)
                    : Math.max(needed, Math.min(Math.max(2L * buf.length, INITIAL_CAPACITY),
                            Math.max(capacityHint, INITIAL_CAPACITY)));
            buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 16));
        }
    }

    /** Bytes of sealed blobs so far (without the header). */
    public long size() {
        return size;
    }

    public int count() {
        return entries.size();
    }

    /** Seals the header, names the pack and returns it. The builder must not be used afterwards. */
    public Pack finish(Sealer sealer) {
        byte[] header = sealer.seal(PackHeader.encode(entries), 0, PackHeader.ENTRY_SIZE * entries.size() + 8, PackHeader.AAD);
        int dataEnd = size;
        ensure(header.length + 4);
        System.arraycopy(header, 0, buf, size, header.length);
        size += header.length;
        ByteBuffer.wrap(buf, size, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length);
        size += 4;
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update(buf, 0, size);
        Id id = Id.of(sha256.digest());
        List<PackedBlob> blobs = new ArrayList<>(entries.size());
        for (PackedBlob e : entries) {
            blobs.add(new PackedBlob(e.id(), e.type(), id, e.offset(), e.length(), e.rawLength(), e.compressed()));
        }
        assert blobs.isEmpty() || blobs.get(blobs.size() - 1).offset() + blobs.get(blobs.size() - 1).length() == dataEnd;
        return new Pack(id, buf, size, List.copyOf(blobs));
    }

    /**
     * A finished pack, ready to be saved: the first {@code length} bytes of {@code buffer}. Once saved, the buffer
     * may be reused for another pack.
     */
    public record Pack(Id id, byte[] buffer, long length, List<PackedBlob> blobs) implements Source {
        @Override
        public InputStream open() {
            return new ByteArrayInputStream(buffer, 0, (int) length);
        }

        @Override
        public ByteBuffer bufferIfInMemory() {
            return ByteBuffer.wrap(buffer, 0, (int) length).asReadOnlyBuffer();
        }

        /**
         * {@link StorageHint#MAY_BE_COLD} for a pack of data blobs only (file contents: read only to restore, check
         * them byte for byte, repack or heal); {@link StorageHint#HOT} as soon as it holds a tree blob, which folder
         * listings and restore planning read.
         */
        @Override
        public StorageHint storageHint() {
            return !blobs.isEmpty() && blobs.stream().allMatch(b -> b.type() == BlobType.DATA)
                    ? StorageHint.MAY_BE_COLD : StorageHint.HOT;
        }

        /** All bytes of the pack in one array of its length (tests and small packs). */
        public byte[] toBytes() throws IOException {
            return Arrays.copyOf(buffer, (int) length);
        }
    }
}
