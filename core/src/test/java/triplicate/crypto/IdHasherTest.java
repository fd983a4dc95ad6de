package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import triplicate.core.Id;

class IdHasherTest {

    /** RFC 4231, section 4.3, test case 2: key "Jefe", data "what do ya want for nothing?". */
    @Test
    void knownAnswerRfc4231TestCase2() {
        IdHasher hasher = new IdHasher("Jefe".getBytes(StandardCharsets.US_ASCII));
        byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

        assertThat(hasher.id(data, 0, data.length).hex())
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // the hasher is reusable: a second call is not polluted by the first
        assertThat(hasher.id(data, 0, data.length).hex())
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @RepeatedTest(10)
    void idIsHmacSha256UnderTheSecondHalfOfTheMasterKey(RepetitionInfo rep) throws Exception {
        long seed = 0x1d00_0000L + rep.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[random.nextInt(300_000)];
        random.nextBytes(buffer);
        int off = random.nextInt(buffer.length + 1);
        int len = random.nextInt(buffer.length - off + 1);
        try (MasterKey key = MasterKey.generate(FixedRandoms.seeded(seed))) {
            byte[] raw = key.toBytes();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, 32, 32, "HmacSHA256"));
            mac.update(buffer, off, len);

            assertThat(key.newIdHasher().id(buffer, off, len)).as("seed %d", seed).isEqualTo(Id.of(mac.doFinal()));
        }
    }

    @Test
    void theSameBytesGetTheSameIdOnlyUnderTheSameKey() {
        byte[] photo = new byte[10_000];
        new SplittableRandom(42).nextBytes(photo);
        try (MasterKey a = MasterKey.generate(FixedRandoms.seeded(1));
                MasterKey b = MasterKey.generate(FixedRandoms.seeded(2))) {
            Id id = a.newIdHasher().id(photo, 0, photo.length);

            assertThat(a.newIdHasher().id(photo, 0, photo.length)).isEqualTo(id);
            assertThat(b.newIdHasher().id(photo, 0, photo.length)).isNotEqualTo(id);
            assertThat(id.hex()).isNotEqualTo(sha256(photo));
        }
    }

    @Test
    void aClosedKeysHasherRefusesWork() {
        MasterKey key = MasterKey.generate(FixedRandoms.seeded(3));
        IdHasher hasher = key.newIdHasher();
        hasher.id(new byte[1], 0, 1);
        key.close();

        assertThatThrownBy(() -> hasher.id(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(key::newIdHasher).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rangesAreChecked() {
        IdHasher hasher = new IdHasher(new byte[32]);

        assertThatThrownBy(() -> hasher.id(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(hasher.id(new byte[4], 4, 0)).isEqualTo(hasher.id(new byte[0], 0, 0));
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
