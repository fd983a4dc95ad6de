package triplicate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;
import triplicate.app.Vault;
import triplicate.snapshot.Json;

/** Options and helpers shared by the commands that open a vault. */
abstract class BaseCommand implements Callable<Integer> {
    Context ctx;

    @Option(names = "--vault", paramLabel = "URI",
            description = "The vault: a folder path, or a URI. Default: $TRIPLICATE_VAULT.")
    String vault;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from FILE. Else $TRIPLICATE_PASSWORD_FILE, $TRIPLICATE_PASSWORD, or a prompt.")
    Path passwordFile;

    @Option(names = "--json", description = "Print the result as JSON (a stable interface for scripts).")
    boolean json;

    @Option(names = "--limit-upload", paramLabel = "KiB/s", defaultValue = "0",
            description = "Cap the bandwidth used to write to the vault (0: no cap).")
    long limitUpload;

    @Option(names = "--limit-download", paramLabel = "KiB/s", defaultValue = "0",
            description = "Cap the bandwidth used to read from the vault (0: no cap).")
    long limitDownload;

    /** Tests: how often markers in the vault's locks/ folder are refreshed (milliseconds; default one minute). */
    @Option(names = "--heartbeat-ms", hidden = true, paramLabel = "MS")
    Long heartbeatMillis;

    String vaultLocation() {
        String v = vault != null ? vault : ctx.env().get("TRIPLICATE_VAULT");
        if (v == null || v.isBlank()) {
            throw new TriplicateException("no vault given: use --vault PATH-OR-URI or set TRIPLICATE_VAULT");
        }
        return v;
    }

    Password password(String prompt, boolean confirm) {
        return new Passwords(ctx.env()).get(passwordFile, "TRIPLICATE_PASSWORD", prompt, confirm);
    }

    Vault openVault() throws java.io.IOException {
        String loc = vaultLocation();
        try (Password p = password("Password for " + loc, false)) {
            if (limitUpload < 0 || limitDownload < 0) {
                throw new TriplicateException("bandwidth limits are KiB/s and cannot be negative");
            }
            return service().open(loc, p, limitUpload, limitDownload);
        }
    }

    /** The vault use cases, with this command's heartbeat. */
    triplicate.app.VaultService service() {
        if (heartbeatMillis == null) {
            return ctx.service();
        }
        if (heartbeatMillis < 1) {
            throw new TriplicateException("--heartbeat-ms must be positive");
        }
        return ctx.service().withHeartbeat(java.time.Duration.ofMillis(heartbeatMillis));
    }

    /** Opens a second vault to read from (with this command's download cap). */
    Vault openSourceVault(String location, Path passwordFile) throws java.io.IOException {
        try (Password p = new Passwords(ctx.env()).ofSecondVault(passwordFile, location)) {
            if (limitDownload < 0) {
                throw new TriplicateException("bandwidth limits are KiB/s and cannot be negative");
            }
            return ctx.service().open(location, p, 0, limitDownload);
        }
    }

    void printJson(Object value) {
        ctx.out().println(new String(Json.encode(value), java.nio.charset.StandardCharsets.UTF_8));
    }

    boolean showProgress() {
        return !json && Terminal.isInteractive() && !ctx.env().containsKey("TRIPLICATE_NO_PROGRESS");
    }
}
