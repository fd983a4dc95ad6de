package triplicate.app;

import java.nio.file.Path;
import java.util.Optional;
import triplicate.importer.ImportLedger;
import triplicate.importer.ImportedFile;
import triplicate.importer.MemoryLedger;

/**
 * TODO(catalog): the importer's {@link ImportLedger} over the library's catalog
 * ({@code <library>/.triplicate/catalog.db}, package {@code triplicate.catalog}), which is not in this build yet.
 * Until it is, this ledger knows only what the running import recorded (a {@link MemoryLedger}): content already in
 * the library under another name is not recognised as a duplicate, while a re-run of the same import still is, since
 * the importer finds each file at its planned name with the same content. Replace the body with calls to the
 * catalog: {@code knows} → look up a file by SHA-256, {@code recordImported} → insert the file, its asset group and
 * shoot in one transaction.
 */
final class CatalogLedger implements ImportLedger {
    private final MemoryLedger pending = new MemoryLedger();

    CatalogLedger(Path library) {
        // the catalog will be opened here, under library/.triplicate/
    }

    @Override
    public Optional<Path> knows(String sha256) {
        return pending.knows(sha256);
    }

    @Override
    public void recordImported(ImportedFile file) {
        pending.recordImported(file);
    }
}
