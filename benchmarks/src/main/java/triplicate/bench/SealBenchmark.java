package triplicate.bench;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.crypto.MasterKey;
import triplicate.crypto.Sealer;

/**
 * Throughput of the per-blob crypto: the blob id (HMAC-SHA-256), sealing (AES-256-GCM), both, as the backup
 * pipeline does them for each chunk, and opening, as restore does. Scores are operations per second; for the 1 MiB chunk that is MiB/s.
 * {@code sealCachedCipher} seals with one {@link Cipher} reused across calls: the gap to {@code seal} is what the
 * {@link Sealer}'s new cipher per call costs. Run:
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar SealBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SealBenchmark {
    @Param({"1048576", "4096"})
    int size;

    private MasterKey key;
    private Sealer sealer;
    private IdHasher hasher;
    private byte[] chunk;
    private byte[] out;
    private byte[] sealed;
    private byte[] aad;
    private Cipher cachedCipher;
    private SecretKeySpec cachedKey;
    private byte[] nonce;
    private SecureRandom random;

    @Setup(Level.Trial)
    public void setUp() {
        random = new SecureRandom();
        key = MasterKey.generate(random);
        sealer = key.sealer();
        hasher = key.newIdHasher();
        chunk = new byte[size];
        new SplittableRandom(1).nextBytes(chunk); // random bytes: like compressed photo data
        out = new byte[size + Sealer.OVERHEAD];
        aad = new byte[Id.LENGTH + 1];
        sealed = sealer.seal(chunk, 0, chunk.length, aad);
        nonce = new byte[12];
        byte[] raw = key.toBytes();
        cachedKey = new SecretKeySpec(raw, 0, 32, "AES");
        try {
            cachedCipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        key.close();
    }

    @Benchmark
    public Id idHash() {
        return hasher.id(chunk, 0, chunk.length);
    }

    @Benchmark
    public byte[] seal() {
        sealer.seal(chunk, 0, chunk.length, aad, out, 0);
        return out;
    }

    @Benchmark
    public byte[] sealNewArray() {
        return sealer.seal(chunk, 0, chunk.length, aad);
    }

    /** What restore and check do per blob. */
    @Benchmark
    public byte[] open() {
        return sealer.open(sealed, 0, sealed.length, aad);
    }

    /** What the backup does per chunk: compute the id, then seal with the id in the associated data. */
    @Benchmark
    public byte[] idHashAndSeal() {
        Id id = hasher.id(chunk, 0, chunk.length);
        id.writeTo(aad, 0);
        sealer.seal(chunk, 0, chunk.length, aad, out, 0);
        return out;
    }

    /** Baseline: one cipher reused for every call (a new nonce each time, as GCM requires). */
    @Benchmark
    public byte[] sealCachedCipher() throws Exception {
        random.nextBytes(nonce);
        cachedCipher.init(Cipher.ENCRYPT_MODE, cachedKey, new GCMParameterSpec(128, nonce));
        cachedCipher.updateAAD(aad);
        cachedCipher.doFinal(chunk, 0, chunk.length, out, 12);
        return out;
    }
}
