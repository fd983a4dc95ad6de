package triplicate.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import triplicate.backend.Handle;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * How service answers become the contract's exceptions, for the answers a test server cannot be made to give:
 * throttling, server errors, clock skew, archived blobs, refused tiers, a storage account that does not exist.
 */
class AzureFailuresTest {
    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtcGhvdG9zLWFjY291bnQ=";
    private final AzureConfig config = AzureConfig.parse(URI.create("azure://photos/vault/alice?access-tier=cold"), Map.of());
    private final AzureFailures failures = new AzureFailures(config,
            new AzureCredentials.AccountKey("photos", KEY, "AZURE_STORAGE_KEY"), List.of(KEY));
    private final Handle pack = new Handle(FileType.PACK, "ab".repeat(32));

    /** An answer of the service, as the SDK makes it into an exception (the error document is its message). */
    static BlobStorageException answer(int status, String code, String message) {
        HttpHeaders headers = new HttpHeaders();
        if (code != null) {
            headers.set("x-ms-error-code", code);
        }
        HttpResponse response = new HttpResponse(new HttpRequest(HttpMethod.PUT, "https://photos.blob.core.windows.net/x")) {
            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            public String getHeaderValue(String name) {
                return headers.getValue(name);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<ByteBuffer> getBody() {
                return Flux.empty();
            }

            @Override
            public Mono<byte[]> getBodyAsByteArray() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString(java.nio.charset.Charset charset) {
                return Mono.empty();
            }
        };
        String body = message == null ? "Status code " + status + ", (empty body)"
                : "Status code " + status + ", \"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code
                + "</Code><Message>" + message + "\nRequestId:1a2b\nTime:2026-11-22T10:00:00Z</Message></Error>\"";
        return new BlobStorageException(body, response, null);
    }

    private IOException map(int status, String code) {
        return failures.map(answer(status, code, "the service said so"), "saving", pack);
    }

    @Test
    void serverErrorsThrottlingAndTimeOutsAreTransient() {
        assertThat(map(500, "InternalError")).isInstanceOf(TransientBackendException.class);
        assertThat(map(502, null)).isInstanceOf(TransientBackendException.class);
        assertThat(map(503, "ServerBusy")).isInstanceOf(TransientBackendException.class)
                .hasMessageContaining("HTTP 503 ServerBusy: the service said so");
        assertThat(map(500, "OperationTimedOut")).isInstanceOf(TransientBackendException.class);
        assertThat(map(429, null)).isInstanceOf(TransientBackendException.class);
        assertThat(map(408, null)).isInstanceOf(TransientBackendException.class);
        assertThat(map(400, "Md5Mismatch")).as("damaged on the way: sent again").isInstanceOf(TransientBackendException.class);
        assertThat(failures.map(new UncheckedIOException(new java.net.SocketException("Connection reset")), "reading", pack))
                .isInstanceOf(TransientBackendException.class).hasMessageContaining("Connection reset")
                .hasMessageContaining("https://photos.blob.core.windows.net");
        assertThat(failures.map(new RuntimeException(new java.net.http.HttpTimeoutException("request timed out")),
                "reading", pack)).isInstanceOf(TransientBackendException.class).hasMessageContaining("timed out");
        assertThat(failures.map(new RuntimeException(new java.util.concurrent.TimeoutException()), "reading", pack))
                .isInstanceOf(TransientBackendException.class);
        assertThat(map(501, null)).isNotInstanceOf(TransientBackendException.class);
    }

    @Test
    void existingAndMissingFilesAndContainers() {
        assertThat(map(409, "BlobAlreadyExists")).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(pack.toString());
        assertThat(map(412, "ConditionNotMet")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(map(404, "BlobNotFound")).isInstanceOf(NoSuchFileException.class);
        assertThat(failures.map(answer(404, null, null), "looking up", pack)).as("a HEAD answer has no body")
                .isInstanceOf(NoSuchFileException.class);
        assertThat(map(404, "ContainerNotFound")).isNotInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("the container \"vault\" does not exist in the storage account \"photos\"")
                .hasMessageContaining("triplicate init");
    }

    @Test
    void refusalsNameTheAccountAndTheLikelyFix() {
        assertThat(failures.map(answer(403, "AuthenticationFailed", "Server failed to authenticate the request."),
                "reading", pack)).isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("azure://photos/vault/alice: reading data/" + "ab".repeat(32) + " failed")
                .hasMessageContaining("the storage account \"photos\" refused the key from AZURE_STORAGE_KEY")
                .hasMessageContaining("clock");
        BlobStorageException skew = answer(403, "AuthenticationFailed", "Server failed to authenticate the request.");
        skew = new BlobStorageException(skew.getMessage().replace("</Message>",
                "</Message><AuthenticationErrorDetail>Request date header too old: 'Sat, 21 Nov 2026'"
                        + "</AuthenticationErrorDetail>"), skew.getResponse(), null);
        assertThat(failures.map(skew, "reading", pack)).hasMessageContaining("this computer's clock is too far");
        assertThat(map(403, "AuthorizationPermissionMismatch")).hasMessageContaining("lacks a permission")
                .hasMessageContaining("\"photos\"");
        assertThat(map(403, "AccountIsDisabled")).hasMessageContaining("is disabled");
        assertThat(map(409, "BlobArchived")).hasMessageContaining("Archive access tier").hasMessageContaining("rehydrated");
        assertThat(map(400, "InvalidBlobTier")).hasMessageContaining("refused the access tier Cold")
                .hasMessageContaining("remove access-tier");

        AzureFailures sas = new AzureFailures(config, new AzureCredentials.SasToken("sp=r&sig=abcd", "AZURE_STORAGE_SAS_TOKEN"),
                List.of("sp=r&sig=abcd"));
        BlobStorageException expired = answer(403, "AuthenticationFailed", "Server failed to authenticate the request.");
        expired = new BlobStorageException(expired.getMessage().replace("</Message>",
                "</Message><AuthenticationErrorDetail>Signature not valid in the specified time frame: Start"
                        + " [Sat, 21 Nov 2026] - Expiry [Sat, 21 Nov 2026] - Current [Sun, 22 Nov 2026]"
                        + "</AuthenticationErrorDetail>"), expired.getResponse(), null);
        assertThat(sas.map(expired, "listing", null)).hasMessageContaining("the SAS token (from AZURE_STORAGE_SAS_TOKEN)"
                + " has expired or is not valid yet");
        assertThat(sas.map(answer(403, "AuthorizationResourceTypeMismatch", "no"), "listing", null))
                .hasMessageContaining("srt=co");
    }

    @Test
    void aHostThatCannotBeFoundIsAMissingAccountUntilTheServiceHasAnswered() {
        RuntimeException dns = new UncheckedIOException(new java.net.UnknownHostException("photos.blob.core.windows.net"));
        assertThat(failures.map(dns, "reading", pack)).isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("there is no storage account \"photos\"");
        failures.reached();
        assertThat(failures.map(dns, "reading", pack)).isInstanceOf(TransientBackendException.class);
    }

    @Test
    void secretsAreMaskedAndNeverChained() {
        IOException e = failures.map(answer(400, "InvalidHeaderValue", "bad value " + KEY), "saving", pack);
        assertThat(e).hasMessageContaining("bad value ***").hasMessageNotContaining(KEY);
        assertThat(e.getCause()).as("a cause carrying the secret is dropped").isNull();
        IOException io = failures.map(new UncheckedIOException(new IOException("broken near " + KEY)), "saving", pack);
        assertThat(io).hasMessageNotContaining(KEY).hasNoCause();
    }
}
