package triplicate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import triplicate.config.ConfigFile;
import triplicate.crypto.Password;

/**
 * The options of {@code verify} and {@code heal} for a vault that is not one of the library's targets: {@code --vault}
 * and its password. Such a vault is used when {@code --vault} is given, or when no target is named, the library's
 * config has no targets and $TRIPLICATE_VAULT is set (the vault every vault command falls back to).
 */
final class VaultForm {
    @Option(names = "--vault", paramLabel = "URI", description = {"A vault that is not one of the library's targets:"
        + " a folder path or a URI. Default, when the config has no targets: $TRIPLICATE_VAULT."})
    String vault;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "The --vault's password, read from FILE. Else $TRIPLICATE_PASSWORD_FILE, $TRIPLICATE_PASSWORD, or a prompt.")
    Path passwordFile;

    /** The vault to use instead of the library's targets, or null to use the targets. */
    String location(Context ctx, Path library, String target, picocli.CommandLine command) {
        if (vault != null) {
            if (target != null) {
                throw new picocli.CommandLine.ParameterException(command, "name a target or give --vault, not both");
            }
            return vault;
        }
        String env = ctx.env().get("TRIPLICATE_VAULT");
        if (target != null || env == null || env.isBlank()) {
            return null;
        }
        boolean targets = Files.exists(ConfigFile.pathOf(library)) && !ConfigFile.load(library).targets().isEmpty();
        return targets ? null : env;
    }

    /** {@code --vault}, else $TRIPLICATE_VAULT, else null. */
    String vaultGiven(Context ctx) {
        String env = ctx.env().get("TRIPLICATE_VAULT");
        return vault != null ? vault : env == null || env.isBlank() ? null : env;
    }

    Password password(Context ctx, String location) {
        return new Passwords(ctx.env()).get(passwordFile, "TRIPLICATE_PASSWORD", "Password for " + location, false);
    }
}
