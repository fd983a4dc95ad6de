package triplicate.backend.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import triplicate.backend.Backend;
import triplicate.backend.BulkInputStream;
import triplicate.backend.ContentMd5;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.backend.ColdState;
import triplicate.core.ColdStorageException;
import triplicate.backend.ThawEstimate;
import triplicate.backend.ThawTier;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * A vault in an S3 bucket (AWS or any S3-compatible service), under a key prefix: {@code PREFIX/config},
 * {@code PREFIX/keys/NAME}, {@code PREFIX/data/NAME}, and so on for each {@link FileType}.
 *
 * <ul>
 *   <li><b>Write-once.</b> Uploads carry {@code If-None-Match: *}, so the service itself refuses to overwrite a file
 *       (412 becomes {@link FileAlreadyExistsException}). A service that answers 501 to that header is remembered,
 *       and from then on a HEAD before each upload does the check (with a small race window; see the docs), as it
 *       does when {@code conditional-writes=false}.</li>
 *   <li><b>Atomic.</b> An S3 object appears whole or not at all; a multipart upload becomes visible only when it is
 *       completed, and one that fails is aborted.</li>
 *   <li><b>Integrity.</b> Every upload and every part carries Content-MD5, which the service checks before storing.</li>
 *   <li><b>Multipart.</b> Files above {@code multipart-threshold} go up in parts of {@code part-size}, up to
 *       {@code connections} parts at once; each part is retried on its own (4 attempts with backoff and jitter)
 *       before the save gives up and the caller's retrying decorator retries the whole file.</li>
 *   <li><b>Errors.</b> Server errors, throttling, time-outs and broken connections are
 *       {@link TransientBackendException}s. The SDK retries nothing; a request whose pooled connection turns out
 *       closed is sent once more at once (an upload that then meets its own first attempt is done), and
 *       {@code RetryingBackend} retries the rest (see docs/backends/s3.md). Refusals (wrong key, wrong secret, clock skew, no bucket, no
 *       permission) are plain {@link IOException}s that name the bucket and the likely fix, never a credential.</li>
 * </ul>
 */
public final class S3Backend implements Backend {
    private static final int PART_ATTEMPTS = 4;
    private static final Duration PART_RETRY_DELAY = Duration.ofMillis(250);

    private final S3Config config;
    private final S3Client s3;
    private final S3Failures failures;
    private final ExecutorService partUploaders;
    private final Semaphore partsInFlight;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean conditionalWrites;

    /** A backend for {@code config}, with credentials from {@code env}. */
    static S3Backend open(S3Config config, Map<String, String> env) {
        return new S3Backend(config, env, List.of());
    }

