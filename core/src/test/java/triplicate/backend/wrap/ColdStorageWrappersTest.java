package triplicate.backend.wrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import triplicate.backend.ColdState;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.backend.ThawTier;
import triplicate.backend.mem.MemoryBackend;
import triplicate.core.ColdStorageException;
import triplicate.core.FileType;

/** The cold-storage calls and the storage hint pass through every wrapper; a cold read is never retried. */
class ColdStorageWrappersTest {
    private static final Handle PACK = new Handle(FileType.PACK, "ab".repeat(32));

    /** A backend whose packs are all frozen, recording what it is asked. */
    static final class Frozen extends ForwardingBackend {
        final AtomicInteger opens = new AtomicInteger();
        final List<StorageHint> hints = new ArrayList<>();
        final List<ThawTier> thaws = new ArrayList<>();

        Frozen() {
            super(new MemoryBackend("frozen"));
        }

        @Override
        public void save(Handle handle, Source source) throws IOException {
            hints.add(source.storageHint());
            super.save(handle, source);
        }

        @Override
        public InputStream open(Handle handle, long offset, long length) throws IOException {
            opens.incrementAndGet();
            throw new ColdStorageException("frozen: " + handle, handle.toString(), "GLACIER");
        }

        @Override
        public boolean mayHoldColdFiles() {
            return true;
        }

        @Override
        public ColdState coldState(Handle handle) {
            return new ColdState(ColdState.Status.COLD, "GLACIER", null);
        }

        @Override
        public boolean requestThaw(Handle handle, int days, ThawTier tier) {
            thaws.add(tier);
            return true;
        }
    }

    @Test
    void aColdReadIsNotRetried() {
        Frozen frozen = new Frozen();
        RetryingBackend retrying = new RetryingBackend(frozen, new RetryingBackend.Policy(5, Duration.ZERO,
                Duration.ZERO, 1.0), d -> { }, new Random(1));
        assertThatThrownBy(() -> retrying.load(PACK)).isInstanceOf(ColdStorageException.class);
        assertThat(frozen.opens).hasValue(1);
    }

    @Test
    void hintsAndColdCallsPassThroughTheWrappers() throws IOException {
        Frozen frozen = new Frozen();
        var wrapped = RetryingBackend.wrap(RateLimitedBackend.wrap(frozen, 1_000_000, 1_000_000));
        wrapped.save(PACK, Source.of(new byte[10]).withStorageHint(StorageHint.MAY_BE_COLD));
        wrapped.save(new Handle(FileType.INDEX, "cd".repeat(32)), Source.of(new byte[10]));
        assertThat(frozen.hints).containsExactly(StorageHint.MAY_BE_COLD, StorageHint.HOT);
        assertThat(wrapped.mayHoldColdFiles()).isTrue();
        assertThat(wrapped.coldState(PACK).status()).isEqualTo(ColdState.Status.COLD);
        assertThat(wrapped.requestThaw(PACK, 3, ThawTier.BULK)).isTrue();
        assertThat(frozen.thaws).containsExactly(ThawTier.BULK);
        assertThat(new MemoryBackend("hot").coldState(PACK)).isEqualTo(ColdState.HOT);
        assertThat(new MemoryBackend("hot").mayHoldColdFiles()).isFalse();
    }
}
