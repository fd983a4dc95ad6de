package triplicate.bench;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import triplicate.crypto.KdfParams;
import triplicate.crypto.KeyFiles;
import triplicate.crypto.MasterKey;
import triplicate.crypto.Password;

/**
 * How long unlocking a vault takes: {@link KeyFiles#unwrap} of a key file written with {@link KdfParams#defaults()}
 * (Argon2id, 64 MiB, t = 3, p = 1). Run:
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar KeyFileBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KeyFileBenchmark {
    private static final char[] PASSWORD = "benchmark password".toCharArray();
    private byte[] keyFile;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        try (MasterKey key = MasterKey.generate(random); Password password = Password.of(PASSWORD.clone())) {
            keyFile = KeyFiles.wrap(key, password, KdfParams.defaults(), random, Instant.EPOCH, null, null);
        }
    }

    @Benchmark
    public boolean unwrapDefaults() {
        try (Password password = Password.of(PASSWORD.clone()); MasterKey key = KeyFiles.unwrap(keyFile, password)) {
            return key.isDestroyed();
        }
    }
}
