package triplicate.backend.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import triplicate.backend.Backend;
import triplicate.backend.ContentMd5;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * A vault in an Azure Blob Storage container, under a blob name prefix: {@code PREFIX/config},
 * {@code PREFIX/keys/NAME}, {@code PREFIX/data/NAME}, and so on for each {@link FileType}; each file one block blob.
 *
 * <ul>
 *   <li><b>Write-once.</b> Uploads and block list commits carry {@code If-None-Match: *}, so the service itself
 *       refuses to overwrite a blob (409 BlobAlreadyExists becomes {@link FileAlreadyExistsException}).</li>
 *   <li><b>Atomic.</b> A blob appears whole or not at all: staged blocks stay invisible (and are never listed) until
 *       the block list is committed; blocks of an upload that fails are dropped by the service after a week. They
 *       cannot be deleted sooner, so {@link #removeStaleTemporaries} keeps the default: there is nothing to remove.</li>
 *   <li><b>Integrity.</b> Every upload and every block carries Content-MD5, which the service checks before storing;
 *       a blob put together from blocks gets the MD5 of its whole content as its {@code Content-MD5} property.</li>
 *   <li><b>Blocks.</b> Files above {@code block-threshold} go up in blocks of {@code block-size}, up to
 *       {@code connections} blocks at once; each block is retried on its own (4 attempts with backoff and jitter)
 *       before the save gives up and the caller's retrying decorator retries the whole file.</li>
 *   <li><b>Access tier.</b> Data packs get the {@code access-tier} option's tier; every other file stays in the
 *       account's default tier, since every command reads them.</li>
 *   <li><b>Reads.</b> One ranged GET per {@link #open}, its body streamed to the caller.</li>
 *   <li><b>Calls.</b> The data moves through {@link BlobCalls}, on the synchronous path of the SDK client's own
 *       pipeline; every call ends within the HTTP client's time-outs.</li>
 *   <li><b>Errors.</b> Server errors, throttling, time-outs and broken connections are
 *       {@link TransientBackendException}s; the SDK retries nothing, a request whose connection broke before any
 *       answer is sent once more at once, and {@code RetryingBackend} retries the rest. Refusals (wrong key, expired
 *       SAS token, clock skew, no container, no permission) are plain {@link IOException}s that name the account and
 *       the likely fix, never a credential.</li>
 * </ul>
 */
final class AzureBackend implements Backend {
    private static final int BLOCK_ATTEMPTS = 4;
    private static final Duration BLOCK_RETRY_DELAY = Duration.ofMillis(250);
    /** The service's limit of blocks per blob. */
    private static final int MAX_BLOCKS = 50_000;
    /** Waiting for an answer: this long, plus the time a request's body takes at {@link #SLOWEST_UPLOAD} bytes/s. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final long SLOWEST_UPLOAD = 64 * 1024;

    private final AzureConfig config;
    private final AzureFailures failures;
    private final BlobContainerClient container;
    private final BlobCalls calls;
    private final ExecutorService blockUploaders;
    private final Semaphore blocksInFlight;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A backend for {@code config}, with credentials and settings (a proxy, say) from {@code env}. */
    static AzureBackend open(AzureConfig config, Map<String, String> env) throws IOException {
        return new AzureBackend(config, env, List.of());
    }

    /** As {@link #open}, with pipeline policies after the SDK's own (tests count and break requests with them). */
    AzureBackend(AzureConfig config, Map<String, String> env, List<HttpPipelinePolicy> policies) throws IOException {
        this.config = config;
        AzureCredentials.Credential credential = AzureCredentials.credential(config, env);
        this.failures = new AzureFailures(config, credential, AzureCredentials.secrets(env));
        Configuration settings = new ConfigurationBuilder(source -> Map.of(), source -> Map.of(), source -> env)
                .build();
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1))
                .connectionTimeout(Duration.ofSeconds(10))
                .writeTimeout(ANSWER_TIMEOUT)
                .responseTimeout(ANSWER_TIMEOUT)
                .readTimeout(ANSWER_TIMEOUT)
                .configuration(settings)
                .build();
        BlobContainerClientBuilder b = new BlobContainerClientBuilder()
                .endpoint(config.containerUrl())
                .containerName(config.container())
                .httpClient(http)
                .configuration(settings)
                .clientOptions(new ClientOptions().setApplicationId("triplicate"))
                // the SDK's request log (AZURE_HTTP_LOG_DETAIL_LEVEL) is read from the environment handed in too; the
                // SDK redacts the Authorization header and every query parameter it does not know to be harmless
                .httpLogOptions(BlobContainerClientBuilder.getDefaultHttpLogOptions()
                        .setLogLevel(logLevel(env.get("AZURE_HTTP_LOG_DETAIL_LEVEL"))))
                // RetryingBackend retries; an SDK retry inside one call would hide a lost answer from it (a retried
                // upload that meets its own first attempt must count as done, not as a conflict)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Duration) null, null, null, null))
                .addPolicy(new Reached(failures));
        switch (credential) {
            case AzureCredentials.AccountKey k -> b.credential(new StorageSharedKeyCredential(k.account(), k.key()));
            case AzureCredentials.SasToken s -> b.sasToken(s.token());
        }
        policies.forEach(b::addPolicy);
        try {
            this.container = b.buildClient();
        } catch (RuntimeException e) {
            throw failures.map(e, "setting up access to", null);
        }
        this.calls = new BlobCalls(container.getHttpPipeline(), container.getServiceVersion().getVersion(),
                ANSWER_TIMEOUT, SLOWEST_UPLOAD);
        this.blockUploaders = Executors.newFixedThreadPool(config.connections(), r -> {
            Thread t = new Thread(r, "triplicate-azure-block");
            t.setDaemon(true);
            return t;
        });
        this.blocksInFlight = new Semaphore(config.connections());
    }

    /** The SDK's request log level named by {@code AZURE_HTTP_LOG_DETAIL_LEVEL}, as the SDK reads it; none by default. */
    private static HttpLogDetailLevel logLevel(String name) {
        if (name == null) {
            return HttpLogDetailLevel.NONE;
        }
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "")) {
            case "basic" -> HttpLogDetailLevel.BASIC;
            case "headers" -> HttpLogDetailLevel.HEADERS;
            case "body" -> HttpLogDetailLevel.BODY;
            case "bodyandheaders" -> HttpLogDetailLevel.BODY_AND_HEADERS;
            default -> HttpLogDetailLevel.NONE;
        };
    }

    /** Notes every answer from the service, so that a DNS failure after one counts as transient. */
    private record Reached(AzureFailures failures) implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return next.process().doOnNext(r -> failures.reached());
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            HttpResponse r = next.processSync();
            failures.reached();
            return r;
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_RETRY;
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

    AzureConfig config() {
        return config;
    }

    /** The blob name of {@code h}. */
    String blobName(Handle h) {
        return config.prefix() + (h.type() == FileType.CONFIG ? "config" : h.type().folder() + "/" + h.name());
    }

    private String blobUrl(Handle h) {
        return container.getBlobClient(blobName(h)).getBlobUrl();
    }

    /**
     * Runs a request that may be sent twice, and sends it again at once if its connection broke before any answer:
     * a pooled connection the server had closed meanwhile. Anything else is for {@code RetryingBackend}.
     */
    private static <T> T idempotent(Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            if (!brokenConnection(e)) {
                throw e;
            }
            return request.get();
        }
    }

    /** A connection that broke (reset, closed, refused): not a time-out, a name or TLS failure, or an answer. */
    static boolean brokenConnection(Throwable t) {
        if (AzureFailures.serviceAnswer(t) != null) {
            return false;
        }
        boolean io = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException || c instanceof java.net.http.HttpTimeoutException
                    || c instanceof java.util.concurrent.TimeoutException || c instanceof java.net.UnknownHostException
                    || c instanceof javax.net.ssl.SSLException || c instanceof InterruptedIOException
                    || c instanceof InterruptedException) {
                return false;
            }
            io |= c instanceof IOException;
        }
        return io;
    }

    // ------------------------------------------------------------------------------------------------ container

    /**
     * Makes sure the container exists, creating it if it does not (for {@code init}). Fails with a message naming the
     * container and the permission when the credentials may not create it.
     */
    void ensureContainer() throws IOException {
        checkOpen();
        try {
            idempotent(() -> container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null)
                    .iterableByPage().iterator().next());
            return;
        } catch (RuntimeException e) {
            BlobStorageException answer = AzureFailures.serviceAnswer(e);
            if (answer == null || answer.getStatusCode() != 404) {
                throw failures.map(e, "looking for", null);
            }
        }
        try {
            idempotent(() -> container.createWithResponse(null, null, null, Context.NONE));
        } catch (RuntimeException e) {
            BlobStorageException answer = AzureFailures.serviceAnswer(e);
            String code = answer == null ? "" : AzureFailures.code(answer);
            if (code.equals("ContainerAlreadyExists")) {
                return; // created meanwhile
            }
            if (answer != null && answer.getStatusCode() == 403) {
                throw new IOException(location() + ": the container \"" + config.container() + "\" does not exist in"
                        + " the storage account \"" + config.account() + "\", and these credentials may not create it"
                        + " (" + code + "); create the container in the Azure portal (or with 'az storage container"
                        + " create'), or use the account key or an account SAS token that allows creating containers"
                        + " (srt=co, sp with c); a SAS token for the container alone never can");
            }
            if (code.equals("ContainerBeingDeleted")) {
                throw new IOException(location() + ": the container \"" + config.container() + "\" is being deleted;"
                        + " the service refuses its name for about 30 seconds after a deletion: try again then");
            }
            throw failures.map(e, "creating", null);
        }
    }

    // ------------------------------------------------------------------------------------------------ save

    @Override
    public void save(Handle handle, Source source) throws IOException {
        checkOpen();
        if (source.length() > config.blockThreshold()) {
            saveInBlocks(handle, source);
        } else {
            saveWhole(handle, source);
        }
    }

    private void saveWhole(Handle handle, Source source) throws IOException {
        long length = source.length();
        ByteBuffer buffer = source.bufferIfInMemory();
        if (buffer == null) {
            try (InputStream in = source.open()) {
                buffer = ByteBuffer.wrap(Source.readAnnounced(in, (int) length, location() + ": cannot save " + handle));
            }
        } else if (buffer.remaining() != length) {
            throw new IOException(location() + ": cannot save " + handle + ": the source holds " + buffer.remaining()
                    + " bytes, not the " + length + " it announced");
        }
        ByteBuffer body = buffer.asReadOnlyBuffer();
        byte[] md5 = ContentMd5.of(body.duplicate());
        String url = blobUrl(handle);
        boolean brokenBefore = false;
        while (true) {
            try {
                calls.putBlob(url, body.duplicate(), md5, tier(handle));
                return;
            } catch (RuntimeException e) {
                if (!brokenBefore && brokenConnection(e)) {
                    brokenBefore = true;
                    continue;
                }
                IOException mapped = failures.map(e, "saving", handle);
                if (brokenBefore && mapped instanceof FileAlreadyExistsException && ownedAfterLostAnswer(handle, length)) {
                    return; // the first attempt stored it; its answer was lost with the connection
                }
                throw mapped;
            }
        }
    }

    private void saveInBlocks(Handle handle, Source source) throws IOException {
        long length = source.length();
        long blockSize = Math.max(config.blockSize(), (length + MAX_BLOCKS - 1) / MAX_BLOCKS);
        String url = blobUrl(handle);
        // ids of one blob must all have the same length; a fresh upload id keeps concurrent uploads of one name apart
        String upload = HexFormat.of().formatHex(randomBytes(8));
        List<String> ids = new ArrayList<>();
        List<Future<?>> blocks = new ArrayList<>();
        AtomicReference<IOException> blockFailure = new AtomicReference<>();
        MessageDigest whole = ContentMd5.digest();
        boolean committed = false;
        try {
            try (InputStream in = source.open()) {
                long done = 0;
                for (int number = 0; done < length; number++) {
                    int size = (int) Math.min(blockSize, length - done);
                    byte[] block = Source.readAnnounced(in, size, location() + ": cannot save " + handle, done, length);
                    done += size;
                    if (done == length && in.read() >= 0) {
                        throw new IOException(location() + ": cannot save " + handle + ": the source holds more than"
                                + " the " + length + " bytes it announced");
                    }
                    whole.update(block);
                    if (blockFailure.get() != null) {
                        throw blockFailure.get();
                    }
                    String id = Base64.getEncoder().encodeToString(String.format("triplicate-%s-%06d", upload, number)
                            .getBytes(StandardCharsets.US_ASCII));
                    ids.add(id);
                    acquireBlockSlot();
                    int blockNumber = number + 1;
                    try {
                        blocks.add(blockUploaders.submit(() -> {
                            try {
                                stageBlock(handle, url, id, blockNumber, block);
                                return null;
                            } catch (IOException e) {
                                blockFailure.compareAndSet(null, e);
                                throw e;
                            } finally {
                                blocksInFlight.release();
                            }
                        }));
                    } catch (RuntimeException e) {
                        blocksInFlight.release();
                        throw e;
                    }
                }
            }
            for (Future<?> f : blocks) {
                await(f);
            }
            commit(handle, url, ids, whole.digest(), length);
            committed = true;
        } finally {
            if (!committed) {
                for (Future<?> f : blocks) {
                    f.cancel(true);
                }
                // staged blocks cannot be deleted; the service drops uncommitted blocks after a week
            }
        }
    }

    /** Stages one block, retrying it on its own when it fails transiently. */
    private void stageBlock(Handle handle, String url, String id, int number, byte[] block)
            throws IOException {
        byte[] md5 = ContentMd5.of(ByteBuffer.wrap(block));
        for (int attempt = 1; ; attempt++) {
            try {
                calls.putBlock(url, id, block, md5);
                return;
            } catch (RuntimeException e) {
                IOException mapped = failures.map(e, "uploading block " + number + " of", handle);
                if (!(mapped instanceof TransientBackendException) || attempt == BLOCK_ATTEMPTS) {
                    throw mapped;
                }
            }
            long cap = BLOCK_RETRY_DELAY.toMillis() << (attempt - 1);
            try {
                Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while retrying a block of " + handle);
            }
        }
    }

    private void commit(Handle handle, String url, List<String> ids, byte[] md5, long length)
            throws IOException {
        boolean brokenBefore = false;
        while (true) {
            try {
                calls.putBlockList(url, ids, md5, tier(handle));
                return;
            } catch (RuntimeException e) {
                if (!brokenBefore && brokenConnection(e)) {
                    brokenBefore = true;
                    continue;
                }
                IOException mapped = failures.map(e, "completing the upload of", handle);
                BlobStorageException answer = AzureFailures.serviceAnswer(e);
                boolean existsNow = mapped instanceof FileAlreadyExistsException
                        || (answer != null && AzureFailures.code(answer).equals("InvalidBlockList") && exists(handle));
                if (existsNow) {
                    if (brokenBefore && ownedAfterLostAnswer(handle, length)) {
                        return; // the first attempt committed; its answer was lost with the connection
                    }
                    // another writer committed this name first (which also drops the blocks staged here)
                    throw failures.exists(handle);
                }
                if (answer != null && AzureFailures.code(answer).equals("InvalidBlockList")) {
                    // the staged blocks are gone (dropped by a commit or a deletion of this name meanwhile): worth
                    // uploading again
                    throw new TransientBackendException(mapped.getMessage(), mapped);
                }
                throw mapped;
            }
        }
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

    private String tier(Handle handle) {
        return handle.type() == FileType.PACK ? config.packTier() : null;
    }

    private void acquireBlockSlot() throws InterruptedIOException {
        try {
            blocksInFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
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

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------------------------------------ read

    /** {@inheritDoc} One GET (with {@code x-ms-range} for a part), its body streamed to the caller. */
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
        HttpResponse response;
        try {
            response = idempotent(() -> calls.getBlob(blobUrl(handle), offset, length));
        } catch (RuntimeException e) {
            throw failures.map(e, "reading", handle);
        }
        if (response.getStatusCode() == 416) {
            // the range starts at or past the end: the file exists (a missing one is a 404), and there is nothing to
            // read there
            response.close();
            return InputStream.nullInputStream();
        }
        try {
            return new Download(response, response.getBodyAsBinaryData().toStream(), handle);
        } catch (RuntimeException e) {
            response.close();
            throw failures.map(e, "reading", handle);
        }
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        checkOpen();
        try {
            long size = idempotent(() -> container.getBlobClient(blobName(handle))
                    .getPropertiesWithResponse(null, null, Context.NONE))
                    .getValue().getBlobSize();
            return new FileInfo(handle.name(), size);
        } catch (RuntimeException e) {
            throw failures.map(e, "looking up", handle);
        }
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
                ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(5000);
                for (BlobItem item : container.listBlobs(options, null)) {
                    String name = item.getName().substring(prefix.length());
                    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                        continue; // not a file of ours (a "folder" marker, a subfolder, a temporary name)
                    }
                    Long size = item.getProperties() == null ? null : item.getProperties().getContentLength();
                    out.add(new FileInfo(name, size == null ? 0 : size));
                }
                return out;
            });
        } catch (RuntimeException e) {
            throw failures.map(e, "listing " + type.folder() + " in", null);
        }
    }

    @Override
    public void remove(Handle handle) throws IOException {
        checkOpen();
        BlobClient blob = container.getBlobClient(blobName(handle));
        boolean brokenBefore = false;
        while (true) {
            try {
                blob.deleteWithResponse(null, null, null, Context.NONE);
                return;
            } catch (RuntimeException e) {
                if (!brokenBefore && brokenConnection(e)) {
                    brokenBefore = true;
                    continue;
                }
                IOException mapped = failures.map(e, "removing", handle);
                if (brokenBefore && mapped instanceof NoSuchFileException) {
                    return; // the first attempt removed it; its answer was lost with the connection
                }
                throw mapped;
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            blockUploaders.shutdownNow();
        }
    }

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(location() + ": the backend is closed");
        }
    }

    @Override
    public String toString() {
        return "AzureBackend[" + location() + "]";
    }

    /**
     * A download as one streamed GET: closing it before the end drops the connection rather than reading the rest;
     * failures are named and classified.
     */
    private final class Download extends FilterInputStream {
        private final HttpResponse response;
        private final Handle handle;

        Download(HttpResponse response, InputStream body, Handle handle) {
            super(body);
            this.response = response;
            this.handle = handle;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failures.map(e, "reading", handle);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException | RuntimeException e) {
                throw failures.map(e, "reading", handle);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                // the connection is gone either way
            }
            response.close();
        }
    }
}
