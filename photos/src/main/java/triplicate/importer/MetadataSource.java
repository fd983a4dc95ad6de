package triplicate.importer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the importer gets a photo's {@link CaptureFacts}. Implemented over the metadata reader by the composition
 * root; the importer knows no metadata library.
 *
 * <p>Contract: {@link #read} never fails because of malformed or missing metadata: what cannot be read is null in the
 * facts ({@link CaptureFacts#NONE} when nothing can). It throws {@link IOException} only when the file itself cannot
 * be read (a card pulled out, a read error), so the importer can tell a bad photo from a failing source. It must be
 * safe to call from several threads at once, and must never write to the file.
 */
@FunctionalInterface
public interface MetadataSource {
    CaptureFacts read(Path file) throws IOException;
}
