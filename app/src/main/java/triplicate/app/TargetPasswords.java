package triplicate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import triplicate.config.Target;
import triplicate.core.TriplicateException;
import triplicate.crypto.Password;

/**
 * The password of a vault target: its {@code password-file} from the config (a path relative to the library, or
 * starting with {@code ~/}), else {@code TRIPLICATE_PASSWORD_FILE}, else {@code TRIPLICATE_PASSWORD}. Passwords are
 * never in the config itself. A file's single trailing newline is ignored (as everywhere).
 */
public final class TargetPasswords {
    private final Path library;
    private final Map<String, String> env;

    public TargetPasswords(Path library, Map<String, String> env) {
        this.library = library.toAbsolutePath().normalize();
        this.env = Map.copyOf(env);
    }

    /** The password for {@code t}; the caller closes it. */
    public Password forTarget(Target t) {
        String file = t.passwordFile();
        // the config's file is relative to the library; the environment's to the current folder, as everywhere
        Path base = library;
        if (file == null) {
            file = env.get("TRIPLICATE_PASSWORD_FILE");
            base = Path.of("").toAbsolutePath();
        }
        if (file != null) {
            Path p = file.equals("~") || file.startsWith("~/") ? Path.of(System.getProperty("user.home") + file.substring(1))
                    : base.resolve(file);
            try {
                return Password.fromUtf8(Files.readAllBytes(p));
            } catch (NoSuchFileException e) {
                throw new TriplicateException("the password file of vault '" + t.name() + "', " + p + ", does not exist");
            } catch (IOException e) {
                throw new TriplicateException("cannot read the password file of vault '" + t.name() + "', " + p + ": "
                        + e.getMessage());
            }
        }
        String value = env.get("TRIPLICATE_PASSWORD");
        if (value != null) {
            return Password.of(value.toCharArray());
        }
        throw new TriplicateException("no password for vault '" + t.name() + "': give it a password-file in the config"
                + " ('triplicate target add … --password-file FILE'), or set TRIPLICATE_PASSWORD_FILE");
    }
}
