package triplicate.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;

/**
 * Finds a password: a file named on the command line, then {@code <PREFIX>_FILE}, then {@code <PREFIX>} in the
 * environment, then a prompt on the terminal. Never from a bare command-line argument (it would show in the
 * process list and the shell history).
 */
final class Passwords {
    private final Map<String, String> env;

    Passwords(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The password of a second vault (the source of {@code copy}, {@code heal --from}, {@code init
     * --copy-chunker-params-from}): {@code file}, else $TRIPLICATE_FROM_PASSWORD_FILE, $TRIPLICATE_FROM_PASSWORD, or a
     * prompt.
     */
    Password ofSecondVault(Path file, String location) {
        return get(file, "TRIPLICATE_FROM_PASSWORD", "Password for " + location, false);
    }

    Password get(Path file, String envPrefix, String prompt, boolean confirm) {
        if (file == null && env.get(envPrefix + "_FILE") != null) {
            file = Path.of(env.get(envPrefix + "_FILE"));
        }
        if (file != null) {
            try {
                return Password.fromUtf8(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new TriplicateException("password file " + file + " does not exist");
            } catch (IOException e) {
                throw new TriplicateException("cannot read password file " + file + ": " + e.getMessage());
            }
        }
        String value = env.get(envPrefix);
        if (value != null) {
            return Password.of(value.toCharArray());
        }
        Console console = System.console();
        if (console == null || !Terminal.isInteractive()) {
            throw new TriplicateException("no password given: use --password-file FILE, or set " + envPrefix
                    + "_FILE or " + envPrefix + " (there is no terminal to ask on)");
        }
        char[] first = console.readPassword("%s: ", prompt);
        if (first == null) {
            throw new TriplicateException("no password entered");
        }
        if (confirm) {
            char[] again = console.readPassword("%s (again): ", prompt);
            boolean same = again != null && Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new TriplicateException("the passwords do not match");
            }
        }
        if (first.length == 0) {
            throw new TriplicateException("an empty password is not allowed");
        }
        return Password.of(first);
    }
}
