package triplicate.repository.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import triplicate.backend.Source;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.Sealer;
import triplicate.repository.index.PackedBlob;

/**
 * Collects sealed blobs into one pack without copying them: the pack is the list of sealed arrays followed by the
 * sealed header. Not thread-safe; the caller serialises {@link #add}. The pack's name is the SHA-256 of its bytes.
 */
public final class PackBuilder {
    private final List<byte[]> parts = new ArrayList<>();
    private final List<PackedBlob> entries = new ArrayList<>();
    private final MessageDigest sha256;
    private long size;

    public PackBuilder() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends a sealed blob. {@code pack} in the recorded entries is filled in by {@link #finish}. */
    public void add(BlobType type, Id id, byte[] sealed, int rawLength, boolean compressed) {
        parts.add(sealed);
        sha256.update(sealed);
        entries.add(new PackedBlob(id, type, null, size, sealed.length, rawLength, compressed));
        size += sealed.length;
    }

    public long size() {
        return size;
    }

    public int count() {
        return entries.size();
    }

    /** Seals the header and returns the finished pack. The builder must not be used afterwards. */
    public Pack finish(Sealer sealer) {
        byte[] header = sealer.seal(PackHeader.encode(entries), 0, PackHeader.ENTRY_SIZE * entries.size() + 8, PackHeader.AAD);
        byte[] len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length).array();
        parts.add(header);
        parts.add(len);
        sha256.update(header);
        sha256.update(len);
        Id id = Id.of(sha256.digest());
        List<PackedBlob> blobs = new ArrayList<>(entries.size());
        for (PackedBlob e : entries) {
            blobs.add(new PackedBlob(e.id(), e.type(), id, e.offset(), e.length(), e.rawLength(), e.compressed()));
        }
        return new Pack(id, Collections.unmodifiableList(parts), size + header.length + 4, List.copyOf(blobs));
    }

    /** A finished pack, ready to be saved. */
    public record Pack(Id id, List<byte[]> parts, long length, List<PackedBlob> blobs) implements Source {
        @Override
        public InputStream open() {
            List<InputStream> streams = new ArrayList<>(parts.size());
            for (byte[] p : parts) {
                streams.add(new java.io.ByteArrayInputStream(p));
            }
            return new SequenceInputStream(Collections.enumeration(streams));
        }

        @Override
        public byte[] bytesIfInMemory() {
            return null;
        }

        /** All bytes of the pack in one array (tests and small packs). */
        public byte[] toBytes() throws IOException {
            try (InputStream in = open()) {
                return in.readAllBytes();
            }
        }
    }
}
