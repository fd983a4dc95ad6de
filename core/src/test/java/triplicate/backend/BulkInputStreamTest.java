package triplicate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkInputStreamTest {

    @Test
    void theOneByteReadGoesThroughTheBulkReadAndIsUnsigned() throws IOException {
        byte[] data = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff};
        List<Integer> asked = new ArrayList<>();
        BulkInputStream in = new BulkInputStream() {
            private int position;

            @Override
            public int read(byte[] b, int off, int len) {
                asked.add(len);
                if (position == data.length) {
                    return -1;
                }
                b[off] = data[position++];
                return 1;
            }
        };
        List<Integer> read = new ArrayList<>();
        for (int b = in.read(); b >= 0; b = in.read()) {
            read.add(b);
        }
        assertThat(read).containsExactly(0, 1, 0x7f, 0x80, 0xff);
        assertThat(in.read()).as("still at the end").isEqualTo(-1);
        assertThat(asked).containsOnly(1);
    }
}
