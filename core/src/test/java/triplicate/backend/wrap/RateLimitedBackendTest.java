package triplicate.backend.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.BackendContractTest;
import triplicate.core.FileType;

class RateLimitedBackendTest {
    /** A fake clock that only moves when the limiter sleeps: elapsed time is exactly the time the cap imposed. */
    private final AtomicLong now = new AtomicLong();

    private RateLimitedBackend limited(Backend inner, long up, long down) {
        return new RateLimitedBackend(inner, up, down, now::get, now::addAndGet);
    }

    @Nested
    class Contract extends BackendContractTest {
        @Override
        protected Backend newBackend() {
            AtomicLong clock = new AtomicLong();
            return new RateLimitedBackend(new MemoryBackend("limited"), 50_000_000, 50_000_000, clock::get,
                    clock::addAndGet);
        }
    }

    @Test
    void uploadsTakeAsLongAsTheCapRequires() throws IOException {
        MemoryBackend mem = new MemoryBackend("m");
        RateLimitedBackend b = limited(mem, 100_000, 0);
        byte[] data = new byte[1_000_000];
        b.save(new Handle(FileType.PACK, "aa".repeat(32)), Source.of(data));
        // 1 MB at 100 kB/s, with a bucket that starts empty: 10 s
        assertThat(now.get() / 1e9).isBetween(9.9, 10.1);
        assertThat(mem.load(new Handle(FileType.PACK, "aa".repeat(32)))).isEqualTo(data);
    }

    @Test
    void downloadsAreCappedAndUploadsLeftAloneWhenOnlyTheDownloadIsLimited() throws IOException {
        MemoryBackend mem = new MemoryBackend("m");
        RateLimitedBackend b = limited(mem, 0, 250_000);
        Handle h = new Handle(FileType.PACK, "bb".repeat(32));
        b.save(h, Source.of(new byte[500_000]));
        assertThat(now.get()).as("no upload cap").isZero();
        assertThat(b.load(h)).hasSize(500_000);
        assertThat(now.get() / 1e9).isBetween(1.9, 2.1);
    }

    @Test
    void noLimitsMeansTheBackendItself() {
        MemoryBackend mem = new MemoryBackend("m");
        assertThat(RateLimitedBackend.wrap(mem, 0, 0)).isSameAs(mem);
    }
}
