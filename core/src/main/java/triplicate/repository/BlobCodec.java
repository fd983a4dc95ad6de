package triplicate.repository;

import com.github.luben.zstd.Zstd;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;
import triplicate.crypto.Sealer;
import triplicate.repository.index.PackedBlob;

/**
 * Turns plaintext blobs into sealed bytes and back. Compression with zstd is used only when it pays: a 64 KiB sample
 * is compressed first, and data that does not shrink by {@value #MIN_SAVING_PERCENT}% (JPEG, HEIC, video) is sealed
 * as is. The AAD of every blob is its id followed by its type code, so a blob cannot be swapped for another.
 */
final class BlobCodec {
    static final int MIN_SAVING_PERCENT = 5;
    private static final int SAMPLE = 64 * 1024;
    private static final int LEVEL = 3;

    private BlobCodec() {
    }

    static byte[] aad(Id id, BlobType type) {
        byte[] aad = new byte[Id.LENGTH + 1];
        id.writeTo(aad, 0);
        aad[Id.LENGTH] = type.code();
        return aad;
    }

    /** The result of sealing: the bytes and whether they were compressed first. */
    record Sealed(byte[] bytes, boolean compressed) {
    }

    static Sealed seal(Sealer sealer, BlobType type, Id id, byte[] plain) {
        byte[] payload = plain;
        boolean compressed = false;
        if (worthCompressing(plain)) {
            byte[] z = Zstd.compress(plain, LEVEL);
            if (z.length <= (long) plain.length * (100 - MIN_SAVING_PERCENT) / 100) {
                payload = z;
                compressed = true;
            }
        }
        return new Sealed(sealer.seal(payload, 0, payload.length, aad(id, type)), compressed);
    }

    private static boolean worthCompressing(byte[] plain) {
        if (plain.length < 64) {
            return false;
        }
        if (plain.length <= SAMPLE) {
            return true;
        }
        byte[] sample = java.util.Arrays.copyOfRange(plain, plain.length / 2 - SAMPLE / 2, plain.length / 2 + SAMPLE / 2);
        byte[] z = Zstd.compress(sample, 1);
        return z.length <= (long) SAMPLE * (100 - MIN_SAVING_PERCENT) / 100;
    }

    /** Opens a sealed blob read from its pack; throws {@link VaultCorruptException} naming the blob and pack. */
    static byte[] open(Sealer sealer, PackedBlob where, byte[] sealed) {
        byte[] payload;
        try {
            payload = sealer.open(sealed, 0, sealed.length, aad(where.id(), where.type()));
        } catch (VaultCorruptException e) {
            throw new VaultCorruptException(where.type().name().toLowerCase(java.util.Locale.ROOT) + " blob "
                    + where.id().shortHex() + " in pack " + where.pack().shortHex() + " failed authentication (damaged)", e);
        }
        if (!where.compressed()) {
            if (payload.length != where.rawLength()) {
                throw new VaultCorruptException("blob " + where.id().shortHex() + " has " + payload.length
                        + " bytes, the index says " + where.rawLength());
            }
            return payload;
        }
        try {
            byte[] plain = Zstd.decompress(payload, where.rawLength());
            if (plain.length != where.rawLength()) {
                throw new VaultCorruptException("blob " + where.id().shortHex() + " decompressed to the wrong size");
            }
            return plain;
        } catch (RuntimeException e) {
            if (e instanceof VaultCorruptException v) {
                throw v;
            }
            throw new VaultCorruptException("blob " + where.id().shortHex() + " in pack " + where.pack().shortHex()
                    + " does not decompress: " + e.getMessage(), e);
        }
    }
}
