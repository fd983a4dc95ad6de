package triplicate.repository.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;

/**
 * Codec of the plaintext of an index file, version 1 (little endian):
 * {@code "TIX1"}, u32 pack count, then per pack: 32-byte pack id, u32 blob count, then per blob:
 * 32-byte id, u8 type, u8 flags (bit 0 = zstd), u64 offset, u32 sealed length, u32 raw length.
 * The stored file is this plaintext, zstd-compressed, sealed with AAD {@code "triplicate index v1"}.
 */
public final class IndexFile {
    private static final byte[] MAGIC = {'T', 'I', 'X', '1'};
    private static final int BLOB_SIZE = Id.LENGTH + 1 + 1 + 8 + 4 + 4;

    private IndexFile() {
    }

    public static byte[] encode(List<PackedBlob> blobs) {
        Map<Id, List<PackedBlob>> byPack = new LinkedHashMap<>();
        for (PackedBlob b : blobs) {
            byPack.computeIfAbsent(b.pack(), k -> new ArrayList<>()).add(b);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + byPack.size() * (Id.LENGTH + 4) + blobs.size() * BLOB_SIZE)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(byPack.size());
        for (Map.Entry<Id, List<PackedBlob>> e : byPack.entrySet()) {
            out.put(e.getKey().toBytes()).putInt(e.getValue().size());
            for (PackedBlob b : e.getValue()) {
                out.put(b.id().toBytes()).put(b.type().code()).put((byte) (b.compressed() ? 1 : 0))
                        .putLong(b.offset()).putInt(b.length()).putInt(b.rawLength());
            }
        }
        return out.array();
    }

    /** Parses; {@code name} is used in messages only. */
    public static List<PackedBlob> decode(String name, byte[] plain) {
        try {
            ByteBuffer in = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new VaultCorruptException("index " + name + ": unknown index format");
            }
            int packs = in.getInt();
            if (packs < 0 || (long) packs * (Id.LENGTH + 4) > in.remaining()) {
                throw new VaultCorruptException("index " + name + ": impossible pack count " + packs);
            }
            List<PackedBlob> out = new ArrayList<>();
            byte[] id = new byte[Id.LENGTH];
            for (int p = 0; p < packs; p++) {
                in.get(id);
                Id pack = Id.of(id);
                int n = in.getInt();
                if (n < 0 || (long) n * BLOB_SIZE > in.remaining()) {
                    throw new VaultCorruptException("index " + name + ": impossible blob count " + n);
                }
                for (int i = 0; i < n; i++) {
                    in.get(id);
                    Id blob = Id.of(id);
                    BlobType type = BlobType.fromCode(in.get());
                    boolean compressed = (in.get() & 1) != 0;
                    long offset = in.getLong();
                    int length = in.getInt();
                    int raw = in.getInt();
                    if (offset < 0 || length < 0 || raw < 0) {
                        throw new VaultCorruptException("index " + name + ": negative offset or length");
                    }
                    out.add(new PackedBlob(blob, type, pack, offset, length, raw, compressed));
                }
            }
            if (in.hasRemaining()) {
                throw new VaultCorruptException("index " + name + ": " + in.remaining() + " trailing bytes");
            }
            return out;
        } catch (java.nio.BufferUnderflowException e) {
            throw new VaultCorruptException("index " + name + ": truncated", e);
        }
    }
}
