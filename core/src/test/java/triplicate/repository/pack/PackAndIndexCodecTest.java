package triplicate.repository.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;
import triplicate.crypto.MasterKey;
import triplicate.crypto.Sealer;
import triplicate.repository.index.IndexFile;
import triplicate.repository.index.PackedBlob;

/** Seeded round-trip and tamper properties of the pack header and index file codecs. */
class PackAndIndexCodecTest {
    private final Sealer sealer = MasterKey.generate(new SecureRandom()).sealer();

    private static Id id(SplittableRandom r) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return Id.of(b);
    }

    @Test
    void packHeadersRoundTripForRandomPacks() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (int round = 0; round < 50; round++) {
            PackBuilder b = new PackBuilder();
            List<Id> ids = new ArrayList<>();
            int n = r.nextInt(0, 30);
            for (int i = 0; i < n; i++) {
                byte[] sealed = new byte[28 + r.nextInt(0, 5000)];
                Id id = id(r);
                ids.add(id);
                b.add(i % 3 == 0 ? BlobType.TREE : BlobType.DATA, id, sealed, r.nextInt(0, 9000), i % 2 == 0);
            }
            PackBuilder.Pack pack = b.finish(sealer);
            byte[] bytes = pack.toBytes();
            assertThat(bytes.length).isEqualTo(pack.length());
            List<PackedBlob> decoded = PackHeader.decode(pack.id(), bytes, bytes.length, sealer);
            assertThat(decoded).isEqualTo(pack.blobs());
            assertThat(decoded.stream().map(PackedBlob::id).toList()).isEqualTo(ids);
        }
    }

    @Test
    void everyFlippedBitOfTheHeaderIsDetected() throws Exception {
        PackBuilder b = new PackBuilder();
        SplittableRandom r = new SplittableRandom(2);
        b.add(BlobType.DATA, id(r), new byte[100], 72, false);
        PackBuilder.Pack pack = b.finish(sealer);
        byte[] bytes = pack.toBytes();
        for (int i = 100; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] t = bytes.clone();
                t[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> PackHeader.decode(pack.id(), t, t.length, sealer))
                        .isInstanceOf(VaultCorruptException.class);
            }
        }
    }

    @Test
    void indexFilesRoundTripAndRejectTruncation() {
        SplittableRandom r = new SplittableRandom(3);
        List<PackedBlob> blobs = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            Id pack = id(r);
            long off = 0;
            for (int i = 0; i < r.nextInt(1, 40); i++) {
                int len = r.nextInt(28, 1 << 20);
                blobs.add(new PackedBlob(id(r), r.nextBoolean() ? BlobType.DATA : BlobType.TREE, pack, off, len,
                        r.nextInt(0, 1 << 21), r.nextBoolean()));
                off += len;
            }
        }
        byte[] plain = IndexFile.encode(blobs);
        assertThat(IndexFile.decode("x", plain)).containsExactlyElementsOf(blobs);
        for (int cut : new int[] {0, 3, 8, plain.length / 2, plain.length - 1}) {
            byte[] t = java.util.Arrays.copyOf(plain, cut);
            assertThatThrownBy(() -> IndexFile.decode("x", t)).isInstanceOf(VaultCorruptException.class);
        }
    }
}
