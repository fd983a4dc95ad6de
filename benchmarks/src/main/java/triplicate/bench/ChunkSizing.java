package triplicate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import triplicate.chunker.Chunker;
import triplicate.chunker.ChunkerParams;
import triplicate.chunker.FileChunker;
import triplicate.chunker.PhotoBoundaries;

/**
 * Measures chunk parameter sets on a photo library: how many chunks the library makes (index size grows with it) and
 * how many new bytes a later state of the library stores on top of it (dedup after edits).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar triplicate.bench.ChunkSizing BASE_DIR CHANGED_DIR
 * </pre>
 *
 * For each parameter set (avg 128 KiB … 4 MiB, min = avg/2, max = 8 × avg), with and without
 * {@link PhotoBoundaries} cuts, and for whole-file dedup as a reference, prints a Markdown table row: chunks and mean
 * chunk size of BASE_DIR; then, after storing BASE_DIR, the new chunks and new bytes for CHANGED_DIR, split into files
 * whose relative path exists in BASE_DIR (edited in place) and the others (new, renamed).
 * Chunks are identified by SHA-256 (a keyed hash in a vault; the dedup is the same).
 */
public final class ChunkSizing {

    private static final long SEED = 0x5eedL;
    private static final int[] AVG_SIZES = {128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20};

    private ChunkSizing() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ChunkSizing BASE_DIR CHANGED_DIR");
            System.exit(2);
        }
        Path base = Path.of(args[0]);
        Path changed = Path.of(args[1]);
        List<Path> baseFiles = files(base);
        List<Path> changedFiles = files(changed);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "base: %s (%d files, %s); changed: %s (%d files, %s)%n%n", base, baseFiles.size(),
                mb(bytes(base, baseFiles)), changed, changedFiles.size(), mb(bytes(changed, changedFiles)));
        out.println("| min / avg / max | photo cuts | base chunks | mean chunk | chunks per TiB | new chunks "
                + "| new bytes | of which in edited files | in new files | s |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        run(out, "whole files", null, false, base, baseFiles, changed, changedFiles);
        for (int avg : AVG_SIZES) {
            ChunkerParams p = new ChunkerParams(avg / 2, avg, 8 * avg, SEED);
            String label = size(p.minSize()) + " / " + size(p.avgSize()) + " / " + size(p.maxSize());
            for (boolean cuts : new boolean[] {true, false}) {
                run(out, label, new Chunker(p), cuts, base, baseFiles, changed, changedFiles);
            }
        }
    }

    private static void run(PrintStream out, String label, Chunker chunker, boolean photoCuts,
            Path base, List<Path> baseFiles, Path changed, List<Path> changedFiles) throws IOException {
        long start = System.nanoTime();
        Set<Digest> stored = new HashSet<>();
        Stats b = new Stats();
        for (Path rel : baseFiles) {
            chunkFile(base.resolve(rel), chunker, photoCuts, stored, b, false);
        }
        Stats c = new Stats();
        Set<Path> basePaths = new HashSet<>(baseFiles);
        for (Path rel : changedFiles) {
            chunkFile(changed.resolve(rel), chunker, photoCuts, stored, c, basePaths.contains(rel));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "| %s | %s | %d | %s | %,d | %d | %s | %s | %s | %.0f |%n",
                label, chunker == null ? "–" : photoCuts ? "yes" : "no",
                b.chunks, kib((double) b.bytes / b.chunks), Math.round(b.chunks * (double) (1L << 40) / b.bytes),
                c.newChunks, mb(c.newBytes), mb(c.newBytesInEdited), mb(c.newBytes - c.newBytesInEdited), seconds);
        out.flush();
    }

    private static final class Stats {
        long chunks;
        long bytes;
        long newChunks;
        long newBytes;
        long newBytesInEdited;

        void add(byte[] digest, long length, Set<Digest> stored, boolean edited) {
            chunks++;
            bytes += length;
            if (stored.add(new Digest(digest))) {
                newChunks++;
                newBytes += length;
                if (edited) {
                    newBytesInEdited += length;
                }
            }
        }
    }

    private static void chunkFile(Path file, Chunker chunker, boolean photoCuts, Set<Digest> stored, Stats s,
            boolean edited) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (chunker == null) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                while (ch.read(buf.clear()) >= 0) {
                    sha.update(buf.flip());
                }
                s.add(sha.digest(), size, stored, edited);
                return;
            }
            long[] cuts = photoCuts ? PhotoBoundaries.cuts(ch, size) : new long[0];
            ch.position(0);
            try (FileChunker fc = new FileChunker(chunker, ch, cuts)) {
                for (byte[] chunk; (chunk = fc.next()) != null; ) {
                    s.add(sha.digest(chunk), chunk.length, stored, edited);
                }
            }
        }
    }

    /** A SHA-256 digest as a set element. */
    private record Digest(long a, long b, long c, long d) {
        Digest(byte[] h) {
            this(ByteBuffer.wrap(h).getLong(0), ByteBuffer.wrap(h).getLong(8), ByteBuffer.wrap(h).getLong(16),
                    ByteBuffer.wrap(h).getLong(24));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).map(root::relativize).sorted().forEach(out::add);
        }
        return out;
    }

    private static long bytes(Path root, List<Path> files) throws IOException {
        long n = 0;
        for (Path f : files) {
            n += Files.size(root.resolve(f));
        }
        return n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%,.0f KiB", bytes / 1024);
    }

    private static String mb(long bytes) {
        return bytes < 1_000_000
                ? String.format(Locale.ROOT, "%,.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }
}
