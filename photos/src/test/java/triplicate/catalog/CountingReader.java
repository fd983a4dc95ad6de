package triplicate.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import triplicate.metadata.MetadataReader;
import triplicate.metadata.PhotoMetadata;

/** The standard reader, counting what it reads, and failing on the files a test names. */
final class CountingReader implements MetadataReader {
    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    private final MetadataReader real = MetadataReader.standard(CLOCK, ZoneOffset.UTC);
    final List<String> read = new CopyOnWriteArrayList<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Override
    public PhotoMetadata read(Path file) throws IOException {
        read.add(file.getFileName().toString());
        if (failing.contains(file.getFileName().toString())) {
            throw new java.nio.file.AccessDeniedException(file.toString());
        }
        return real.read(file);
    }
}
