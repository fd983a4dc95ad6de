package triplicate.backend.rclone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running {@code rclone rcd}: its remote control server on a loopback port, reachable only with a user name and a
 * random password made for this process alone. The password reaches rclone through its environment
 * ({@code RCLONE_RC_PASS}), which other users cannot read, never through the command line, which they can
 * ({@code ps}). Everything rclone prints is read as it comes (so it never blocks on a full pipe) and its last lines are
 * kept for error messages.
 *
 * <p>A process that the JVM leaves behind is stopped by a shutdown hook; {@link #close} stops it at once (SIGTERM,
 * then SIGKILL after {@value #STOP_GRACE_SECONDS} s) and removes the hook.
 */
final class RcloneProcess implements AutoCloseable {
    static final String USER = "triplicate";
    private static final int STOP_GRACE_SECONDS = 5;
    private static final int TAIL = 30;
    private static final int LINE_LIMIT = 400;
    private static final Pattern SERVING = Pattern.compile("Serving remote control on \\[?(https?://[^\\s\\]\"]+)");

    private final Process process;
    private final URI base;
    private final String password;
    private final String authorization;
    private final ArrayDeque<String> tail;
    private final Thread hook;

    private RcloneProcess(Process process, URI base, String password, ArrayDeque<String> tail, Thread hook) {
        this.process = process;
        this.base = base;
        this.password = password;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.tail = tail;
        this.hook = hook;
    }

    /**
     * Starts rclone and waits until its server listens (rclone needs a fraction of a second); fails with rclone's
     * last words if it exits first or does not listen within {@code patience}.
     */
    static RcloneProcess start(RcloneLauncher launcher, SecureRandom random, Duration patience) throws IOException {
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        ProcessBuilder pb = new ProcessBuilder(launcher.command());
        pb.environment().clear();
        pb.environment().putAll(launcher.environment());
        pb.environment().put("RCLONE_RC_USER", USER);
        pb.environment().put("RCLONE_RC_PASS", password);
        pb.redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + launcher.program() + " (" + e.getMessage() + "); install rclone"
                    + " (https://rclone.org/install/) or set " + RcloneLauncher.PROGRAM_VARIABLE + " to its path", e);
        }
        Thread hook = new Thread(process::destroyForcibly, "stop-rclone-" + process.pid());
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            process.destroyForcibly(); // the JVM is shutting down
            throw new IOException("the JVM is shutting down; rclone was not started");
        }
        try {
            process.getOutputStream().close(); // rclone reads nothing: a prompt gets end-of-file, never hangs
        } catch (IOException e) {
            // it has exited already; the reader below reports why
        }
        ArrayDeque<String> tail = new ArrayDeque<>();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> read(process, tail, listening, launcher.log()), "rclone-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        URI base;
        try {
            base = listening.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stop(process, hook);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting rclone");
        } catch (ExecutionException | TimeoutException e) {
            boolean exited = !process.isAlive() || e instanceof ExecutionException;
            stop(process, hook);
            waitQuietly(reader);
            RcloneProcess failed = new RcloneProcess(process, null, password, tail, hook);
            throw new StartFailure((exited ? "rclone exited at once (" + failed.exitDescription() + ")"
                    : "rclone did not start its server within " + patience.toSeconds() + " s")
                    + failed.lastWords());
        }
        return new RcloneProcess(process, base, password, tail, hook);
    }

    private static void read(Process process, ArrayDeque<String> tail, CompletableFuture<URI> listening, Path log) {
        Writer copy = null;
        if (log != null) {
            try {
                copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                keep(tail, "(cannot write " + RcloneLauncher.LOG_VARIABLE + "=" + log + ": " + e.getMessage() + ")");
            }
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!listening.isDone()) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        String url = m.group(1);
                        listening.complete(URI.create(url.endsWith("/") ? url : url + "/"));
                    }
                }
                keep(tail, line);
                if (copy != null) {
                    try {
                        copy.write(line);
                        copy.write(System.lineSeparator());
                        copy.flush();
                    } catch (IOException e) {
                        copy = null; // a full disk must not stop rclone: its output is still read
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone; what it printed so far is kept
        } finally {
            listening.completeExceptionally(new IOException("rclone closed its output"));
            if (copy != null) {
                try {
                    copy.close();
                } catch (IOException e) {
                    // nothing more to write
                }
            }
        }
    }

    private static void keep(ArrayDeque<String> tail, String line) {
        synchronized (tail) {
            tail.addLast(line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "…" : line);
            if (tail.size() > TAIL) {
                tail.removeFirst();
            }
        }
    }

    /** The server's base URL, {@code http://127.0.0.1:PORT/}. */
    URI base() {
        return base;
    }

    /** The {@code Authorization} header's value for this server. */
    String authorization() {
        return authorization;
    }

    /** The password of this server (for masking; it is never shown). */
    String password() {
        return password;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits briefly for the process to end: a broken connection is often the first sign of its exit. */
    boolean exitedWithin(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** How the process ended, e.g. {@code "exit code 1"} or {@code "killed by signal 9"}. */
    String exitDescription() {
        if (process.isAlive()) {
            return "still running";
        }
        int code = process.exitValue();
        return code > 128 && code < 160 && !System.getProperty("os.name", "").startsWith("Windows")
                ? "killed by signal " + (code - 128) : "exit code " + code;
    }

    /**
     * {@code "; its last lines: …"} with up to 5 of the lines rclone printed last (dates dropped), or an empty
     * string. Lines that may carry a credential (HTTP headers from rclone's {@code --dump} options) are left out.
     */
    String lastWords() {
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        List<String> shown = new java.util.ArrayList<>();
        for (int i = Math.max(0, lines.size() - 5); i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d ", "");
            String lower = line.toLowerCase(Locale.ROOT);
            if (SERVING.matcher(line).find()) {
                continue; // the start, which every process has
            }
            if (lower.contains("authorization") || lower.contains("bearer ") || lower.contains("cookie")) {
                shown.add("(a line that may hold a credential, not shown)");
            } else if (!line.isBlank()) {
                shown.add(line.strip());
            }
        }
        return shown.isEmpty() ? "" : "; its last lines: " + String.join(" | ", shown);
    }

    /** Kills the process at once (SIGKILL), for one that no longer answers, and waits a little for it to be gone. */
    void kill() {
        process.destroyForcibly();
        exitedWithin(Duration.ofSeconds(STOP_GRACE_SECONDS));
    }

    /** Stops the process: SIGTERM, then SIGKILL if it has not exited within a few seconds. */
    @Override
    public void close() {
        stop(process, hook);
    }

    private static void stop(Process process, Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void waitQuietly(Thread reader) {
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** rclone could not be started: the message holds its last words. */
    static final class StartFailure extends IOException {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }
}
