package triplicate.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import triplicate.chunker.Chunker;
import triplicate.chunker.ChunkerParams;

/**
 * Throughput of {@link Chunker#cut}: one invocation chunks 64 MiB of random data, and is counted as 64 operations,
 * so the score in ops/s is MiB/s of input (multiply by 1.048576 for MB/s).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ChunkerBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 *
 * {@code params}: {@code defaults} are {@link ChunkerParams#defaults}, whose minimum-size skip leaves part of each chunk
 * unhashed; {@code min64} keeps the average and maximum but hashes almost every byte (minSize 64), which shows the
 * speed of the gear-hash loop itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkerBenchmark {

    private static final int MIB = 1 << 20;
    private static final int SIZE_MIB = 64;

    @Param({"defaults", "min64"})
    public String params;

    private byte[] data;
    private Chunker chunker;

    @Setup(Level.Trial)
    public void setUp() {
        data = new byte[SIZE_MIB * MIB];
        new SplittableRandom(42).nextBytes(data);
        ChunkerParams d = ChunkerParams.defaults(0x5eedL);
        chunker = new Chunker(switch (params) {
            case "defaults" -> d;
            case "min64" -> new ChunkerParams(64, d.avgSize(), d.maxSize(), d.seed());
            default -> throw new IllegalArgumentException(params);
        });
    }

    /** Chunks the 64 MiB; returns the number of chunks so that nothing is optimised away. */
    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public int cut() {
        byte[] d = data;
        Chunker c = chunker;
        int chunks = 0;
        for (int off = 0; off < d.length; chunks++) {
            off += c.cut(d, off, d.length - off, true);
        }
        return chunks;
    }
}
