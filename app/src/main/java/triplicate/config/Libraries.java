package triplicate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import triplicate.core.TriplicateException;

/**
 * Finds the library a command works on: {@code --library DIR}, else {@code TRIPLICATE_LIBRARY}, else the nearest
 * folder at or above the current one that has a {@code .triplicate} folder (as git finds its repository).
 */
public final class Libraries {
    /** The folder inside a library that holds Triplicate's own files (catalog, config). */
    public static final String FOLDER = ".triplicate";

    private Libraries() {
    }

    public static Path locate(Path given, Map<String, String> env, Path currentDirectory) {
        if (given != null) {
            Path p = given.toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new TriplicateException("the library " + p + " is not a folder");
            }
            return p;
        }
        String fromEnv = env.get("TRIPLICATE_LIBRARY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return locate(Path.of(fromEnv), env, currentDirectory);
        }
        for (Path p = currentDirectory.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(FOLDER))) {
                return p;
            }
        }
        throw new TriplicateException("no library given, and neither " + currentDirectory.toAbsolutePath().normalize()
                + " nor a folder above it is a library (none has a .triplicate folder): use --library DIR, set"
                + " TRIPLICATE_LIBRARY, or run 'triplicate catalog scan DIR' first");
    }
}
