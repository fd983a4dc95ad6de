package triplicate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ContentMd5Test {
    @Test
    void knownDigestsAndHeaders() {
        assertThat(ContentMd5.header(ByteBuffer.allocate(0))).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
        byte[] abc = "xxabcxx".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer middle = ByteBuffer.wrap(abc, 2, 3);
        assertThat(HexFormat.of().formatHex(ContentMd5.of(middle))).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(middle.hasRemaining()).isFalse();
        assertThat(ContentMd5.digest().getAlgorithm()).isEqualTo("MD5");
    }
}
