package triplicate.backend.rclone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.backend.BulkInputStream;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;

/**
 * Talks to the rclone process of one backend over rclone's remote control API (JSON over HTTP on loopback, with the
 * process's own password), and keeps that process running: it is started on first use, and started again by the next
 * request after it died or was killed for hanging. Each start is checked with {@code operations/fsinfo} on the
 * remote, so that a remote missing from rclone's config file fails at once with a message that says so.
 *
 * <p>Failures of the connection to rclone are {@link TransientBackendException}s that say what happened to the process
 * (its exit status and last lines when it died). A request that gets no answer within the location's timeout leads to
 * a ping; a process that does not answer that either hangs, and is killed so that the next request starts a new one.
 * Thread-safe.
 */
final class RemoteControl implements AutoCloseable {
    /** How long rclone may take to start listening. */
    private static final Duration STARTUP = Duration.ofSeconds(30);
    /** The longest wait for a ping when a request timed out. */
    private static final Duration PING = Duration.ofSeconds(10);
    /** Uploads are given the timeout plus one second per this many bytes (64 KiB/s, a slow uplink). */
    private static final long SLOWEST_UPLOAD = 64 * 1024;
    private static final int ERROR_TEXT_LIMIT = 64 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    /** rclone's answer to a call: the HTTP status and the JSON body (an empty object if it had none). */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        /** The {@code error} rclone reported, or an empty string. */
        String error() {
            JsonNode e = body.get("error");
            return e == null || e.isNull() ? "" : e.asText();
        }
    }

    private final RcloneLocation location;
    private final RcloneLauncher launcher;
    private final RcloneFailures failures;
    private final SecureRandom random;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Object lock = new Object();
    /** The running process, or null before the first request; guarded by {@link #lock}. */
    private RcloneProcess current;
    private boolean closed;

    RemoteControl(RcloneLocation location, RcloneLauncher launcher, RcloneFailures failures, SecureRandom random) {
        this.location = location;
        this.launcher = launcher;
        this.failures = failures;
        this.random = random;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(null)) // loopback only; a configured HTTP proxy must not see this
                .build();
    }

    /** The running process, started (and checked against the remote) if there is none or it has died. */
    RcloneProcess process() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IOException(location.shown() + " is closed");
            }
            if (current != null && current.isAlive()) {
                return current;
            }
            boolean restart = current != null;
            if (current != null) {
                current.close();
                current = null;
            }
            RcloneProcess p;
            try {
                p = RcloneProcess.start(launcher, random, STARTUP);
            } catch (RcloneProcess.StartFailure e) {
                String message = location.shown() + ": " + failures.clean(e.getMessage());
                throw restart ? new TransientBackendException(message) : new IOException(message);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException(location.shown() + ": " + failures.clean(e.getMessage()));
            }
            failures.secret(p.password());
            try {
                probe(p);
            } catch (TransientBackendException e) {
                p.close();
                if (restart) {
                    throw e;
                }
                // at the first start, a failure to reach the remote is reported as it is, and not retried
                throw new IOException(p.exitedWithin(Duration.ZERO) ? failures.prefix("reach", "the remote")
                        + "rclone stopped (" + p.exitDescription() + ")" + failures.clean(p.lastWords())
                        : e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                p.close();
                throw e;
            }
            current = p;
            return p;
        }
    }

    /** Asks rclone about the remote, which makes it read its config for it and reach the service. */
    private void probe(RcloneProcess p) throws IOException {
        Reply reply = call(p, "operations/fsinfo", Map.of("fs", location.remote()), location.timeout(), "reach",
                "the remote");
        if (!reply.ok()) {
            throw failures.refused(reply.status(), reply.error(), "reach", "the remote");
        }
    }

    /** Calls {@code method} (e.g. {@code operations/stat}) with {@code params}; what and target are for messages. */
    Reply call(String method, Map<String, ?> params, String what, Object target) throws IOException {
        return call(process(), method, params, location.timeout(), what, target);
    }

    private Reply call(RcloneProcess p, String method, Map<String, ?> params, Duration timeout, String what,
                       Object target) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(p.base().resolve(method))
                .header("Authorization", p.authorization())
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(BodyPublishers.ofByteArray(json.writeValueAsBytes(params)))
                .build();
        return reply(send(p, request, BodyHandlers.ofByteArray(), timeout, what, target), what, target);
    }

    /**
     * Streams {@code length} bytes (all if negative) of {@code path} from {@code offset}; fails with
     * {@link NoSuchFileException} if there is no such file.
     */
    InputStream read(String path, long offset, long length, Object target) throws IOException {
        RcloneProcess p = process();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.base() + filePath(path)))
                .header("Authorization", p.authorization())
                .timeout(location.timeout())
                .GET();
        long end = length < 0 || offset > Long.MAX_VALUE - length ? -1 : offset + length - 1;
        if (offset > 0 || end >= 0) {
            b.header("Range", "bytes=" + offset + "-" + (end >= 0 ? end : ""));
        }
        HttpResponse<InputStream> r = send(p, b.build(), BodyHandlers.ofInputStream(), location.timeout(), "read",
                target);
        int status = r.statusCode();
        if (status == 200 || status == 206) {
            long expected = expectedLength(r);
            if (length >= 0 && (expected < 0 || expected > length)) {
                expected = expected < 0 ? -1 : length;
            }
            return new Body(r.body(), expected, length, p, target);
        }
        String error;
        try (InputStream in = r.body()) {
            error = errorText(in.readNBytes(ERROR_TEXT_LIMIT));
        } catch (IOException e) {
            throw lost(p, e, "read", target);
        }
        if (status == 416) {
            return InputStream.nullInputStream(); // past the end
        }
        if (RcloneFailures.notFound(status, error)) {
            throw new NoSuchFileException(location.shown() + ": " + target, null, "no such file");
        }
        throw failures.refused(status, error, "read", target);
    }

    /**
     * Uploads {@code source} as {@code folder/name} ({@code operations/uploadfile}), which rclone streams to the
     * remote; returns once the remote has it. A source that fails, or delivers more or fewer bytes than it announced,
     * throws a {@link SourceFailure}, which is not worth retrying.
     */
    void upload(String folder, String name, Source source, Object target) throws IOException {
        RcloneProcess p = process();
        byte[] id = new byte[12];
        random.nextBytes(id);
        String boundary = "triplicate-" + HexFormat.of().formatHex(id);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        AtomicReference<IOException> sourceFailure = new AtomicReference<>();
        BodyPublisher content = content(source, sourceFailure, target);
        Duration timeout = location.timeout().plusSeconds(source.length() / SLOWEST_UPLOAD);
        HttpRequest request = HttpRequest.newBuilder(p.base().resolve("operations/uploadfile?fs="
                        + query(location.remote()) + "&remote=" + query(folder)))
                .header("Authorization", p.authorization())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(timeout)
                .POST(BodyPublishers.concat(BodyPublishers.ofByteArray(head), content, BodyPublishers.ofByteArray(tail)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = send(p, request, BodyHandlers.ofByteArray(), timeout, "save", target);
        } catch (IOException e) {
            if (sourceFailure.get() != null) {
                throw sourceFailure.get();
            }
            throw e;
        }
        if (sourceFailure.get() != null) {
            throw sourceFailure.get();
        }
        Reply reply = reply(response, "save", target);
        if (!reply.ok()) {
            throw failures.refused(reply.status(), reply.error(), "save", target);
        }
    }

    /** The source's bytes, exactly {@link Source#length()} of them, or a recorded {@link SourceFailure}. */
    private BodyPublisher content(Source source, AtomicReference<IOException> failure, Object target)
            throws SourceFailure {
        long length = source.length();
        ByteBuffer buffer = source.bufferIfInMemory();
        if (buffer != null && buffer.hasArray()) {
            if (buffer.remaining() != length) {
                throw new SourceFailure(failures.prefix("save", target) + "the source holds " + buffer.remaining()
                        + " bytes, not the " + length + " it announced");
            }
            return BodyPublishers.ofByteArray(buffer.array(), buffer.arrayOffset() + buffer.position(), (int) length);
        }
        if (length == 0) {
            try (InputStream in = new ExactStream(source.open(), 0, failure, failures.prefix("save", target))) {
                in.read(new byte[1]); // fails if there is a byte
            } catch (SourceFailure e) {
                throw e;
            } catch (IOException e) {
                SourceFailure f = new SourceFailure(failures.prefix("save", target) + "cannot read the data to save ("
                        + e.getMessage() + ")");
                f.initCause(e);
                throw f;
            }
            return BodyPublishers.ofByteArray(new byte[0]);
        }
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> {
            try {
                return new ExactStream(source.open(), length, failure, failures.prefix("save", target));
            } catch (IOException e) {
                SourceFailure f = new SourceFailure(failures.prefix("save", target) + "cannot read the data to save ("
                        + e.getMessage() + ")");
                f.initCause(e);
                failure.compareAndSet(null, f);
                throw new java.io.UncheckedIOException(f);
            }
        }), length);
    }

    private <T> HttpResponse<T> send(RcloneProcess p, HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                     Duration timeout, String what, Object target) throws IOException {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw hung(p, timeout, what, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(failures.prefix(what, target) + "interrupted");
        } catch (IOException e) {
            throw lost(p, e, what, target);
        }
        if (response.statusCode() == 401) {
            if (response.body() instanceof InputStream in) {
                in.close();
            }
            // not our rclone: it died and another program took its port
            throw new TransientBackendException(failures.prefix(what, target) + "rclone's port answers, but not to"
                    + " this process's password (" + (p.isAlive() ? "is another program using it?" : "rclone stopped ("
                    + p.exitDescription() + ")") + ")");
        }
        return response;
    }

    private Reply reply(HttpResponse<byte[]> response, String what, Object target) throws IOException {
        int status = response.statusCode();
        byte[] body = response.body();
        JsonNode node;
        try {
            node = body.length == 0 ? JsonNodeFactory.instance.objectNode() : json.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            if (status == 200) {
                throw new TransientBackendException(failures.prefix(what, target) + "rclone's answer is not the JSON"
                        + " object expected");
            }
            node = JsonNodeFactory.instance.objectNode().put("error", errorText(body));
        }
        return new Reply(status, node);
    }

    /** For a connection to rclone that failed: what became of the process, as a transient failure. */
    TransientBackendException lost(RcloneProcess p, IOException e, String what, Object target) {
        String prefix = failures.prefix(what, target);
        if (p.exitedWithin(Duration.ofMillis(300))) {
            return new TransientBackendException(prefix + "rclone stopped unexpectedly (" + p.exitDescription() + ")"
                    + failures.clean(p.lastWords()) + "; it is started again for the next request", e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TransientBackendException(prefix + "the connection to rclone failed (" + failures.clean(detail)
                + ")", e);
    }

    /** For a request without an answer in time: retried if rclone still answers a ping, else rclone is killed. */
    private TransientBackendException hung(RcloneProcess p, Duration timeout, String what, Object target) {
        String prefix = failures.prefix(what, target);
        if (!p.isAlive()) {
            return new TransientBackendException(prefix + "rclone stopped unexpectedly (" + p.exitDescription() + ")"
                    + failures.clean(p.lastWords()) + "; it is started again for the next request");
        }
        Duration ping = timeout.compareTo(PING) < 0 ? timeout : PING;
        if (answers(p, ping)) {
            return new TransientBackendException(prefix + "no answer from rclone within " + timeout.toSeconds()
                    + " s (the remote may be slow; the location's ?timeout=SECONDS sets the patience)");
        }
        p.kill();
        return new TransientBackendException(prefix + "rclone hangs: no answer within " + timeout.toSeconds()
                + " s, and none to a ping either; it was killed and is started again for the next request"
                + failures.clean(p.lastWords()));
    }

    private boolean answers(RcloneProcess p, Duration patience) {
        HttpRequest ping = HttpRequest.newBuilder(p.base().resolve("rc/noop"))
                .header("Authorization", p.authorization())
                .header("Content-Type", "application/json")
                .timeout(patience)
                .POST(BodyPublishers.ofString("{}"))
                .build();
        try {
            return http.send(ping, BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process; requests fail from now on. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                current.close();
                current = null;
            }
        }
        http.shutdownNow();
    }

    RcloneFailures failures() {
        return failures;
    }

    /** The running process's id, or -1 (for tests). */
    long pid() {
        synchronized (lock) {
            return current == null ? -1 : current.pid();
        }
    }

    /** The running process's password, or null (for tests, which check that it is never shown). */
    String password() {
        synchronized (lock) {
            return current == null ? null : current.password();
        }
    }

    /** {@code %5BREMOTE:PATH%5D/path}: how rclone's remote control serves a file of a remote. */
    private String filePath(String path) {
        return "%5B" + pathEncode(location.remote()) + "%5D/" + pathEncode(path);
    }

    /** Percent-encodes all but unreserved characters, '/' and ':'. */
    static String pathEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/' || c == ':') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String errorText(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = json.readTree(text);
            if (node != null && node.has("error")) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // plain text
        }
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    /** How many bytes a 200 or 206 answer announces, or -1 if it does not say. */
    private static long expectedLength(HttpResponse<?> r) {
        if (r.statusCode() == 206) {
            String range = r.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (m.matches()) {
                long first = Long.parseLong(m.group(1));
                long last = Long.parseLong(m.group(2));
                return last >= first ? last - first + 1 : 0; // rclone answers "bytes 30-21/22" past the end
            }
            return -1;
        }
        return r.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    /**
     * A download: counts what arrives, fails transiently if the stream ends before the announced length or breaks,
     * and reads no more than was asked for.
     */
    private final class Body extends BulkInputStream {
        private final InputStream in;
        private final long expected;
        private final RcloneProcess process;
        private final Object target;
        private long remaining;
        private long count;

        Body(InputStream in, long expected, long length, RcloneProcess process, Object target) {
            this.in = in;
            this.expected = expected;
            this.remaining = length < 0 ? Long.MAX_VALUE : length;
            this.process = process;
            this.target = target;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException e) {
                throw lost(process, e, "read", target);
            }
            if (n < 0) {
                if (expected >= 0 && count < expected) {
                    throw new TransientBackendException(failures.prefix("read", target) + "the download ended after "
                            + count + " of " + expected + " bytes"
                            + (process.isAlive() ? "" : " (rclone stopped: " + process.exitDescription() + ")"));
                }
                return -1;
            }
            count += n;
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The data to save, checked to be exactly as long as announced; failures are recorded as {@link SourceFailure}s. */
    private static final class ExactStream extends BulkInputStream {
        private final InputStream in;
        private final long length;
        private final AtomicReference<IOException> failure;
        private final String prefix;
        private long count;

        ExactStream(InputStream in, long length, AtomicReference<IOException> failure, String prefix) {
            this.in = in;
            this.length = length;
            this.failure = failure;
            this.prefix = prefix;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            try {
                if (count == length) {
                    if (in.read() >= 0) {
                        throw fail("the source holds more than the " + length + " bytes it announced");
                    }
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, length - count));
                if (n < 0) {
                    throw fail("the source ended after " + count + " of the " + length + " bytes it announced");
                }
                count += n;
                return n;
            } catch (SourceFailure e) {
                throw e;
            } catch (IOException e) {
                SourceFailure f = fail("reading the data to save failed (" + e.getMessage() + ")");
                f.initCause(e);
                throw f;
            }
        }

        private SourceFailure fail(String why) {
            SourceFailure f = new SourceFailure(prefix + why);
            failure.compareAndSet(null, f);
            return f;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The data to save could not be read as announced: a failure of the caller's source, never retried. */
    static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(String message) {
            super(message);
        }
    }
}
