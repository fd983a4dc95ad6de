package triplicate.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a test folder, for conditions a normal folder cannot produce: a full disk, a read-only
 * file system. Mounting needs Linux and root; {@link #mount} says why it could not, so tests skip visibly.
 */
final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code "1m"}) on the existing folder {@code dir}. */
    static TmpfsMount mount(Path dir, String size) throws CannotMount {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new CannotMount("tmpfs mounts need Linux");
        }
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()));
        return new TmpfsMount(dir);
    }

    /** Makes the mounted file system read-only. */
    void remountReadOnly() throws CannotMount {
        run(List.of("mount", "-o", "remount,ro", dir.toString()));
    }

    @Override
    public void close() throws CannotMount {
        try {
            run(List.of("umount", dir.toString()));
        } catch (CannotMount e) {
            run(List.of("umount", "-l", dir.toString())); // busy: detach now, free when the last file closes
        }
    }

    private static void run(List<String> command) throws CannotMount {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CannotMount(String.join(" ", command) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new CannotMount(String.join(" ", command) + " failed (needs root): " + output);
            }
        } catch (IOException e) {
            throw new CannotMount(String.join(" ", command) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotMount("interrupted");
        }
    }

    /** Why a mount was not possible here. */
    static final class CannotMount extends Exception {
        CannotMount(String message) {
            super(message);
        }
    }
}
