package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KdfParamsTest {

    @Test
    void defaultsAndTestParameters() {
        assertThat(KdfParams.defaults()).isEqualTo(new KdfParams("argon2id", 65536, 3, 1));
        assertThat(KdfParams.forTests()).isEqualTo(new KdfParams("argon2id", 1024, 1, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "scrypt   | 1024    | 1   | 1  | KDF algorithm \"scrypt\" is unknown; the only one is argon2id",
        "argon2id | 1024    | 1   | 0  | KDF parallelism 0 is outside 1..64",
        "argon2id | 1024    | 1   | 65 | KDF parallelism 65 is outside 1..64",
        "argon2id | 31      | 1   | 4  | KDF memory 31 KiB is outside 32..4194304 KiB (8 × parallelism to 4 GiB)",
        "argon2id | 4194305 | 1   | 1  | KDF memory 4194305 KiB is outside 8..4194304 KiB (8 × parallelism to 4 GiB)",
        "argon2id | 1024    | 0   | 1  | KDF iterations 0 is outside 1..100",
        "argon2id | 1024    | 101 | 1  | KDF iterations 101 is outside 1..100",
        "argon2id | 4194304 | 5   | 1  | KDF work 4194304 KiB × 5 iterations exceeds 16777216 KiB (16 GiB)",
    })
    void absurdParametersAreRejected(String algorithm, int memoryKiB, int iterations, int parallelism,
            String message) {
        assertThatThrownBy(() -> new KdfParams(algorithm, memoryKiB, iterations, parallelism))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        new KdfParams("argon2id", 8, 1, 1);
        new KdfParams("argon2id", 4 * 1024 * 1024, 4, 64);
        new KdfParams("argon2id", 64 * 1024, 100, 1);
    }
}
