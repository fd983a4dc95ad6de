package triplicate.app;

import java.io.IOException;
import java.nio.file.Path;
import triplicate.importer.Capture;
import triplicate.importer.CaptureFacts;
import triplicate.importer.MetadataSource;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoMetadata;

/** The importer's {@link MetadataSource} over the metadata reader: what naming needs, and the reader's warnings. */
final class MetadataFacts implements MetadataSource {
    private final MetadataReader reader;

    MetadataFacts(MetadataReader reader) {
        this.reader = reader;
    }

    @Override
    public CaptureFacts read(Path file) throws IOException {
        PhotoMetadata m = reader.read(file);
        CaptureTime t = m.captureTime();
        return new CaptureFacts(new Capture(t.local(), t.offset(), t.isFallback()), m.make(), m.model(), m.lens(),
                m.serial(), m.warnings());
    }
}
