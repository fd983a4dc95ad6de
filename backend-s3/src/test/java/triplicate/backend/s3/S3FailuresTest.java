package triplicate.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import triplicate.backend.Handle;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * How service answers become the contract's exceptions, for the answers a test server cannot be made to give:
 * throttling, clock skew, expired tokens, a wrong region, denied permissions.
 */
class S3FailuresTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private final S3Config config = S3Config.parse(URI.create("s3://photo-vault/alice?region=eu-west-1"), Map.of());
    private final S3Failures failures = new S3Failures(config, List.of(SECRET, "AKIAIOSFODNN7EXAMPLE"));
    private final Handle pack = new Handle(FileType.PACK, "ab".repeat(32));

    private static S3Exception answer(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private IOException map(int status, String code) {
        return failures.map(answer(status, code, "the service said so"), "saving", pack);
    }

    @Test
    void serverErrorsThrottlingAndTimeOutsAreTransient() {
        assertThat(map(500, "InternalError")).isInstanceOf(TransientBackendException.class);
        assertThat(map(502, "")).isInstanceOf(TransientBackendException.class);
        assertThat(map(503, "SlowDown")).isInstanceOf(TransientBackendException.class);
        assertThat(map(429, "TooManyRequests")).isInstanceOf(TransientBackendException.class);
        assertThat(map(400, "RequestTimeout")).isInstanceOf(TransientBackendException.class);
        assertThat(map(409, "ConditionalRequestConflict")).isInstanceOf(TransientBackendException.class);
        assertThat(failures.map(ApiCallAttemptTimeoutException.create(1000), "reading", pack))
                .isInstanceOf(TransientBackendException.class);
        assertThat(failures.map(SdkClientException.create("Unable to execute HTTP request",
                new java.net.SocketException("Connection reset")), "reading", pack))
                .isInstanceOf(TransientBackendException.class).hasMessageContaining("Connection reset");
    }

    @Test
    void refusalsArePermanentAndNameTheFix() {
        assertThat(map(403, "RequestTimeTooSkewed")).isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("s3://photo-vault/alice").hasMessageContaining("clock");
        assertThat(map(403, "InvalidAccessKeyId")).hasMessageContaining("access key id is not known");
        assertThat(map(403, "SignatureDoesNotMatch")).hasMessageContaining("secret key does not fit");
        assertThat(map(400, "ExpiredToken")).hasMessageContaining("session token");
        assertThat(map(400, "AuthorizationHeaderMalformed")).hasMessageContaining("?region=");
        assertThat(map(403, "AccessDenied")).isNotInstanceOf(TransientBackendException.class)
                .hasMessageContaining("bucket \"photo-vault\"").hasMessageContaining("s3:PutObject")
                .hasMessageContaining("photo-vault/alice/*");
        assertThat(map(404, "NoSuchBucket")).isNotInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("the bucket \"photo-vault\" does not exist").hasMessageContaining("triplicate init");
        assertThat(map(501, "NotImplemented")).isNotInstanceOf(TransientBackendException.class);
    }

    @Test
    void aRefusedDeleteIsAnAccessDeniedException() {
        // an append-only key (no s3:DeleteObject): forget and prune tell this from other failures by the type
        IOException e = failures.map(answer(403, "AccessDenied", "the service said so"), "removing", pack);
        assertThat(e).isInstanceOf(java.nio.file.AccessDeniedException.class)
                .hasMessageContaining("s3://photo-vault/alice").hasMessageContaining("may not delete")
                .hasMessageContaining("s3:DeleteObject");
        assertThat(map(403, "AccessDenied")).as("saving").isNotInstanceOf(java.nio.file.AccessDeniedException.class);
    }

    @Test
    void missingAndExistingFiles() {
        assertThat(map(404, "NoSuchKey")).isInstanceOf(NoSuchFileException.class).hasMessageContaining(pack.name());
        assertThat(map(404, "")).isInstanceOf(NoSuchFileException.class);
        assertThat(map(412, "PreconditionFailed")).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(pack.name());
    }

    @Test
    void secretsInWhatTheServiceSaidAreMasked() {
        IOException e = failures.map(answer(400, "Weird", "key AKIAIOSFODNN7EXAMPLE secret " + SECRET), "saving", pack);
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("AKIAIOSFODNN7EXAMPLE").contains("***");
        assertThat(e.getCause()).as("a cause holding a secret is dropped").isNull();
    }
}
