package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import triplicate.importer.Capture;
import triplicate.importer.CaptureFacts;
import triplicate.importer.MetadataSource;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoMetadata;

/**
 * The importer's {@link MetadataSource} over the metadata reader: what naming needs, and the reader's warnings. What
 * it read is kept (up to {@link #KEEP} files) for the catalog, which records it with the imported copy.
 */
final class MetadataFacts implements MetadataSource {
    /** At most this many files' metadata is kept for the catalog; beyond, the catalog's adapter reads it again. */
    static final int KEEP = 20_000;

    private final MetadataReader reader;
    private final Map<Path, PhotoMetadata> kept;

    MetadataFacts(MetadataReader reader, Map<Path, PhotoMetadata> kept) {
        this.reader = reader;
        this.kept = kept;
    }

    @Override
    public CaptureFacts read(Path file) throws IOException {
        PhotoMetadata m = reader.read(file);
        if (kept.size() < KEEP) {
            kept.put(file, m);
        }
        CaptureTime t = m.captureTime();
        return new CaptureFacts(new Capture(t.local(), t.offset(), t.isFallback()), m.make(), m.model(), m.lens(),
                m.serial(), m.warnings());
    }
}
