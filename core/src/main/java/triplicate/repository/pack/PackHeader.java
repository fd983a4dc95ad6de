package triplicate.repository.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;
import triplicate.crypto.Sealer;
import triplicate.repository.index.PackedBlob;

/**
 * The plaintext header of a pack, version 1: {@code "TPH1"}, u32 count, then per blob (in file order):
 * u8 type, u8 flags (bit 0 = zstd), u32 sealed length, u32 raw length, 32-byte id. Offsets follow from the order.
 * The header is sealed with AAD {@code "triplicate pack header v1"} and followed by its sealed length as u32 LE.
 */
public final class PackHeader {
    static final byte[] MAGIC = {'T', 'P', 'H', '1'};
    static final byte[] AAD = "triplicate pack header v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int ENTRY_SIZE = 1 + 1 + 4 + 4 + Id.LENGTH;
    /** Upper bound on blobs per pack accepted when parsing, so a damaged length cannot exhaust memory. */
    static final int MAX_ENTRIES = 1 << 22;

    private PackHeader() {
    }

    static byte[] encode(List<PackedBlob> blobs) {
        ByteBuffer b = ByteBuffer.allocate(8 + blobs.size() * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(blobs.size());
        for (PackedBlob e : blobs) {
            b.put(e.type().code()).put((byte) (e.compressed() ? 1 : 0)).putInt(e.length()).putInt(e.rawLength());
            b.put(e.id().toBytes());
        }
        return b.array();
    }

    /**
     * Reads the header of a whole pack or of its tail. {@code tail} must hold the last bytes of the pack (at least
     * the sealed header and its 4-byte length); {@code packLength} is the pack's full size.
     */
    public static List<PackedBlob> decode(Id pack, byte[] tail, long packLength, Sealer sealer) {
        if (tail.length < 4) {
            throw new VaultCorruptException("pack " + pack + ": too short to hold a header (" + packLength + " bytes)");
        }
        int sealedLen = ByteBuffer.wrap(tail, tail.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (sealedLen < Sealer.OVERHEAD + 8 || sealedLen > tail.length - 4 || sealedLen > packLength - 4) {
            throw new VaultCorruptException("pack " + pack + ": header length " + sealedLen + " is impossible");
        }
        byte[] plain = sealer.open(tail, tail.length - 4 - sealedLen, sealedLen, AAD);
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new VaultCorruptException("pack " + pack + ": header has an unknown format");
        }
        int n = b.getInt();
        if (n < 0 || n > MAX_ENTRIES || b.remaining() != (long) n * ENTRY_SIZE) {
            throw new VaultCorruptException("pack " + pack + ": header lists an impossible number of blobs (" + n + ")");
        }
        List<PackedBlob> out = new ArrayList<>(n);
        long offset = 0;
        long dataEnd = packLength - 4 - sealedLen;
        for (int i = 0; i < n; i++) {
            BlobType type = BlobType.fromCode(b.get());
            boolean compressed = (b.get() & 1) != 0;
            int length = b.getInt();
            int rawLength = b.getInt();
            byte[] id = new byte[Id.LENGTH];
            b.get(id);
            if (length < Sealer.OVERHEAD || rawLength < 0 || offset + length > dataEnd) {
                throw new VaultCorruptException("pack " + pack + ": blob " + i + " lies outside the pack");
            }
            out.add(new PackedBlob(Id.of(id), type, pack, offset, length, rawLength, compressed));
            offset += length;
        }
        if (offset != dataEnd) {
            throw new VaultCorruptException("pack " + pack + ": header does not account for " + (dataEnd - offset) + " bytes");
        }
        return out;
    }
}
