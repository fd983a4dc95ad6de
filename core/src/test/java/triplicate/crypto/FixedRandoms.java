package triplicate.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic stand-ins for {@link SecureRandom}, so tests can reproduce sealed bytes. */
final class FixedRandoms {
    private FixedRandoms() {
    }

    /** A "secure" random that is a seeded {@link SplittableRandom}: the same seed gives the same bytes. */
    static SecureRandom seeded(long seed) {
        return new Seeded(seed);
    }

    /**
     * A random that hands out {@code script} in order and then fails: the fixture's salt, then its nonce. Fails if a
     * caller asks for more than the script holds.
     */
    static SecureRandom scripted(byte[]... script) {
        return new Scripted(script);
    }

    @SuppressWarnings("serial")
    private static final class Seeded extends SecureRandom {
        private final SplittableRandom random;

        Seeded(long seed) {
            super(new byte[0]);
            this.random = new SplittableRandom(seed);
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }
    }

    @SuppressWarnings("serial")
    private static final class Scripted extends SecureRandom {
        private final byte[][] script;
        private int next;

        Scripted(byte[][] script) {
            super(new byte[0]);
            this.script = script;
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (next == script.length) {
                throw new AssertionError("the scripted random ran out of bytes");
            }
            byte[] b = script[next++];
            if (b.length != bytes.length) {
                throw new AssertionError("asked for " + bytes.length + " random bytes, script has " + b.length);
            }
            System.arraycopy(b, 0, bytes, 0, b.length);
        }

        @Override
        public String toString() {
            return "Scripted" + Arrays.deepToString(script);
        }
    }
}
