package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import triplicate.core.VaultCorruptException;

/** Round-trip, tamper and known-answer tests of AES-256-GCM sealing. Seeds are fixed; each message names its seed. */
class SealerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MIB = 1024 * 1024;

    private static MasterKey key(long seed) {
        return MasterKey.generate(FixedRandoms.seeded(seed));
    }

    private static byte[] bytes(SplittableRandom random, int len) {
        byte[] b = new byte[len];
        random.nextBytes(b);
        return b;
    }

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @RepeatedTest(40)
    void openReversesSealForRandomSizesUpToOneMib(RepetitionInfo rep) {
        long seed = 0x5ea1_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        int len = switch (rep.getCurrentRepetition()) {
            case 1 -> 0;
            case 2 -> 1;
            case 3 -> MIB;
            default -> random.nextInt(MIB + 1);
        };
        int off = random.nextInt(64);
        byte[] buffer = bytes(random, off + len + random.nextInt(64));
        byte[] aad = bytes(random, random.nextInt(48));
        try (MasterKey key = key(seed)) {
            Sealer sealer = key.sealer();

            byte[] sealed = sealer.seal(buffer, off, len, aad);

            assertThat(sealed).as("seed %d", seed).hasSize(len + Sealer.OVERHEAD);
            assertThat(sealer.open(sealed, 0, sealed.length, aad))
                    .as("seed %d", seed)
                    .isEqualTo(Arrays.copyOfRange(buffer, off, off + len));
        }
    }

    @RepeatedTest(10)
    void sealIntoCallersBufferWritesExactlyTheSealedRange(RepetitionInfo rep) {
        long seed = 0xb0ff_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] plain = bytes(random, random.nextInt(70_000));
        int outOff = random.nextInt(100);
        byte[] out = new byte[outOff + plain.length + Sealer.OVERHEAD + 100];
        Arrays.fill(out, (byte) 0x7e);
        try (MasterKey key = key(seed)) {
            int n = key.sealer().seal(plain, 0, plain.length, null, out, outOff);

            assertThat(n).isEqualTo(plain.length + Sealer.OVERHEAD);
            assertThat(Arrays.copyOfRange(out, 0, outOff)).isEqualTo(filled(outOff, 0x7e));
            assertThat(Arrays.copyOfRange(out, outOff + n, out.length)).isEqualTo(filled(100, 0x7e));
            assertThat(key.sealer().open(out, outOff, n, new byte[0])).as("seed %d", seed).isEqualTo(plain);
        }
    }

    @Test
    void everySingleBitFlipOfASmallSealedMessageFailsAuthentication() {
        SplittableRandom random = new SplittableRandom(0xf11b);
        byte[] plain = bytes(random, 37);
        byte[] aad = bytes(random, 33);
        try (MasterKey key = key(0xf11b)) {
            Sealer sealer = key.sealer();
            byte[] sealed = sealer.seal(plain, 0, plain.length, aad);
            for (int bit = 0; bit < sealed.length * 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                int flipped = bit;
                assertThatThrownBy(() -> sealer.open(tampered, 0, tampered.length, aad))
                        .as("bit %d", flipped)
                        .isInstanceOf(VaultCorruptException.class)
                        .hasMessageContaining("failed authentication");
            }
        }
    }

    @RepeatedTest(20)
    void aRandomBitFlipAnywhereInALargeSealedMessageFailsAuthentication(RepetitionInfo rep) {
        long seed = 0xb17f_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] plain = bytes(random, 1 + random.nextInt(MIB));
        byte[] aad = bytes(random, 33);
        try (MasterKey key = key(seed)) {
            Sealer sealer = key.sealer();
            byte[] sealed = sealer.seal(plain, 0, plain.length, aad);
            // the nonce and the tag are the interesting places; the rest of the time anywhere
            int pos = switch (rep.getCurrentRepetition() % 3) {
                case 0 -> random.nextInt(Sealer.NONCE_LENGTH);
                case 1 -> sealed.length - 1 - random.nextInt(Sealer.TAG_LENGTH);
                default -> random.nextInt(sealed.length);
            };
            sealed[pos] ^= (byte) (1 << random.nextInt(8));

            assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, aad))
                    .as("seed %d, byte %d", seed, pos)
                    .isInstanceOf(VaultCorruptException.class)
                    .hasMessageContaining("failed authentication");
        }
    }

    @RepeatedTest(10)
    void otherAssociatedDataFailsAuthentication(RepetitionInfo rep) {
        long seed = 0xaad0_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] plain = bytes(random, random.nextInt(5000));
        byte[] aad = bytes(random, 1 + random.nextInt(40));
        byte[] otherAad = aad.clone();
        otherAad[random.nextInt(aad.length)] ^= (byte) (1 << random.nextInt(8));
        try (MasterKey key = key(seed)) {
            Sealer sealer = key.sealer();
            byte[] sealed = sealer.seal(plain, 0, plain.length, aad);

            assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, otherAad))
                    .isInstanceOf(VaultCorruptException.class).hasMessageContaining("failed authentication");
            assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, null))
                    .isInstanceOf(VaultCorruptException.class).hasMessageContaining("failed authentication");
            assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, Arrays.copyOf(aad, aad.length - 1)))
                    .isInstanceOf(VaultCorruptException.class).hasMessageContaining("failed authentication");
        }
    }

    @Test
    void anotherKeyFailsAuthentication() {
        byte[] plain = "a tree blob".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (MasterKey key = key(1); MasterKey other = key(2)) {
            byte[] sealed = key.sealer().seal(plain, 0, plain.length, null);

            assertThatThrownBy(() -> other.sealer().open(sealed, 0, sealed.length, null))
                    .isInstanceOf(VaultCorruptException.class).hasMessageContaining("failed authentication");
        }
    }

    @Test
    void truncatedSealedDataIsCorrupt() {
        try (MasterKey key = key(3)) {
            Sealer sealer = key.sealer();
            byte[] sealed = sealer.seal(new byte[10], 0, 10, null);
            for (int len = 0; len < sealed.length; len++) {
                int n = len;
                assertThatThrownBy(() -> sealer.open(sealed, 0, n, null))
                        .as("length %d", n)
                        .isInstanceOf(VaultCorruptException.class)
                        .hasMessageContaining("failed authentication");
            }
        }
    }

    @Test
    void twoSealsOfTheSamePlaintextDiffer() {
        byte[] plain = new byte[100];
        try (MasterKey key = key(4)) {
            Sealer sealer = key.sealer();
            byte[] a = sealer.seal(plain, 0, plain.length, null);
            byte[] b = sealer.seal(plain, 0, plain.length, null);

            assertThat(Arrays.copyOf(a, Sealer.NONCE_LENGTH)).isNotEqualTo(Arrays.copyOf(b, Sealer.NONCE_LENGTH));
            assertThat(a).isNotEqualTo(b);
        }
    }

    @Test
    void aSealerWithInjectedNoncesIsReproducible() {
        byte[] plain = "same bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (MasterKey key = key(5)) {
            byte[] a = key.sealer(FixedRandoms.seeded(9)).seal(plain, 0, plain.length, null);
            byte[] b = key.sealer(FixedRandoms.seeded(9)).seal(plain, 0, plain.length, null);

            assertThat(a).isEqualTo(b);
        }
    }

    /**
     * McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test case 16 (AES-256, 96-bit IV, with AAD).
     * Reproduce with Python: {@code AESGCM(key).encrypt(iv, p, a)} from the {@code cryptography} package.
     */
    @Test
    void knownAnswerGcmSpecTestCase16() {
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] p = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] a = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        String c = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
        String t = "76fc6ece0f4e1768cddf8853bb2d551b";

        assertKnownAnswer(key, iv, p, a, c, t);
    }

    /** GCM specification test cases 13 (empty plaintext) and 14 (one zero block), both with a zero key and IV. */
    @Test
    void knownAnswerGcmSpecTestCases13And14() {
        assertKnownAnswer(new byte[32], new byte[12], new byte[0], new byte[0], "",
                "530f8afbc74536b9a963b4f1c4cb738b");
        assertKnownAnswer(new byte[32], new byte[12], new byte[16], new byte[0], "cea7403d4d606b6e074ec5d3baf39d18",
                "d0d1c8a799996bf0265b98b5d48ab919");
    }

    private static void assertKnownAnswer(byte[] key, byte[] iv, byte[] p, byte[] a, String c, String t) {
        Sealer sealer = new Sealer(new DestroyableKey("AES", key, 0, key.length), null);
        byte[] out = new byte[p.length + Sealer.OVERHEAD];

        int n = sealer.seal(iv, p, 0, p.length, a, out, 0);

        assertThat(n).isEqualTo(out.length);
        assertThat(HEX.formatHex(out)).isEqualTo(HEX.formatHex(iv) + c + t);
        assertThat(sealer.open(out, 0, out.length, a)).isEqualTo(p);
    }

    /** Sealing feeds the cipher in slices; the result must be what one JDK doFinal gives, at every slice boundary. */
    @Test
    void slicedSealingEqualsOneShotJdkEncryption() throws Exception {
        SplittableRandom random = new SplittableRandom(0x511ce);
        byte[] key = bytes(random, 32);
        byte[] nonce = bytes(random, 12);
        byte[] aad = bytes(random, 33);
        Sealer sealer = new Sealer(new DestroyableKey("AES", key, 0, 32), null);
        int s = Sealer.SLICE;
        for (int len : new int[] {s - 1, s, s + 1, 2 * s, 2 * s + 17, 3 * s + 5, MIB + 3}) {
            byte[] plain = bytes(random, len + 2);
            javax.crypto.Cipher jdk = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            jdk.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, nonce));
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(plain, 1, len);
            byte[] out = new byte[len + Sealer.OVERHEAD];

            sealer.seal(nonce, plain, 1, len, aad, out, 0);

            assertThat(Arrays.copyOfRange(out, Sealer.NONCE_LENGTH, out.length)).as("length %d", len)
                    .isEqualTo(expected);
            assertThat(sealer.open(out, 0, out.length, aad)).isEqualTo(Arrays.copyOfRange(plain, 1, len + 1));
        }
    }

    @Test
    void aClosedKeysSealerRefusesWork() {
        MasterKey key = key(6);
        Sealer sealer = key.sealer();
        byte[] sealed = sealer.seal(new byte[3], 0, 3, null);
        key.close();

        assertThatThrownBy(() -> sealer.seal(new byte[3], 0, 3, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer.open(sealed, 0, sealed.length, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(key::sealer).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rangesAreChecked() {
        try (MasterKey key = key(7)) {
            Sealer sealer = key.sealer();

            assertThatThrownBy(() -> sealer.seal(new byte[10], 5, 6, null))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sealer.seal(new byte[10], 0, 10, null, new byte[37], 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sealer.open(new byte[40], 1, 40, null))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void sealIsSafeFromManyThreads() throws Exception {
        try (MasterKey key = key(8)) {
            Sealer sealer = key.sealer();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    futures.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        for (int i = 0; i < 200; i++) {
                            byte[] plain = bytes(random, random.nextInt(4096));
                            byte[] sealed = sealer.seal(plain, 0, plain.length, plain);
                            assertThat(sealer.open(sealed, 0, sealed.length, plain)).isEqualTo(plain);
                        }
                    }));
                }
                for (var f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
