package triplicate.backend.testkit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;

/**
 * A backend whose stored files look damaged when read, as after bit rot, a bad disk or a buggy copy tool, so
 * integrity checks are shown to catch it. Files that {@code matching} accepts are damaged on every read; the damage
 * is a function of the seed and the handle, so every read (and every range read) of a file sees the same damage,
 * and a failing test reproduces. Saves pass through untouched.
 *
 * <p>{@link #damageInPlace} damages one stored file of any backend for good instead.
 */
public final class CorruptingBackend extends ForwardingBackend {

    /** What happens to a damaged file. */
    public enum Damage {
        /** One bit of one byte is flipped; the size is unchanged. Empty files cannot be flipped and read intact. */
        FLIP_BIT,
        /** The file loses its second half ({@link #stat} and {@link #list} report the shorter size). */
        TRUNCATE
    }

    private final Predicate<Handle> matching;
    private final Damage damage;
    private final long seed;

    /** Damages reads of the files of {@code inner} that {@code matching} accepts; owns {@code inner}. */
    public CorruptingBackend(Backend inner, Predicate<Handle> matching, Damage damage, long seed) {
        super(inner);
        this.matching = matching;
        this.damage = damage;
        this.seed = seed;
    }

    /**
     * Damages the stored file {@code handle} of {@code backend} for good (by removing it and saving the damaged
     * bytes), chosen by {@code seed}. Returns the offset of the first damaged byte: the flipped byte, or the new
     * length after truncation.
     */
    public static long damageInPlace(Backend backend, Handle handle, Damage damage, long seed) throws IOException {
        byte[] bytes = backend.load(handle);
        if (damage == Damage.FLIP_BIT && bytes.length == 0) {
            throw new IllegalArgumentException("an empty file has no bit to flip: " + handle);
        }
        Spot spot = spot(seed, handle, bytes.length, damage);
        byte[] damaged = switch (damage) {
            case FLIP_BIT -> {
                byte[] copy = bytes.clone();
                copy[(int) spot.offset] ^= spot.mask;
                yield copy;
            }
            case TRUNCATE -> Arrays.copyOf(bytes, (int) spot.offset);
        };
        backend.remove(handle);
        backend.save(handle, Source.of(damaged));
        return spot.offset;
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        if (!matching.test(handle)) {
            return inner.open(handle, offset, length);
        }
        long size = inner.stat(handle).size();
        Spot spot = spot(seed, handle, size, damage);
        return switch (damage) {
            case FLIP_BIT -> size == 0 ? inner.open(handle, offset, length)
                    : new FlippingStream(inner.open(handle, offset, length), offset, spot);
            case TRUNCATE -> {
                long available = Math.max(0, spot.offset - Math.min(offset, spot.offset));
                yield inner.open(handle, offset, length < 0 ? available : Math.min(length, available));
            }
        };
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        FileInfo info = inner.stat(handle);
        return matching.test(handle) ? damaged(handle, info) : info;
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        List<FileInfo> result = new ArrayList<>();
        for (FileInfo info : inner.list(type)) {
            Handle handle = new Handle(type, info.name());
            result.add(matching.test(handle) ? damaged(handle, info) : info);
        }
        return result;
    }

    @Override
    public String toString() {
        return "corrupting " + inner;
    }

    private FileInfo damaged(Handle handle, FileInfo info) {
        return damage == Damage.TRUNCATE ? new FileInfo(info.name(), spot(seed, handle, info.size(), damage).offset) : info;
    }

    /** Where a file is damaged: for FLIP_BIT the byte and its bit mask, for TRUNCATE the new length. */
    private record Spot(long offset, byte mask) {
    }

    private static Spot spot(long seed, Handle handle, long size, Damage damage) {
        // reproducible across runs: derived from the name and type, not from identity hash codes
        SplittableRandom random = new SplittableRandom(seed * 31 + handle.type().ordinal() * 1_000_003L + handle.name().hashCode());
        return switch (damage) {
            case FLIP_BIT -> new Spot(size == 0 ? 0 : random.nextLong(size), (byte) (1 << random.nextInt(8)));
            case TRUNCATE -> new Spot(size / 2, (byte) 0);
        };
    }

    /** Passes a range of a file through, flipping the damaged bit when it goes by. */
    private static final class FlippingStream extends FilterInputStream {
        private final Spot spot;
        private long position;

        FlippingStream(InputStream in, long offset, Spot spot) {
            super(in);
            this.position = offset;
            this.spot = spot;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                if (position == spot.offset) {
                    b = (b ^ spot.mask) & 0xff;
                }
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                if (spot.offset >= position && spot.offset < position + n) {
                    b[off + (int) (spot.offset - position)] ^= spot.mask;
                }
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            position += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
