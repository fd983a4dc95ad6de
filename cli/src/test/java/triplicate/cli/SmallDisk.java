package triplicate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test folder, for a disk that fills up. Mounting needs Linux and root; {@link #mount}
 * returns null and says why through {@code why} when it cannot, so tests skip visibly.
 */
final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "2m") on the existing empty folder {@code dir}, or returns the reason it cannot. */
    static Object mount(Path dir, String size) {
        return mountWith(dir, "size=" + size + ",mode=0700");
    }

    /** Mounts an empty read-only tmpfs on {@code dir} (a disk nobody, not even root, can write), or says why not. */
    static Object mountReadOnly(Path dir) {
        return mountWith(dir, "ro,size=1m,mode=0755");
    }

    private static Object mountWith(Path dir, String options) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "tmpfs mounts need Linux";
        }
        String failure = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        return failure == null ? new SmallDisk(dir) : failure;
    }

    @Override
    public void close() {
        if (run(List.of("umount", dir.toString())) != null) {
            run(List.of("umount", "-l", dir.toString())); // busy: detach now, freed when the last file closes
        }
    }

    /** Runs a command; null if it succeeded, else what went wrong. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + " failed (needs root): " + output;
        } catch (IOException e) {
            return String.join(" ", command) + " could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
