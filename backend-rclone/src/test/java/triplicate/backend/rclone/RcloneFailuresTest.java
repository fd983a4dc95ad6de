package triplicate.backend.rclone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import triplicate.backend.TransientBackendException;

/**
 * How rclone's error texts (from the services' rclone backends, as rclone 1.60 words them) become permanent failures
 * with a hint, or transient ones; and that no message shows a known secret.
 */
class RcloneFailuresTest {
    private final RcloneFailures failures = new RcloneFailures(
            RcloneLocation.parse(URI.create("rclone:gdrive:Backups/vault")),
            new RcloneLauncher(Path.of("/usr/bin/rclone"), Map.of("RCLONE_CONFIG", "/home/ann/rclone.conf",
                    "RCLONE_CONFIG_GDRIVE_TOKEN", "tok-3x4mple"), List.of("tok-3x4mple"), null));

    private IOException refused(String error) {
        return failures.refused(500, error, "save", "data/abcd");
    }

    @Test
    void errorsThatNeedAPersonFailAtOnceWithWhatToDo() {
        IOException token = refused("couldn't fetch token - maybe it has expired? - refresh with \"rclone config"
                + " reconnect gdrive:\": oauth2: cannot fetch token: 400 Bad Request Response: {\"error\": \"invalid_grant\"}");
        assertThat(token).isNotInstanceOf(TransientBackendException.class)
                .hasMessageStartingWith("rclone:gdrive:Backups/vault: cannot save data/abcd: ")
                .hasMessageContaining("rclone config reconnect gdrive:");

        assertThat(refused("googleapi: Error 403: The user's Drive storage quota has been exceeded., storageQuotaExceeded"))
                .isNotInstanceOf(TransientBackendException.class).hasMessageContaining("full or over its quota");
        assertThat(refused("open /mnt/x/data/ab/.tmp-1: permission denied"))
                .isNotInstanceOf(TransientBackendException.class).hasMessageContaining("refused permission");
        assertThat(refused("write /mnt/x/data/ab/.tmp-1: no space left on device"))
                .isNotInstanceOf(TransientBackendException.class).hasMessageContaining("full");

        IOException remote = failures.refused(500, "didn't find section in config file", "reach", "the remote");
        assertThat(remote).isNotInstanceOf(TransientBackendException.class)
                .hasMessage("rclone:gdrive:Backups/vault: rclone has no remote named \"gdrive\" in the config file"
                        + " RCLONE_CONFIG names (/home/ann/rclone.conf); add it with 'rclone config', or check the name"
                        + " with 'rclone listremotes' (see docs/backends/rclone.md)");
        assertThat(failures.refused(404, "couldn't find method \"operations/stat\"", "read the size of", "config"))
                .isNotInstanceOf(TransientBackendException.class).hasMessageContaining("too old");
    }

    @Test
    void everythingElseIsRetriedRateLimitsIncluded() {
        for (String error : List.of(
                "googleapi: Error 403: User Rate Limit Exceeded. Rate of requests for user exceed configured project"
                        + " quota., userRateLimitExceeded",
                "too_many_requests/..: Too many requests or write operations. Trying again in 15 seconds.",
                "Post \"https://www.googleapis.com/upload/drive/v3/files\": dial tcp: lookup www.googleapis.com: no"
                        + " such host",
                "read tcp 10.0.0.2:50512->142.250.1.95:443: read: connection reset by peer",
                "")) {
            assertThat(refused(error)).as(error).isInstanceOf(TransientBackendException.class)
                    .hasMessageContaining("rclone reported an error");
        }
    }

    @Test
    void knownSecretsAreMasked() {
        failures.secret("rc-password-0123456789");
        assertThat(refused("token tok-3x4mple rejected; rc-password-0123456789").getMessage())
                .doesNotContain("tok-3x4mple").doesNotContain("rc-password-0123456789").contains("token *** rejected");
    }

    @Test
    void onlyRclonesNotFoundAnswersMeanMissing() {
        assertThat(RcloneFailures.notFound(404, "object not found")).isTrue();
        assertThat(RcloneFailures.notFound(404, "failed to find object: object not found")).isTrue();
        assertThat(RcloneFailures.notFound(404, "error in ListJSON: directory not found")).isTrue();
        assertThat(RcloneFailures.notFound(404, "failed to find object: couldn't list directory: 500 Backend Error"))
                .isFalse();
        assertThat(RcloneFailures.notFound(500, "object not found")).isFalse();
    }
}
