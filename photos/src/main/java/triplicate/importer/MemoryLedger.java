package triplicate.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ImportLedger} in memory: it knows what was recorded in it, nothing else. Thread-safe. For tests, for
 * dry runs, and for a library without a catalog (where re-imports are still recognised by name and content).
 */
public final class MemoryLedger implements ImportLedger {
    private final Map<String, Path> byHash = new HashMap<>();
    private final List<ImportedFile> recorded = new ArrayList<>();

    @Override
    public synchronized Optional<Path> knows(String sha256) {
        return Optional.ofNullable(byHash.get(sha256));
    }

    @Override
    public synchronized void recordImported(ImportedFile file) {
        byHash.putIfAbsent(file.sha256(), file.path());
        recorded.add(file);
    }

    /** Adds a file the library already holds (as a catalog would know it). */
    public synchronized void add(String sha256, Path libraryPath) {
        byHash.putIfAbsent(sha256, libraryPath);
    }

    /** Everything recorded, in order. */
    public synchronized List<ImportedFile> recorded() {
        return List.copyOf(recorded);
    }
}
