package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import triplicate.catalog.Catalog;
import triplicate.importer.ImportLedger;
import triplicate.importer.ImportedFile;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoMetadata;

/**
 * The importer's {@link ImportLedger} over the library's catalog ({@code <library>/.triplicate/catalog.db}): content
 * is known when the catalog has a file with its SHA-256; an imported file is recorded with its metadata (the one
 * read to name it, when there was one, else read from the new copy) and shoot. The catalog forms asset groups from
 * the names, which the importer gave every member of a group alike.
 *
 * <p>The catalog is opened at the first call, when the importer has made sure the library can be written (so an
 * unwritable library gets the importer's message), and never created by a dry run: a library without a catalog then
 * knows nothing. Close it when the import is done.
 */
final class CatalogLedger implements ImportLedger, AutoCloseable {
    private final Path library;
    private final InstantSource clock;
    private final MetadataReader reader;
    private final Map<Path, PhotoMetadata> readBefore;
    private final boolean dryRun;
    private Catalog catalog;

    /**
     * @param readBefore metadata read while planning, by source file: taken from here rather than read again
     */
    CatalogLedger(Path library, InstantSource clock, MetadataReader reader, Map<Path, PhotoMetadata> readBefore,
                  boolean dryRun) {
        this.library = library.toAbsolutePath().normalize();
        this.clock = clock;
        this.reader = reader;
        this.readBefore = readBefore;
        this.dryRun = dryRun;
    }

    private Catalog catalog() {
        if (catalog == null) {
            if (dryRun && !Catalog.exists(library)) {
                return null;
            }
            catalog = Catalog.open(library, clock);
        }
        return catalog;
    }

    @Override
    public Optional<Path> knows(String sha256) {
        Catalog c = catalog();
        if (c == null) {
            return Optional.empty();
        }
        return c.filesWithSha256(sha256).stream().findFirst().map(f -> Path.of(f.path()));
    }

    @Override
    public boolean holds(Path path, String sha256) {
        Catalog c = catalog();
        return c != null && c.file(path.toString().replace('\\', '/')).map(f -> !f.archived() && f.sha256().equals(sha256))
                .orElse(false);
    }

    @Override
    public void recordImported(ImportedFile f) throws IOException {
        if (dryRun) {
            throw new IllegalStateException("a dry run records nothing");
        }
        String path = f.path().toString().replace('\\', '/');
        PhotoMetadata md = readBefore.remove(f.source());
        if (md == null) {
            md = reader.read(library.resolve(f.path()));
        }
        catalog().recordImported(new triplicate.catalog.ImportedFile(path, f.size(), f.sha256(), f.mtime(), md,
                f.shoot()));
    }

    @Override
    public void close() {
        if (catalog != null) {
            catalog.close();
            catalog = null;
        }
    }
}
