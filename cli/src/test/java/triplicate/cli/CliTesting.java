package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Helpers for tests that run the command line in this JVM or in a separate one, on random source trees. */
final class CliTesting {
    private CliTesting() {
    }

    /** What an in-process run printed, and its exit code. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** Runs the command line in this JVM ({@link Main#run}). */
    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Starts the command line in a separate JVM (this JVM's java and class path, 256 MiB heap), with {@code env}
     * added to the environment and both output streams going to {@code output}.
     */
    static Process start(Map<String, String> env, Path output, String... args) throws IOException {
        // C1 only: these runs are short, and a quarter of the CPU time goes to the JIT otherwise
        return start(env, output, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args);
    }

    /** As {@link #start(Map, Path, String...)} with these JVM options. */
    static Process start(Map<String, String> env, Path output, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        return pb.start();
    }

    /**
     * The heap the {@code triplicate} launcher gives the CLI ({@code -Xmx...} in the script at the project's root),
     * so tests can hold the CLI to the memory its users run it with.
     */
    static String launcherHeap() throws IOException {
        String script = Files.readString(Path.of("..", "triplicate"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Xmx[0-9]+[mMgG]").matcher(script);
        if (!m.find()) {
            throw new AssertionError("no -Xmx in the launcher script");
        }
        return m.group();
    }

    /**
     * Backs up {@code library} and restores it into {@code tmp/out}, each through a child JVM with the launcher's
     * heap ({@link #launcherHeap}) and the parallel collector, and checks that both succeed (handing each one's
     * output, stdout and stderr, to {@code output} as well) and that the restore is identical.
     */
    static void backupAndRestoreInLaunchersHeap(Map<String, String> env, Path library, Path tmp,
                                                java.util.function.Consumer<String> output)
            throws IOException, InterruptedException {
        List<String> launcherJvm = List.of(launcherHeap(), "-XX:+UseParallelGC");
        for (String[] args : List.of(new String[] {"backup", library.toString()},
                new String[] {"restore", "latest", "--target", tmp.resolve("out").toString()})) {
            Path printed = tmp.resolve(args[0] + ".out");
            Process p = start(env, printed, launcherJvm, args);
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as("%s with %s:%n%s", args[0], launcherJvm, Files.readString(printed))
                    .isEqualTo(ExitCodes.OK);
            output.accept(Files.readString(printed));
        }
        assertThat(TestFiles.content(tmp.resolve("out/library"))).isEqualTo(TestFiles.content(library));
    }

    /**
     * Writes about {@code totalBytes} of random content under {@code root}: files of varied sizes (a few KiB to a
     * few MiB) in several folders. Returns the bytes written.
     */
    static long writeRandomTree(Path root, Random random, long totalBytes) throws IOException {
        long written = 0;
        for (int i = 0; written < totalBytes; i++) {
            int size = switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> 1 + random.nextInt(64 * 1024);
                case 4, 5, 6, 7 -> 256 * 1024 + random.nextInt(768 * 1024);
                default -> 1536 * 1024 + random.nextInt(2560 * 1024);
            };
            size = (int) Math.min(size, totalBytes - written);
            Path f = root.resolve(String.format("shoot-%02d", i % 7)).resolve(String.format("IMG_%04d.CR3", i));
            writeRandomFile(f, random, size);
            written += size;
        }
        return written;
    }

    static void writeRandomFile(Path f, Random random, int size) throws IOException {
        Files.createDirectories(f.getParent());
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(f, b);
    }

    /**
     * Changes the source as a photographer would between backups: adds one or two photos, rewrites part of one
     * (same size), sometimes deletes one. Returns an upper estimate of the new content a backup has to store.
     */
    static long modify(Path source, Random random) throws IOException {
        List<Path> files = filesUnder(source);
        files.sort(null);
        long added = 0;
        int newFiles = 1 + random.nextInt(2);
        for (int i = 0; i < newFiles; i++) {
            int size = 64 * 1024 + random.nextInt(1024 * 1024);
            Path dir = files.get(random.nextInt(files.size())).getParent();
            writeRandomFile(dir.resolve(String.format("NEW_%016x.JPG", random.nextLong())), random, size);
            added += size;
        }
        Path changed = files.get(random.nextInt(files.size()));
        long size = Files.size(changed);
        int region = (int) Math.min(size, 4096 + random.nextInt(32 * 1024));
        byte[] patch = new byte[region];
        random.nextBytes(patch);
        try (RandomAccessFile raf = new RandomAccessFile(changed.toFile(), "rw")) {
            raf.seek(random.nextLong(size - region + 1));
            raf.write(patch);
        }
        added += region + 128 * 1024; // the chunks around the change are new too
        if (random.nextBoolean()) {
            Path gone = files.get(random.nextInt(files.size()));
            if (!gone.equals(changed)) {
                Files.delete(gone);
            }
        }
        return added;
    }

    /** Every regular file under {@code dir} (none if it does not exist); tolerates files vanishing meanwhile. */
    static List<Path> filesUnder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        collect(dir, out);
        return out;
    }

    private static void collect(Path dir, List<Path> out) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    collect(p, out);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            // not there (yet, or any more)
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Relative path → SHA-256 of every file under {@code root}. */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path p : filesUnder(root)) {
            out.put(root.relativize(p).toString(), sha256(p));
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
