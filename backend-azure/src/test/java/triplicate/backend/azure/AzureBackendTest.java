package triplicate.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.ContentMd5;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.backend.wrap.RetryingBackend;
import triplicate.core.FileType;

/** What the Azure backend does beyond the plain contract, against a real server (Azurite on loopback). */
@ExtendWith(AzuriteServer.Shared.class)
class AzureBackendTest {
    private static final int MIB = 1 << 20;
    private final AzuriteServer server;
    private final Random random = new Random(42);

    AzureBackendTest(AzuriteServer server) {
        this.server = server;
    }

    private AzureBackend backend(String container, String options, Recorder recorder) throws IOException {
        return backend(container, options, recorder, server.env());
    }

    private AzureBackend backend(String container, String options, Recorder recorder, Map<String, String> env)
            throws IOException {
        AzureConfig config = AzureConfig.parse(URI.create(server.location(container, "v/" + UUID.randomUUID(),
                options)), env);
        AzureBackend b = new AzureBackend(config, env, recorder == null ? List.of() : List.of(recorder));
        b.ensureContainer();
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

    private static String md5(byte[] b) {
        return ContentMd5.header(ByteBuffer.wrap(b));
    }

    @Test
    void theServiceRefusesOverwritesItselfWithoutAnExtraRequest() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("conditional", "", rec)) {
            Handle h = pack();
            byte[] first = bytes(1000);
            rec.requests.clear();
            b.save(h, Source.of(first));
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(1000)))).isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessageContaining(h.name());

            assertThat(rec.operations()).containsExactly("PutBlob", "PutBlob");
            assertThat(rec.requests).allSatisfy(r -> {
                assertThat(r.header("If-None-Match")).isEqualTo("*");
                assertThat(r.header("Content-MD5")).isNotNull();
            });
            assertThat(rec.requests.get(0).header("Content-MD5")).isEqualTo(md5(first));
            assertThat(b.load(h)).isEqualTo(first);
        }
    }

    @Test
    void anUploadWhoseAnswerIsLostWithItsConnectionIsDoneNotAConflict() throws IOException {
        Recorder rec = new Recorder();
        AtomicInteger puts = new AtomicInteger();
        rec.loseAnswerIf = r -> r.is("PutBlob") && puts.incrementAndGet() == 1;
        try (AzureBackend b = backend("conditional", "", rec)) {
            Handle h = pack();
            byte[] data = bytes(2000);
            b.save(h, Source.of(data)); // stored by the first attempt; the second meets it

            assertThat(b.load(h)).isEqualTo(data);
            assertThat(rec.count("PutBlob")).isEqualTo(2);
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(2000)))).as("a real conflict is still one")
                    .isInstanceOf(FileAlreadyExistsException.class);
        }
    }

    @Test
    void largeFilesGoUpInBlocksEachRetriedOnItsOwn() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("blocks", "block-size=1&block-threshold=1", rec)) {
            byte[] data = bytes(3 * MIB + 12345); // blocks of 1, 1, 1 MiB and 12345 bytes
            AtomicInteger block2 = new AtomicInteger();
            rec.breakIf = r -> r.block() == 2 && block2.incrementAndGet() == 1; // block 2 fails once
            Handle h = pack();
            b.save(h, Source.of(data));

            assertThat(rec.count("PutBlock")).as("4 blocks, one sent twice").isEqualTo(5);
            assertThat(rec.count("PutBlob")).isZero();
            assertThat(rec.of("PutBlock")).allSatisfy(r -> assertThat(r.header("Content-MD5")).isNotNull());
            assertThat(rec.of("PutBlock").get(0).header("Content-MD5"))
                    .isEqualTo(md5(Arrays.copyOfRange(data, 0, MIB)));
            assertThat(rec.of("PutBlockList")).singleElement().satisfies(r -> {
                assertThat(r.header("If-None-Match")).isEqualTo("*");
                assertThat(r.header("x-ms-blob-content-md5")).as("the whole file's MD5").isEqualTo(md5(data));
            });
            assertThat(b.load(h)).isEqualTo(data);
            assertThat(b.stat(h)).isEqualTo(new FileInfo(h.name(), data.length));

            var stored = server.client().getBlobContainerClient("blocks").getBlobClient(b.blobName(h));
            assertThat(stored.getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).hasSize(4);
            assertThat(Base64.getEncoder().encodeToString(stored.getProperties().getContentMd5())).isEqualTo(md5(data));

            assertThatThrownBy(() -> b.save(h, Source.of(bytes(2 * MIB))))
                    .as("a block upload never overwrites either").isInstanceOf(FileAlreadyExistsException.class);
            assertThat(b.load(h)).isEqualTo(data);
        }
    }

    @Test
    void aBlockThatKeepsFailingLeavesNothingVisible() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("blocks", "block-size=1&block-threshold=1", rec)) {
            rec.breakIf = r -> r.block() == 3;
            Handle h = pack();
            assertThatThrownBy(() -> b.save(h, Source.of(bytes(3 * MIB + 5))))
                    .isInstanceOf(TransientBackendException.class).hasMessageContaining("block 3");
            assertThat(rec.count("PutBlockList")).isZero();
            assertThat(b.exists(h)).isFalse();
            assertThat(b.list(FileType.PACK)).isEmpty();

            rec.breakIf = r -> false;
            byte[] data = bytes(3 * MIB + 5);
            b.save(h, Source.of(data));
            assertThat(b.load(h)).isEqualTo(data);
        }
    }

    @Test
    void bytesDamagedOnTheWayAreRefusedByTheServiceThroughContentMd5() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("integrity", "block-size=1&block-threshold=1", rec)) {
            AtomicInteger damaged = new AtomicInteger();
            rec.damageIf = r -> r.block() == 2 && damaged.incrementAndGet() == 1;
            Handle large = pack();
            byte[] data = bytes(2 * MIB + 100);
            b.save(large, Source.of(data));
            assertThat(rec.of("PutBlock")).as("block 2 refused once, then sent again").hasSize(4);
            assertThat(b.load(large)).isEqualTo(data);

            rec.damageIf = r -> r.is("PutBlob");
            Handle small = pack();
            assertThatThrownBy(() -> b.save(small, Source.of(bytes(5000))))
                    .as("worth retrying: the source is read again").isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("Md5Mismatch");
            assertThat(b.exists(small)).isFalse();
        }
    }

    @Test
    void onlyDataPacksGetTheAccessTier() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("tiers", "access-tier=cool&block-size=1&block-threshold=1", rec)) {
            Handle small = pack();
            Handle large = pack();
            b.save(small, Source.of(bytes(100)));
            b.save(large, Source.of(bytes(MIB + 1)));
            List<Handle> hot = List.of(new Handle(FileType.INDEX, "ab".repeat(32)),
                    new Handle(FileType.SNAPSHOT, "cd".repeat(32)), new Handle(FileType.KEY, "ef".repeat(32)),
                    Handle.config());
            for (Handle h : hot) {
                b.save(h, Source.of(bytes(100)));
            }

            List<Recorder.Request> writes = new ArrayList<>(rec.of("PutBlob"));
            writes.addAll(rec.of("PutBlockList"));
            assertThat(writes).hasSize(6);
            assertThat(writes).filteredOn(r -> r.header("x-ms-access-tier") != null).hasSize(2)
                    .allSatisfy(r -> assertThat(r.header("x-ms-access-tier")).isEqualTo("Cool"));

            var stored = server.client().getBlobContainerClient("tiers");
            for (Handle h : List.of(small, large)) {
                assertThat(stored.getBlobClient(b.blobName(h)).getProperties().getAccessTier()).isEqualTo(AccessTier.COOL);
            }
            for (Handle h : hot) {
                BlobProperties p = stored.getBlobClient(b.blobName(h)).getProperties();
                assertThat(p.getAccessTier()).as("%s", h).isNotEqualTo(AccessTier.COOL);
            }
        }
    }

    @Test
    void blobsLiveUnderThePrefixInFoldersByType() throws IOException {
        try (AzureBackend b = backend("layout", "", null)) {
            String name = "12".repeat(32);
            assertThat(b.blobName(Handle.config())).isEqualTo(b.config().prefix() + "config");
            assertThat(b.blobName(new Handle(FileType.PACK, name))).isEqualTo(b.config().prefix() + "data/" + name);
            assertThat(b.blobName(new Handle(FileType.SNAPSHOT, name))).isEqualTo(b.config().prefix() + "snapshots/" + name);
            assertThat(b.config().prefix()).startsWith("v/").endsWith("/");
            b.save(new Handle(FileType.INDEX, name), Source.of(new byte[] {1, 2, 3}));
            assertThat(server.blobs("layout", b.config().prefix())).containsExactly(b.config().prefix() + "index/" + name);
        }
    }

    @Test
    void aReadIsOneStreamedRequestForTheRangeAskedFor() throws IOException {
        Recorder rec = new Recorder();
        try (AzureBackend b = backend("reads", "", rec)) {
            Handle h = pack();
            byte[] data = bytes(9 * MIB + 1000);
            b.save(h, Source.of(data));

            rec.requests.clear();
            assertThat(b.load(h)).isEqualTo(data);
            assertThat(rec.of("GetBlob")).singleElement().satisfies(r -> assertThat(r.header("x-ms-range")).isNull());

            rec.requests.clear();
            assertThat(b.load(h, 5 * MIB, 100)).isEqualTo(Arrays.copyOfRange(data, 5 * MIB, 5 * MIB + 100));
            assertThat(rec.of("GetBlob")).singleElement()
                    .satisfies(r -> assertThat(r.header("x-ms-range")).isEqualTo("bytes=" + (5 * MIB) + "-" + (5 * MIB + 99)));

            rec.requests.clear();
            try (InputStream in = b.open(h, data.length - 10, -1)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
            }
            assertThat(rec.of("GetBlob")).singleElement()
                    .satisfies(r -> assertThat(r.header("x-ms-range")).isEqualTo("bytes=" + (data.length - 10) + "-"));

            try (InputStream in = b.open(h, 0, -1)) {
                assertThat(in.readNBytes(10)).as("closing early drops the rest").isEqualTo(Arrays.copyOf(data, 10));
            }
            assertThatThrownBy(() -> b.open(pack(), 0, -1)).isInstanceOf(NoSuchFileException.class);
            assertThat(b.load(h, 0, 10)).as("the connection pool is still fine").isEqualTo(Arrays.copyOf(data, 10));
        }
    }

    @Test
    void ofConcurrentBlockUploadsOfOneNameExactlyOneWins() throws Exception {
        try (AzureBackend b = backend("race", "block-size=1&block-threshold=1&connections=2", null)) {
            for (int round = 0; round < 3; round++) {
                Handle h = pack();
                int writers = 4;
                List<byte[]> contents = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    contents.add(bytes(2 * MIB + 1000 + i));
                }
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(writers);
                try {
                    List<Future<Integer>> results = new ArrayList<>();
                    for (int i = 0; i < writers; i++) {
                        int writer = i;
                        results.add(pool.submit(() -> {
                            start.await();
                            b.save(h, Source.of(contents.get(writer)));
                            return writer;
                        }));
                    }
                    start.countDown();
                    List<Integer> winners = new ArrayList<>();
                    for (Future<Integer> f : results) {
                        try {
                            winners.add(f.get());
                        } catch (java.util.concurrent.ExecutionException e) {
                            assertThat(e.getCause()).isInstanceOfAny(FileAlreadyExistsException.class,
                                    TransientBackendException.class);
                        }
                    }
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(b.load(h)).isEqualTo(contents.get(winners.get(0)));
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void initCreatesAMissingContainerAndOpenNamesAMissingOne() throws IOException {
        String container = "fresh-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String location = server.location(container, "vault", "");
        try (Backend opened = Backends.open(location, server.env())) {
            assertThatThrownBy(() -> opened.load(Handle.config()))
                    .hasMessageContaining("the container \"" + container + "\" does not exist")
                    .hasMessageContaining(AzuriteServer.ACCOUNT)
                    .hasMessageContaining("triplicate init")
                    .isNotInstanceOf(TransientBackendException.class);
            assertThatThrownBy(() -> opened.list(FileType.PACK)).hasMessageContaining("does not exist");
        }
        try (Backend created = Backends.create(location, server.env())) {
            assertThat(created).isInstanceOf(RetryingBackend.class);
            assertThat(created.parallelism()).isEqualTo(AzureConfig.DEFAULT_CONNECTIONS);
            created.save(Handle.config(), Source.of(new byte[] {7}));
        }
        try (Backend again = Backends.create(location, server.env()); Backend opened = Backends.open(location, server.env())) {
            assertThat(opened.load(Handle.config())).containsExactly(7);
            assertThat(again.exists(Handle.config())).as("an existing container is used as it is").isTrue();
        }
        assertThat(server.blobs(container, "")).containsExactly("vault/config");
    }

    @Test
    void aWrongKeyFailsFastNamingTheAccountAndNeverTheKey() throws IOException {
        Map<String, String> env = server.env();
        env.put("AZURE_STORAGE_KEY", Base64.getEncoder().encodeToString("not the key, but secret too 0123".getBytes()));
        String location = server.location("creds", "v", "");
        try (Backend b = Backends.open(location, env)) {
            for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                    () -> b.list(FileType.KEY), () -> b.stat(Handle.config()), () -> b.load(Handle.config()),
                    () -> b.save(Handle.config(), Source.of(new byte[1])))) {
                assertThatThrownBy(call)
                        .isNotInstanceOf(TransientBackendException.class)
                        .hasMessageContaining(location)
                        .hasMessageContaining("the storage account \"" + AzuriteServer.ACCOUNT + "\" refused the key")
                        .hasMessageContaining("AZURE_STORAGE_KEY")
                        .satisfies(e -> assertNoSecret(e, env));
            }
        }
        env.put("AZURE_STORAGE_ACCOUNT", "someotheraccount");
        assertThatThrownBy(() -> Backends.open(location, env)).hasMessageContaining("\"someotheraccount\"")
                .hasMessageContaining("the location names the account \"" + AzuriteServer.ACCOUNT + "\"");
    }

    @Test
    void accountSasTokensWorkAndTheirFailuresAreExplained() throws IOException {
        BlobServiceClient admin = server.client();
        String sas = admin.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("racwdl"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        Map<String, String> env = Map.of("AZURE_STORAGE_SAS_TOKEN", "?" + sas);
        String container = "sas-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String location = server.location(container, "v", "");
        try (Backend b = Backends.create(location, env)) {
            Handle h = pack();
            b.save(h, Source.of(new byte[] {1, 2, 3}));
            assertThat(b.load(h)).containsExactly(1, 2, 3);
            assertThat(b.list(FileType.PACK)).containsExactly(new FileInfo(h.name(), 3));
            b.remove(h);
            assertThat(b.exists(h)).isFalse();
        }

        String expired = admin.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().minusHours(1),
                AccountSasPermission.parse("racwdl"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        Map<String, String> expiredEnv = Map.of("AZURE_STORAGE_SAS_TOKEN", expired);
        try (Backend b = Backends.open(location, expiredEnv)) {
            assertThatThrownBy(() -> b.list(FileType.SNAPSHOT)).isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("SAS token").hasMessageContaining("expired")
                    .satisfies(e -> assertNoSecret(e, expiredEnv));
        }

        String readOnly = admin.generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rl"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        Map<String, String> readOnlyEnv = Map.of("AZURE_STORAGE_SAS_TOKEN", readOnly);
        try (Backend b = Backends.open(location, readOnlyEnv)) {
            assertThat(b.list(FileType.PACK)).isEmpty();
            assertThatThrownBy(() -> b.save(pack(), Source.of(new byte[10]))).isNotInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("lacks a permission").hasMessageContaining("sp=racwdl")
                    .satisfies(e -> assertNoSecret(e, readOnlyEnv));
        }
    }

    @Test
    void aSasTokenWithoutDeleteIsAppendOnlyAndRefusedDeletesSaySo() throws IOException {
        String sas = server.client().generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("racwl"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        Map<String, String> env = Map.of("AZURE_STORAGE_SAS_TOKEN", sas);
        String container = "append-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        try (Backend b = Backends.create(server.location(container, "v", ""), env)) {
            Handle h = pack();
            b.save(h, Source.of(new byte[] {4, 5, 6}));
            assertThatThrownBy(() -> b.remove(h)).isInstanceOf(java.nio.file.AccessDeniedException.class)
                    .hasMessageContaining("may not delete").hasMessageContaining("append-only")
                    .satisfies(e -> assertNoSecret(e, env));
            assertThat(b.load(h)).containsExactly(4, 5, 6);
        }
    }

    @Test
    void aContainerSasTokenCannotCreateItsContainerAndSaysSo() throws IOException {
        String existing = "csas-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        server.client().createBlobContainer(existing);
        var sasFor = (java.util.function.Function<String, String>) name -> server.client().getBlobContainerClient(name)
                .generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                        BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> env = Map.of("AZURE_STORAGE_SAS_TOKEN", sasFor.apply(existing));
        try (Backend b = Backends.create(server.location(existing, "v", ""), env)) {
            b.save(Handle.config(), Source.of(new byte[] {9}));
            assertThat(b.load(Handle.config())).containsExactly(9);
        }

        String missing = "csas-missing-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        Map<String, String> missingEnv = Map.of("AZURE_STORAGE_SAS_TOKEN", sasFor.apply(missing));
        assertThatThrownBy(() -> Backends.create(server.location(missing, "v", ""), missingEnv))
                .isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("the container \"" + missing + "\" does not exist")
                .hasMessageContaining("may not create it")
                .satisfies(e -> assertNoSecret(e, missingEnv));
    }

    @Test
    void aConnectionStringPointsTheBareFormAtItsEndpoint() throws IOException {
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", server.connectionString());
        String location = "azure://" + AzuriteServer.ACCOUNT + "/connstr/vault";
        try (Backend b = Backends.create(location, env)) {
            assertThat(b.location()).isEqualTo(location);
            b.save(Handle.config(), Source.of(new byte[] {4}));
        }
        assertThat(server.blobs("connstr", "vault/")).containsExactly("vault/config");

        assertThatThrownBy(() -> Backends.open("azure://otheraccount/connstr/vault", env))
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING is for the storage account \""
                        + AzuriteServer.ACCOUNT + "\"")
                .satisfies(e -> assertNoSecret(e, env));
    }

    @Test
    void noCredentialsAtAllIsAClearError() {
        assertThatThrownBy(() -> Backends.open(server.location("creds", "none", ""), Map.of()))
                .isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("no Azure credentials found").hasMessageContaining("AZURE_STORAGE_KEY")
                .hasMessageContaining("AZURE_STORAGE_SAS_TOKEN").hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
    }

    @Test
    void theSdksRequestLogHoldsNoCredential() throws IOException {
        String log = System.getProperty("triplicate.sdk.log");
        org.junit.jupiter.api.Assumptions.assumeTrue(log != null, "run through Maven, which sends the SDK's log to a file");
        Map<String, String> env = server.env();
        env.put("AZURE_HTTP_LOG_DETAIL_LEVEL", "headers");
        String sas = server.client().generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("racwdl"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco")));
        Map<String, String> sasEnv = Map.of("AZURE_STORAGE_SAS_TOKEN", sas, "AZURE_HTTP_LOG_DETAIL_LEVEL", "headers");
        String location = server.location("logs", "v-" + UUID.randomUUID(), "");
        try (Backend b = Backends.create(location, env)) {
            b.save(Handle.config(), Source.of(new byte[] {1}));
        }
        try (Backend b = Backends.open(location, sasEnv)) {
            assertThat(b.load(Handle.config())).containsExactly(1);
        }
        Map<String, String> wrong = new java.util.HashMap<>(env);
        wrong.put("AZURE_STORAGE_KEY", Base64.getEncoder().encodeToString("a wrong key, logged nowhere".getBytes()));
        try (Backend b = Backends.open(location, wrong)) {
            assertThatThrownBy(() -> b.load(Handle.config())).isInstanceOf(IOException.class);
        }
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(log));
        assertThat(text).as("the SDK logged the requests").contains("HttpLoggingPolicy");
        List<String> secrets = new ArrayList<>(AzureCredentials.secrets(env));
        secrets.addAll(AzureCredentials.secrets(sasEnv));
        secrets.addAll(AzureCredentials.secrets(wrong));
        assertThat(secrets).contains(AzuriteServer.KEY);
        for (String secret : secrets) {
            assertThat(text).as("credentials in the SDK's log").doesNotContain(secret);
        }
    }

    @Test
    void anUnreachableServerIsTransient() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String location = "azure+http://127.0.0.1:" + closedPort + "/" + AzuriteServer.ACCOUNT + "/down/v";
        try (AzureBackend b = AzureBackend.open(AzureConfig.parse(URI.create(location), server.env()), server.env())) {
            assertThatThrownBy(() -> b.stat(Handle.config())).isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort);
            assertThatThrownBy(() -> b.save(pack(), Source.of(new byte[10]))).isInstanceOf(TransientBackendException.class);
            assertThatThrownBy(() -> b.list(FileType.PACK)).isInstanceOf(TransientBackendException.class);
        }
    }

    private static void assertNoSecret(Throwable e, Map<String, String> env) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        List<String> secrets = AzureCredentials.secrets(env);
        assertThat(secrets).isNotEmpty();
        for (String secret : secrets) {
            assertThat(trace.toString()).as("no credential in messages").doesNotContain(secret);
        }
    }
}