    /** As {@link #open}, with SDK interceptors (tests count and break requests with them). */
    S3Backend(S3Config config, Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.failures = new S3Failures(config, S3Credentials.secrets(env));
        this.conditionalWrites = config.conditionalWrites();
        S3ClientBuilder b = S3Client.builder()
                .httpClient(ApacheHttpClient.builder()
                        .maxConnections(config.connections() * 2)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .region(Region.of(config.region()))
                .credentialsProvider(S3Credentials.provider(config, env))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.pathStyle())
                        // Expect: 100-continue only saves the body of an upload the service refuses, which is rare
                        // here; without it, an upload is one round trip less
                        .expectContinueEnabled(false)
                        .build())
                // Content-MD5 is sent with every upload; the newer checksum headers are refused by several
                // S3-compatible services, so they are sent only where an operation requires one
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> {
                    // RetryingBackend retries; an SDK retry inside one call would hide a lost answer from it (a
                    // retried upload that meets its own first attempt must count as done, not as a conflict)
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    o.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                            failures.reached();
                        }
                    });
                    interceptors.forEach(o::addExecutionInterceptor);
                });
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        } else {
            b.crossRegionAccessEnabled(true); // finds a bucket's region by itself when none was given
        }
        this.s3 = b.build();
        this.partUploaders = Executors.newFixedThreadPool(config.connections(), r -> {
            Thread t = new Thread(r, "triplicate-s3-part");
            t.setDaemon(true);
            return t;
        });
        this.partsInFlight = new Semaphore(config.connections());
    }

    /**
     * Runs a request that may be sent twice, and sends it again at once if its connection broke before any answer:
     * a pooled connection the server had closed meanwhile. Anything else is for {@code RetryingBackend}.
     */
    private static <T> T idempotent(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException | UncheckedIOException e) {
            if (!brokenConnection(e)) {
                throw e;
            }
            return request.get();
        }
    }

    /** A connection that broke (reset, closed, refused): not a time-out, a name or TLS failure, or an answer. */
    static boolean brokenConnection(Throwable t) {
        if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException) {
            return false;
        }
        boolean io = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException || c instanceof java.net.UnknownHostException
                    || c instanceof javax.net.ssl.SSLException || c instanceof InterruptedIOException
                    || c instanceof software.amazon.awssdk.core.exception.ApiCallTimeoutException
                    || c instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
                return false;
            }
            io |= c instanceof IOException;
        }
        return io;
    }

    /**
     * After an upload whose connection broke and whose second attempt found the file there: whether it is the first
     * attempt's (same size; names are content hashes, so same name and size is the same file).
     */
    private boolean ownedAfterLostAnswer(Handle handle, long length) throws IOException {
        try {
            return stat(handle).size() == length;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public String location() {
        return config.location();
    }

    @Override
    public int parallelism() {
        return config.connections();
    }

    S3Config config() {
        return config;
    }

    String key(Handle h) {
        return config.prefix() + (h.type() == FileType.CONFIG ? "config" : h.type().folder() + "/" + h.name());
    }

    // ------------------------------------------------------------------------------------------------ bucket

    /**
     * Makes sure the bucket exists, creating it if it does not (for {@code init}). Fails with a message naming the
     * bucket and the permission when the credentials may not create it.
     */
    void ensureBucket() throws IOException {
        try {
            idempotent(() -> s3.headBucket(r -> r.bucket(config.bucket())));
            return;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failures.map(e, "looking for the bucket", null);
            }
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "looking for the bucket", null);
        }
        try {
            s3.createBucket(r -> {
                r.bucket(config.bucket());
                if (config.isAws() && !config.region().equals("us-east-1")) {
                    r.createBucketConfiguration(c -> c.locationConstraint(
                            BucketLocationConstraint.fromValue(config.region())));
                }
            });
        } catch (S3Exception e) {
            String code = S3Failures.code(e);
            if (code.equals("BucketAlreadyOwnedByYou")) {
                return; // created meanwhile by us
            }
            if (code.equals("BucketAlreadyExists")) {
                throw new IOException(location() + ": the bucket \"" + config.bucket() + "\" belongs to another"
                        + " account (bucket names are global on " + config.endpointName() + "); choose another name");
            }
            if (e.statusCode() == 403) {
                throw new IOException(location() + ": the bucket \"" + config.bucket() + "\" does not exist at "
                        + config.endpointName() + ", and these credentials may not create it (permission"
                        + " s3:CreateBucket denied); create the bucket in the service's console, or use a key"
                        + " allowed to create buckets");
            }
            throw failures.map(e, "creating the bucket", null);
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "creating the bucket", null);
        }
    }

    // ------------------------------------------------------------------------------------------------ save

    @Override
    public void save(Handle handle, Source source) throws IOException {
        checkOpen();
        if (source.length() > config.multipartThreshold()) {
            saveInParts(handle, source);
        } else {
            saveWhole(handle, source);
        }
    }

    private void saveWhole(Handle handle, Source source) throws IOException {
        long length = source.length();
        // a pack is a slice of a larger buffer: read it where it is rather than copy 16 MiB per upload in flight
        java.nio.ByteBuffer inMemory = source.bufferIfInMemory();
        if (inMemory == null) {
            try (InputStream in = source.open()) {
                inMemory = java.nio.ByteBuffer.wrap(Source.readAnnounced(in, (int) length, location() + ": cannot save " + handle));
            }
        } else if (inMemory.remaining() != length) {
            throw new IOException(location() + ": cannot save " + handle + ": the source holds "
                    + inMemory.remaining() + " bytes, not the " + length + " it announced");
        }
        java.nio.ByteBuffer body = inMemory.asReadOnlyBuffer();
        String md5 = ContentMd5.header(body.duplicate());
        String key = key(handle);
        boolean brokenBefore = false;
        while (true) {
            boolean conditional = conditionalWrites;
            if (!conditional) {
                refuseIfExists(handle);
            }
            try {
                PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(config.bucket()).key(key)
                        .contentLength(length).contentMD5(md5)
                        .contentType("application/octet-stream");
                if (conditional) {
                    put.ifNoneMatch("*");
                }
                if (inPackClass(handle, source)) {
                    put.storageClass(config.packStorageClass());
                }
                s3.putObject(put.build(), RequestBody.fromContentProvider(() -> new BufferInputStream(body.duplicate()),
                        length, "application/octet-stream"));
                return;
            } catch (S3Exception e) {
                if (conditional && conditionalUnsupported(e)) {
                    continue; // once more, with a HEAD first
                }
                if (brokenBefore && e.statusCode() == 412 && ownedAfterLostAnswer(handle, length)) {
                    return;
                }
                throw failures.map(e, "saving", handle);
            } catch (SdkException | UncheckedIOException e) {
                if (!brokenBefore && brokenConnection(e)) {
                    brokenBefore = true;
                    continue;
                }
                throw failures.map(e, "saving", handle);
            }
        }
    }

    /**
     * Whether the file goes into the location's {@code storage-class}: packs the repository marks as holding data only
     * ({@link StorageHint#MAY_BE_COLD}). Everything else (config, keys, index, snapshots, locks, and packs that hold
     * folder listings) stays in the bucket's default class, since everyday commands read it.
     */
    private boolean inPackClass(Handle handle, Source source) {
        return handle.type() == FileType.PACK && config.packStorageClass() != null
                && source.storageHint() == StorageHint.MAY_BE_COLD;
    }

    private void saveInParts(Handle handle, Source source) throws IOException {
        String key = key(handle);
        if (!conditionalWrites) {
            refuseIfExists(handle);
        }
        String uploadId;
        try {
            uploadId = idempotent(() -> s3.createMultipartUpload(r -> {
                r.bucket(config.bucket()).key(key).contentType("application/octet-stream");
                if (inPackClass(handle, source)) {
                    r.storageClass(config.packStorageClass());
                }
            })).uploadId();
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "starting the upload of", handle);
        }
        boolean completed = false;
        List<Future<CompletedPart>> parts = new ArrayList<>();
        AtomicReference<IOException> partFailure = new AtomicReference<>();
        try {
            long length = source.length();
            try (InputStream in = source.open()) {
                long done = 0;
                for (int number = 1; done < length; number++) {
                    int size = (int) Math.min(config.partSize(), length - done);
                    byte[] part = Source.readAnnounced(in, size, location() + ": cannot save " + handle, done, length);
                    done += size;
                    if (done == length && in.read() >= 0) {
                        throw new IOException(location() + ": cannot save " + handle + ": the source holds more than"
                                + " the " + length + " bytes it announced");
                    }
                    if (partFailure.get() != null) {
                        throw partFailure.get();
                    }
                    acquirePartSlot();
                    int partNumber = number;
                    try {
                        parts.add(partUploaders.submit(() -> {
                            try {
                                return uploadPart(handle, key, uploadId, partNumber, part);
                            } catch (IOException e) {
                                partFailure.compareAndSet(null, e);
                                throw e;
                            } finally {
                                partsInFlight.release();
                            }
                        }));
                    } catch (RuntimeException e) {
                        partsInFlight.release();
                        throw e;
                    }
                }
            }
            List<CompletedPart> completedParts = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completedParts.add(await(f));
            }
            completeUpload(handle, key, uploadId, completedParts, source.length());
            completed = true;
        } finally {
            if (!completed) {
                for (Future<CompletedPart> f : parts) {
                    f.cancel(true);
                }
                abortQuietly(key, uploadId);
            }
        }
    }

    private void completeUpload(Handle handle, String key, String uploadId, List<CompletedPart> parts, long length)
            throws IOException {
        boolean brokenBefore = false;
        while (true) {
            boolean conditional = conditionalWrites;
            try {
                s3.completeMultipartUpload(r -> {
                    r.bucket(config.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(u -> u.parts(parts));
                    if (conditional) {
                        r.ifNoneMatch("*");
                    }
                });
                return;
            } catch (S3Exception e) {
                if (conditional && conditionalUnsupported(e)) {
                    refuseIfExists(handle);
                    continue;
                }
                if (brokenBefore && (e.statusCode() == 412 || e.statusCode() == 404)
                        && ownedAfterLostAnswer(handle, length)) {
                    return; // the first attempt completed the upload; its answer was lost
                }
                throw failures.map(e, "completing the upload of", handle);
            } catch (SdkException | UncheckedIOException e) {
                if (!brokenBefore && brokenConnection(e)) {
                    brokenBefore = true;
                    continue;
                }
                throw failures.map(e, "completing the upload of", handle);
            }
        }
    }

    /** Uploads one part, retrying it on its own when it fails transiently. */
    private CompletedPart uploadPart(Handle handle, String key, String uploadId, int number, byte[] part)
            throws IOException {
        String md5 = ContentMd5.header(java.nio.ByteBuffer.wrap(part));
        for (int attempt = 1; ; attempt++) {
            try {
                String etag = s3.uploadPart(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId)
                                .partNumber(number).contentLength((long) part.length).contentMD5(md5),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part), part.length,
                                "application/octet-stream")).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } catch (SdkException | UncheckedIOException e) {
                IOException mapped = failures.map(e, "uploading part " + number + " of", handle);
                if (!(mapped instanceof TransientBackendException) || attempt == PART_ATTEMPTS) {
                    throw mapped;
                }
            }
            long cap = PART_RETRY_DELAY.toMillis() << (attempt - 1);
            try {
                Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while retrying a part of " + handle);
            }
        }
    }

    private void acquirePartSlot() throws InterruptedIOException {
        try {
            partsInFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        }
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            // the service drops the parts of an abandoned upload by its lifecycle rule (see docs/backends/s3.md)
        }
    }

    /** 501 or a refusal of the header itself: the service does not do conditional writes. */
    private boolean conditionalUnsupported(S3Exception e) {
        String code = S3Failures.code(e);
        if (e.statusCode() == 501 || code.equals("NotImplemented")
                || (e.statusCode() == 400 && code.equals("InvalidArgument")
                        && String.valueOf(S3Failures.message(e)).contains("If-None-Match"))) {
            conditionalWrites = false;
            return true;
        }
        return false;
    }

    private void refuseIfExists(Handle handle) throws IOException {
        if (exists(handle)) {
            throw failures.exists(handle);
        }
    }

    /** Reads a buffer from its position to its limit. */
    private static final class BufferInputStream extends InputStream {
        private final java.nio.ByteBuffer buffer;

        BufferInputStream(java.nio.ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }

    // ------------------------------------------------------------------------------------------------ read

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        checkOpen();
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (length == 0) {
            stat(handle);
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length < 0 ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1));
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = idempotent(() -> s3.getObject(r -> r.bucket(config.bucket()).key(key(handle)).range(range),
                    ResponseTransformer.toInputStream()));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // the range starts at or past the end: the file exists (a missing one is a 404), and there is nothing
                // to read there
                return InputStream.nullInputStream();
            }
            if (e.statusCode() == 403 && S3Failures.code(e).equals("InvalidObjectState")) {
                throw coldRefusal(handle, e);
            }
            throw failures.map(e, "reading", handle);
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "reading", handle);
        }
        return new Download(in, handle);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        checkOpen();
        try {
            HeadObjectResponse head = idempotent(() -> s3.headObject(r -> r.bucket(config.bucket()).key(key(handle))));
            return new FileInfo(handle.name(), head.contentLength());
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "looking up", handle);
        }
    }

    // ------------------------------------------------------------------------------------------------ cold classes

    /** A read refused because the object is archived: names its class (one HEAD, when the service answers it). */
    private ColdStorageException coldRefusal(Handle handle, S3Exception e) {
        String storageClass = config.packStorageClass();
        try {
            ColdState state = coldState(handle);
            if (state.storageClass() != null) {
                storageClass = state.storageClass();
            }
        } catch (IOException | RuntimeException ignored) {
            // the refusal is what matters; the class is a detail
        }
        String what = handle.type() == FileType.PACK ? "pack " + handle.name().substring(0, 8) + " (" + handle + ")"
                : handle.toString();
        return new ColdStorageException(S3Cold.refusal(location(), what, S3Cold.isCold(storageClass) ? storageClass
                : null), handle.toString(), storageClass);
    }

    @Override
    public boolean mayHoldColdFiles() {
        return config.archive();
    }

    @Override
    public ColdState coldState(Handle handle) throws IOException {
        checkOpen();
        HeadObjectResponse head;
        try {
            head = idempotent(() -> s3.headObject(r -> r.bucket(config.bucket()).key(key(handle))));
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "looking up", handle);
        }
        String storageClass = head.storageClassAsString();
        if (!S3Cold.isCold(storageClass)) {
            return new ColdState(ColdState.Status.HOT, storageClass, null);
        }
        return parseRestore(storageClass, head.restore());
    }

    /** The {@code x-amz-restore} header: absent (frozen), {@code ongoing-request="true"}, or done with an expiry. */
    static ColdState parseRestore(String storageClass, String restore) {
        if (restore == null || restore.isBlank()) {
            return new ColdState(ColdState.Status.COLD, storageClass, null);
        }
        if (restore.replace(" ", "").contains("ongoing-request=\"true\"")) {
            return new ColdState(ColdState.Status.THAWING, storageClass, null);
        }
        java.time.Instant until = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("expiry-date=\"([^\"]+)\"").matcher(restore);
        if (m.find()) {
            try {
                until = java.time.ZonedDateTime.parse(m.group(1),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (java.time.format.DateTimeParseException ignored) {
                // the date is informative only
            }
        }
        return new ColdState(ColdState.Status.THAWED, storageClass, until);
    }

    @Override
    public boolean requestThaw(Handle handle, int days, ThawTier tier) throws IOException {
        checkOpen();
        if (days < 1 || days > 30) {
            throw new IllegalArgumentException("a thaw lasts 1 to 30 days, not " + days);
        }
        try {
            var response = s3.restoreObject(r -> r.bucket(config.bucket()).key(key(handle))
                    .restoreRequest(rr -> rr.days(days).glacierJobParameters(g -> g.tier(switch (tier) {
                        case EXPEDITED -> software.amazon.awssdk.services.s3.model.Tier.EXPEDITED;
                        case STANDARD -> software.amazon.awssdk.services.s3.model.Tier.STANDARD;
                        case BULK -> software.amazon.awssdk.services.s3.model.Tier.BULK;
                    }))));
            // 202 Accepted: a new thaw; 200 OK: already thawed (S3 only moved the expiry)
            return response.sdkHttpResponse().statusCode() == 202;
        } catch (S3Exception e) {
            String code = S3Failures.code(e);
            if (e.statusCode() == 409 && code.equals("RestoreAlreadyInProgress")) {
                return false;
            }
            if (code.equals("InvalidObjectState")) {
                throw new IOException(location() + ": " + handle + " is not in an archive class; it needs no thaw");
            }
            throw failures.map(e, "requesting a thaw of", handle);
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "requesting a thaw of", handle);
        }
    }

    @Override
    public ThawEstimate estimateThaw(String storageClass, ThawTier tier, int files, long bytes) {
        return S3Cold.estimate(storageClass, tier, files, bytes);
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        checkOpen();
        if (type == FileType.CONFIG) {
            try {
                return List.of(stat(Handle.config()));
            } catch (NoSuchFileException e) {
                return List.of();
            }
        }
        String prefix = config.prefix() + type.folder() + "/";
        try {
            return idempotent(() -> {
                List<FileInfo> out = new ArrayList<>();
                ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(prefix)
                        .build();
                for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                    String name = o.key().substring(prefix.length());
                    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                        continue; // not a file of ours (a "folder" marker, a subfolder, a temporary name)
                    }
                    out.add(new FileInfo(name, o.size()));
                }
                return out;
            });
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "listing " + type.folder() + " in", null);
        }
    }

    /**
     * Aborts the multipart uploads under the vault's prefix that were started before {@code cutoff} and never
     * completed (a crash between the first part and the completion leaves them; the service bills their parts as
     * storage until they are aborted). A service without multipart listing leaves nothing to do.
     */
    @Override
    public int removeStaleTemporaries(java.time.Instant cutoff) throws IOException {
        checkOpen();
        int aborted = 0;
        try {
            List<software.amazon.awssdk.services.s3.model.MultipartUpload> stale = new ArrayList<>();
            for (var upload : s3.listMultipartUploadsPaginator(r -> r.bucket(config.bucket()).prefix(config.prefix()))
                    .uploads()) {
                if (upload.initiated() != null && upload.initiated().isBefore(cutoff)) {
                    stale.add(upload);
                }
            }
            for (var upload : stale) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(config.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
                    // completed or aborted meanwhile
                }
            }
            return aborted;
        } catch (S3Exception e) {
            if (e.statusCode() == 501) {
                return aborted; // NotImplemented: nothing of the kind to clean there
            }
            throw failures.map(e, "removing unfinished uploads in", null);
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "removing unfinished uploads in", null);
        }
    }

    @Override
    public void remove(Handle handle) throws IOException {
        checkOpen();
        stat(handle); // S3 deletes a missing key without complaint; the contract wants NoSuchFileException
        try {
            idempotent(() -> s3.deleteObject(r -> r.bucket(config.bucket()).key(key(handle))));
        } catch (SdkException | UncheckedIOException e) {
            throw failures.map(e, "removing", handle);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            partUploaders.shutdownNow();
            s3.close();
        }
    }

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(location() + ": the backend is closed");
        }
    }

    @Override
    public String toString() {
        return "S3Backend[" + location() + "]";
    }

    /** A download whose failures are named and classified; closing before the end drops the connection. */
    private final class Download extends BulkInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private final Handle handle;
        private long remaining;
        private boolean ended;

        Download(ResponseInputStream<GetObjectResponse> in, Handle handle) {
            this.response = in;
            this.handle = handle;
            Long length = in.response().contentLength();
            this.remaining = length == null ? -1 : length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = response.read(b, off, len);
                if (n < 0) {
                    ended = true;
                } else if (remaining > 0) {
                    remaining -= n;
                    ended = remaining == 0;
                }
                return n;
            } catch (IOException | SdkException | UncheckedIOException e) {
                throw failures.map(e, "reading", handle);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long skipped = response.skip(n);
                if (remaining > 0) {
                    remaining -= skipped;
                    ended = remaining == 0;
                }
                return skipped;
            } catch (IOException | SdkException | UncheckedIOException e) {
                throw failures.map(e, "reading", handle);
            }
        }

        @Override
        public int available() throws IOException {
            return response.available();
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort(); // rather than read the rest of a large object just to reuse the connection
            }
            try {
                response.close();
            } catch (IOException | SdkException | UncheckedIOException e) {
                // the connection is gone either way
            }
        }
    }
}
