package triplicate.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.ColdState;
import triplicate.backend.Source;
import triplicate.backend.StorageHint;
import triplicate.backend.ThawTier;
import triplicate.backend.TransientBackendException;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.FileType;

/** What the S3 backend does beyond the plain contract, against a real server (S3Proxy on loopback). */
@ExtendWith(S3ProxyServer.Shared.class)
class S3BackendTest {
    private static final int MIB = 1 << 20;
    private final S3ProxyServer server;
    private final Random random = new Random(42);

    S3BackendTest(S3ProxyServer server) {
        this.server = server;
    }

    /** One request as the SDK sent it. */
    record Request(String operation, String method, Map<String, List<String>> headers, int part) {
        boolean is(String op) {
            return operation.equals(op);
        }
    }

    /** Records every request; can break the ones a predicate picks (before they are sent). */
    static final class Recorder implements ExecutionInterceptor {
        final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        volatile Predicate<Request> breakIf = r -> false;

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Request r = new Request(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    context.httpRequest().method().name(), context.httpRequest().headers(),
                    context.request() instanceof UploadPartRequest u ? u.partNumber() : 0);
            requests.add(r);
            if (breakIf.test(r)) {
                throw SdkClientException.create("Unable to execute HTTP request (test)",
                        new java.net.SocketException("Connection reset (test)"));
            }
        }

        long count(String operation) {
            synchronized (requests) {
                return requests.stream().filter(r -> r.is(operation)).count();
            }
        }

