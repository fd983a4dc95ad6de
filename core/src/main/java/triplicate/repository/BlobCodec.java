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
    static final int LEVEL = 3;
    static final int SAMPLE_LEVEL = 1;

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

    static Sealed seal(Sealer sealer, ZstdContexts zstd, BlobType type, Id id, byte[] plain) {
        Payload p = payload(zstd, plain, 0, plain.length);
        return new Sealed(sealer.seal(p.bytes(), p.offset(), p.length(), aad(id, type)), p.compressed());
    }

    /** What gets sealed for a blob: {@code length} bytes of {@code bytes} from {@code offset}, compressed or not. */
    record Payload(byte[] bytes, int offset, int length, boolean compressed) {
    }

    /** The plaintext itself, or its zstd compression when that saves at least {@value #MIN_SAVING_PERCENT}%. */
    static Payload payload(ZstdContexts zstd, byte[] plain, int off, int len) {
        if (worthCompressing(zstd, plain, off, len)) {
            // a large blob gets room for the largest result worth keeping only (a compression that does not fit
            // does not pay): for a 25 MB tree that spares 25 MB at the peak; a small one gets the worst case, so
            // that incompressible small files do not each fail with an exception
            int keep = (int) ((long) len * (100 - MIN_SAVING_PERCENT) / 100);
            byte[] z = new byte[len <= SAMPLE ? (int) Zstd.compressBound(len) : keep];
            int n = zstd.compress(LEVEL, z, plain, off, len);
            if (n >= 0 && n <= keep) {
                return new Payload(z, 0, n, true);
            }
        }
        return new Payload(plain, off, len, false);
    }

    /** Room for the compressed sample, per thread (the sample check runs for every chunk). */
    private static final ThreadLocal<byte[]> SAMPLE_OUT = ThreadLocal.withInitial(
            () -> new byte[(int) Zstd.compressBound(SAMPLE)]);

    private static boolean worthCompressing(ZstdContexts zstd, byte[] plain, int off, int len) {
        if (len < 64) {
            return false;
        }
        if (len <= SAMPLE) {
            return true;
        }
        int n = zstd.compress(SAMPLE_LEVEL, SAMPLE_OUT.get(), plain, off + len / 2 - SAMPLE / 2, SAMPLE);
        return n >= 0 && n <= (long) SAMPLE * (100 - MIN_SAVING_PERCENT) / 100;
    }

    /** Opens a sealed blob read from its pack; throws {@link VaultCorruptException} naming the blob and pack. */
    static byte[] open(Sealer sealer, ZstdContexts zstd, PackedBlob where, byte[] sealed) {
        return open(sealer, zstd, where, sealed, 0, sealed.length);
    }

    /** As {@link #open(Sealer, ZstdContexts, PackedBlob, byte[])} for {@code len} sealed bytes of {@code buf} from {@code off}. */
    static byte[] open(Sealer sealer, ZstdContexts zstd, PackedBlob where, byte[] buf, int off, int len) {
        byte[] payload;
        try {
            payload = sealer.open(buf, off, len, aad(where.id(), where.type()));
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
            byte[] plain = zstd.decompress(payload, where.rawLength());
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