        List<Request> of(String operation) {
            synchronized (requests) {
                return requests.stream().filter(r -> r.is(operation)).toList();
            }
        }
    }

    private S3Backend backend(String bucket, String options, Recorder recorder) throws IOException {
        S3Config config = S3Config.parse(URI.create(server.location(bucket, "v/" + UUID.randomUUID(), options)),
                server.env());
        S3Backend b = new S3Backend(config, server.env(), recorder == null ? List.of() : List.of(recorder));
        b.ensureBucket();
        return b;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Handle pack() {
        return new Handle(FileType.PACK, String.format("%064x", random.nextLong() & Long.MAX_VALUE));
    }

    @Test
    void theServerRefusesOverwritesItselfWithoutAnExtraRequest() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("conditional", "", rec)) {
            Handle h = pack();
            rec.requests.clear();
            b.save(h, Source.of(bytes(1000)));
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(1000)))).isInstanceOf(FileAlreadyExistsException.class);

            assertThat(rec.requests).extracting(Request::operation).containsExactly("PutObject", "PutObject");
            assertThat(rec.requests).allSatisfy(r -> {
                assertThat(r.headers()).containsEntry("If-None-Match", List.of("*"));
                assertThat(r.headers()).containsKey("Content-MD5");
            });
        }
    }

    @Test
    void anUploadWhoseAnswerIsLostWithItsConnectionIsDoneNotAConflict() throws IOException {
        Recorder rec = new Recorder();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutionInterceptor loseAnswer = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if ("PutObject".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                        && first.getAndSet(false)) {
                    throw SdkClientException.create("Unable to execute HTTP request (test)",
                            new java.net.SocketException("Connection reset (test)"));
                }
            }
        };
        S3Config config = S3Config.parse(URI.create(server.location("conditional", "lost/" + UUID.randomUUID(), "")),
                server.env());
        try (S3Backend b = new S3Backend(config, server.env(), List.of(rec, loseAnswer))) {
            b.ensureBucket();
            Handle h = pack();
            byte[] data = bytes(2000);
            b.save(h, Source.of(data)); // stored by the first attempt; the second meets it

            assertThat(b.load(h)).isEqualTo(data);
            assertThat(rec.count("PutObject")).isEqualTo(2);
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(2000)))).as("a real conflict is still one")
                    .isInstanceOf(FileAlreadyExistsException.class);
        }
    }

    @Test
    void anUploadInterruptedBeyondAbortingIsAbortedOnceStale() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("multipart", "part-size=5&multipart-threshold=5", rec)) {
            // the second part and the abort both fail: as if the process died mid-upload
            rec.breakIf = r -> (r.is("UploadPart") && r.part() == 2) || r.is("AbortMultipartUpload");
            Handle h = pack();
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(11 << 20)))).isInstanceOf(IOException.class);
            rec.breakIf = r -> false;
            assertThat(b.exists(h)).isFalse();

            assertThat(b.removeStaleTemporaries(java.time.Instant.now().minus(java.time.Duration.ofDays(1))))
                    .as("a fresh upload may be another process's, still running").isZero();
            assertThat(b.removeStaleTemporaries(java.time.Instant.now().plusSeconds(60))).isEqualTo(1);
            assertThat(b.removeStaleTemporaries(java.time.Instant.now().plusSeconds(60))).isZero();
            assertThat(b.list(FileType.PACK)).isEmpty();
        }
    }

    @Test
    void withoutConditionalWritesAHeadGuardsEachUpload() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("conditional", "conditional-writes=false", rec)) {
            Handle h = pack();
            byte[] first = bytes(500);
            b.save(h, Source.of(first));
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(500)))).isInstanceOf(FileAlreadyExistsException.class);
            assertThat(b.load(h)).isEqualTo(first);
            assertThat(rec.of("PutObject")).hasSize(1).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("If-None-Match"));
            assertThat(rec.count("HeadObject")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void largeFilesGoUpInPartsEachRetriedOnItsOwn() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("multipart", "part-size=5&multipart-threshold=5", rec)) {
            byte[] data = bytes(12 * MIB); // parts of 5, 5 and 2 MiB
            AtomicInteger part2 = new AtomicInteger();
            rec.breakIf = r -> r.part() == 2 && part2.incrementAndGet() == 1; // part 2 fails once
            Handle h = pack();
            b.save(h, Source.of(data));

            assertThat(rec.count("CreateMultipartUpload")).isEqualTo(1);
            assertThat(rec.count("UploadPart")).as("3 parts, one sent twice").isEqualTo(4);
            assertThat(rec.count("CompleteMultipartUpload")).isEqualTo(1);
            assertThat(rec.of("CompleteMultipartUpload")).allSatisfy(
                    r -> assertThat(r.headers()).containsEntry("If-None-Match", List.of("*")));
            assertThat(rec.of("UploadPart")).allSatisfy(r -> assertThat(r.headers()).containsKey("Content-MD5"));
            assertThat(b.load(h)).isEqualTo(data);
            assertThat(b.stat(h)).isEqualTo(new FileInfo(h.name(), data.length));

            assertThatThrownBy(() -> b.save(h, Source.of(bytes(6 * MIB))))
                    .as("a multipart upload never overwrites either").isInstanceOf(FileAlreadyExistsException.class);
            assertThat(b.load(h)).isEqualTo(data);
        }
    }

    @Test
    void aPartThatKeepsFailingAbortsTheUploadAndLeavesNothing() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("multipart", "part-size=5&multipart-threshold=5", rec)) {
            rec.breakIf = r -> r.part() == 3;
            Handle h = pack();
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(11 * MIB))))
                    .isInstanceOf(TransientBackendException.class).hasMessageContaining("part 3");
            assertThat(rec.count("AbortMultipartUpload")).isEqualTo(1);
            assertThat(b.exists(h)).isFalse();
            assertThat(b.list(FileType.PACK)).isEmpty();

            rec.breakIf = r -> false;
            byte[] data = bytes(11 * MIB);
            b.save(h, Source.of(data));
            assertThat(b.load(h)).isEqualTo(data);
        }
    }

    @Test
    void onlyDataPacksGetTheColdStorageClass() throws IOException {
        Recorder rec = new Recorder();
        try (S3Backend b = backend("classes", "storage-class=STANDARD_IA&part-size=5&multipart-threshold=5", rec)) {
            b.save(pack(), Source.of(bytes(100)).withStorageHint(StorageHint.MAY_BE_COLD));
            b.save(pack(), Source.of(bytes(6 * MIB)).withStorageHint(StorageHint.MAY_BE_COLD));
            b.save(pack(), Source.of(bytes(100))); // a pack holding folder listings (trees) stays hot
            b.save(pack(), Source.of(bytes(6 * MIB)));
            b.save(new Handle(FileType.INDEX, "ab".repeat(32)), Source.of(bytes(100)).withStorageHint(StorageHint.MAY_BE_COLD));
            b.save(new Handle(FileType.SNAPSHOT, "cd".repeat(32)), Source.of(bytes(100)));
            b.save(new Handle(FileType.KEY, "ef".repeat(32)), Source.of(bytes(100)));
            b.save(Handle.config(), Source.of(bytes(100)));

            List<Request> writes = new ArrayList<>(rec.of("PutObject"));
            writes.addAll(rec.of("CreateMultipartUpload"));
            assertThat(writes).hasSize(8);
            assertThat(writes).filteredOn(r -> r.headers().containsKey("x-amz-storage-class")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.headers().get("x-amz-storage-class")).containsExactly("STANDARD_IA"));
        }
    }

    @Test
    void archiveClassesGoToDataPacksOnlyAndTheServerReportsThem() throws IOException {
        try (S3Backend b = backend("archive", "storage-class=GLACIER&archive=true", null)) {
            assertThat(b.mayHoldColdFiles()).isTrue();
            Handle data = pack();
            Handle trees = pack();
            Handle index = new Handle(FileType.INDEX, "ab".repeat(32));
            b.save(data, Source.of(bytes(1000)).withStorageHint(StorageHint.MAY_BE_COLD));
            b.save(trees, Source.of(bytes(1000)));
            b.save(index, Source.of(bytes(100)));
            // S3Proxy stores the class and answers it in HEAD (StorageClass); it has no restore semantics, so reads
            // still work there: the thaw itself is simulated by the testkit's ColdStorageBackend
            ColdState cold = b.coldState(data);
            assertThat(cold.storageClass()).isEqualTo("GLACIER");
            assertThat(cold.status()).isEqualTo(ColdState.Status.COLD);
            assertThat(b.coldState(trees).status()).isEqualTo(ColdState.Status.HOT);
            assertThat(b.coldState(index).status()).isEqualTo(ColdState.Status.HOT);
            assertThat(b.estimateThaw("GLACIER", ThawTier.STANDARD, 1000, 16_000_000_000L).cost())
                    .startsWith("about $0.21").contains("2026-11-22").contains("indicative");
        }
        try (S3Backend b = backend("archive", "", null)) {
            assertThat(b.mayHoldColdFiles()).as("no acknowledgement: no planning").isFalse();
        }
    }

    @Test
    void theRestoreHeaderTellsFrozenThawingAndThawedApart() {
        assertThat(S3Backend.parseRestore("GLACIER", null).status()).isEqualTo(ColdState.Status.COLD);
        assertThat(S3Backend.parseRestore("GLACIER", "ongoing-request=\"true\"").status())
                .isEqualTo(ColdState.Status.THAWING);
        ColdState thawed = S3Backend.parseRestore("DEEP_ARCHIVE",
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"");
        assertThat(thawed.status()).isEqualTo(ColdState.Status.THAWED);
        assertThat(thawed.readable()).isTrue();
        assertThat(thawed.thawedUntil()).isEqualTo(java.time.Instant.parse("2012-12-21T00:00:00Z"));
    }

    @Test
    void thawEstimatesQuoteDocumentedTimesAndDatedPrices() {
        assertThat(S3Cold.estimate("GLACIER", ThawTier.EXPEDITED, 10, 1_000_000_000L).time()).contains("1–5 minutes");
        assertThat(S3Cold.estimate("GLACIER", ThawTier.BULK, 10, 1_000_000_000L).time()).contains("5–12 hours");
        assertThat(S3Cold.estimate("DEEP_ARCHIVE", ThawTier.STANDARD, 10, 1_000_000_000L).time()).contains("12 hours");
        assertThat(S3Cold.estimate("DEEP_ARCHIVE", ThawTier.BULK, 10, 1_000_000_000L).time()).contains("48 hours");
        assertThat(S3Cold.estimate("DEEP_ARCHIVE", ThawTier.EXPEDITED, 10, 1).cost()).isEqualTo("not available");
        // 100 GB and 2,000 packs from Deep Archive, standard: 100 × $0.02 + 2 × $0.10
        assertThat(S3Cold.estimate("DEEP_ARCHIVE", ThawTier.STANDARD, 2000, 100_000_000_000L).cost())
                .startsWith("about $2.20");
        assertThat(S3Cold.estimate("GLACIER", ThawTier.STANDARD, 5, 3_000_000L).cost()).startsWith("less than $0.01");
        assertThat(S3Cold.estimate("GLACIER", ThawTier.BULK, 5, 3_000_000L).cost()).startsWith("nothing");
        assertThat(S3Cold.refusal("s3://b/v", "pack 12345678", "DEEP_ARCHIVE")).contains("triplicate thaw")
                .contains("within 48 hours").contains("$0.02/GB").contains("indicative");
    }

    @Test
    void keysLiveUnderThePrefixInFoldersByType() throws IOException {
        try (S3Backend b = backend("layout", "", null)) {
            String name = "12".repeat(32);
            assertThat(b.key(Handle.config())).isEqualTo(b.config().prefix() + "config");
            assertThat(b.key(new Handle(FileType.PACK, name))).isEqualTo(b.config().prefix() + "data/" + name);
            assertThat(b.key(new Handle(FileType.SNAPSHOT, name))).isEqualTo(b.config().prefix() + "snapshots/" + name);
            assertThat(b.config().prefix()).startsWith("v/").endsWith("/");
        }
    }

    @Test
    void initCreatesAMissingBucketAndOpenNamesAMissingOne() throws IOException {
        String bucket = "fresh-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String location = server.location(bucket, "vault", "");
        try (Backend opened = Backends.open(location, server.env())) {
            assertThatThrownBy(() -> opened.load(Handle.config()))
                    .hasMessageContaining("the bucket \"" + bucket + "\" does not exist")
                    .hasMessageContaining("triplicate init")
                    .isNotInstanceOf(TransientBackendException.class);
        }
        try (Backend created = Backends.create(location, server.env())) {
            assertThat(created).isInstanceOf(RetryingBackend.class);
            assertThat(created.parallelism()).isEqualTo(S3Config.DEFAULT_CONNECTIONS);
            created.save(Handle.config(), Source.of(new byte[] {7}));
        }
        try (Backend again = Backends.create(location, server.env()); Backend opened = Backends.open(location, server.env())) {
            assertThat(opened.load(Handle.config())).containsExactly(7);
            assertThat(again.exists(Handle.config())).as("an existing bucket is used as it is").isTrue();
        }
        assertThat(server.bucketDir(bucket).resolve("vault/config")).exists();
    }

    @Test
    void wrongCredentialsFailFastNamingTheFixAndNeverTheSecret() throws IOException {
        Map<String, String> env = server.env();
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-but-secret-too-1234");
        String location = server.location("creds", "v", "");
        try (Backend b = Backends.open(location, env)) {
            assertThatThrownBy(() -> b.list(FileType.KEY))
                    .isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("s3+http://127.0.0.1:" + server.port() + "/creds/v")
                    .hasMessageContaining("secret key does not fit")
                    .satisfies(e -> assertNoSecret(e, env));
        }
        env.put("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY123456");
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        try (Backend b = Backends.open(location, env)) {
            assertThatThrownBy(() -> b.stat(Handle.config()))
                    .isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("access")
                    .satisfies(e -> assertNoSecret(e, env));
        }
    }

    @Test
    void theSdksDebugLogHoldsNoCredential() throws IOException {
        String log = System.getProperty("triplicate.sdk.log");
        org.junit.jupiter.api.Assumptions.assumeTrue(log != null, "run through Maven, which sends the SDK's debug log to a file");
        Map<String, String> env = server.env();
        env.put("AWS_SESSION_TOKEN", "session-token-that-must-stay-secret");
        try (Backend b = Backends.create(server.location("logs", "v", ""), server.env())) {
            b.save(Handle.config(), Source.of(new byte[] {1}));
            assertThat(b.load(Handle.config())).containsExactly(1);
        }
        try (Backend b = Backends.open(server.location("logs", "v", ""), env)) {
            assertThatThrownBy(() -> b.load(Handle.config())).isInstanceOf(IOException.class);
        }
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(log));
        assertThat(text).as("the SDK logged at debug level").contains("Sending Request");
        for (String secret : List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, env.get("AWS_SESSION_TOKEN"))) {
            assertThat(text).as("credentials in the SDK's debug log").doesNotContain(secret);
        }
    }

    @Test
    void aBucketTheCredentialsMayNotCreateIsNamedWithThePermission() throws IOException {
        ExecutionInterceptor denyCreate = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if ("CreateBucket".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    throw software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(403)
                            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                    .errorCode("AccessDenied").errorMessage("Access Denied").build())
                            .build();
                }
            }
        };
        S3Config config = S3Config.parse(URI.create(server.location("not-allowed-here", "v", "")), server.env());
        try (S3Backend b = new S3Backend(config, server.env(), List.of(denyCreate))) {
            assertThatThrownBy(b::ensureBucket).isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("the bucket \"not-allowed-here\" does not exist")
                    .hasMessageContaining("s3:CreateBucket");
        }
    }

    @Test
    void triplicatesOwnCredentialsComeFirst() throws IOException {
        Map<String, String> env = server.env();
        env.put("AWS_ACCESS_KEY_ID", "AKIAOTHERTOOLSKEY123");
        env.put("AWS_SECRET_ACCESS_KEY", "the-aws-cli-secret-of-another-account");
        env.put("TRIPLICATE_S3_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("TRIPLICATE_S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        try (Backend b = Backends.create(server.location("creds", "own", ""), env)) {
            b.save(Handle.config(), Source.of(new byte[] {1}));
        }
    }

    @Test
    void profilesFromTheCredentialsFile() throws IOException {
        Map<String, String> env = server.env();
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("credentials", "");
        try {
            java.nio.file.Files.writeString(file, "[default]\naws_access_key_id = nobody\naws_secret_access_key = nothing1\n"
                    + "[backup]\naws_access_key_id = " + S3ProxyServer.ACCESS_KEY + "\naws_secret_access_key = "
                    + S3ProxyServer.SECRET_KEY + "\n");
            env.put("AWS_SHARED_CREDENTIALS_FILE", file.toString());
            try (Backend b = Backends.create(server.location("creds", "profile", "profile=backup"), env)) {
                b.save(Handle.config(), Source.of(new byte[] {1}));
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void noCredentialsAtAllIsAClearError() throws IOException {
        Map<String, String> env = Map.of("AWS_EC2_METADATA_DISABLED", "true", "HOME", "/nonexistent");
        try (Backend b = Backends.open(server.location("creds", "none", ""), env)) {
            assertThatThrownBy(() -> b.stat(Handle.config()))
                    .isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("no S3 credentials found").hasMessageContaining("AWS_ACCESS_KEY_ID");
        }
    }

    @Test
    void anUnreachableServerIsTransient() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        S3Config config = S3Config.parse(URI.create("s3+http://127.0.0.1:" + closedPort + "/down/v"), server.env());
        try (S3Backend b = S3Backend.open(config, server.env())) {
            assertThatThrownBy(() -> b.stat(Handle.config())).isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort);
            assertThatThrownBy(() -> b.save(pack(), Source.of(new byte[10]))).isInstanceOf(TransientBackendException.class);
        }
    }

    private static void assertNoSecret(Throwable e, Map<String, String> env) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            for (String secret : S3Credentials.secrets(env)) {
                assertThat(trace.toString()).as("no credential in messages").doesNotContain(secret);
            }
        }
    }
}
