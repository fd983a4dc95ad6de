package triplicate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.metadata.CaptureTime;
import triplicate.metadata.PhotoFormat;
import triplicate.metadata.PhotoMetadata;
import triplicate.metadata.TimeSource;

/** Copies in bulk: recorded only for the content they hold, forgotten when the file changes, read asset by asset. */
class CopiesTest {
    private static final Instant T = Instant.parse("2024-06-20T00:00:00Z");

    @TempDir
    java.nio.file.Path lib;

    private Catalog catalog;

    @BeforeEach
    void open() {
        catalog = Catalog.open(lib, CountingReader.CLOCK);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    private void file(String path, int hash) {
        PhotoFormat f = PhotoFormat.fromFileName(path);
        catalog.recordImported(new ImportedFile(path, 100 + hash, sha(hash), T, PhotoMetadata.builder(f,
                new CaptureTime(LocalDateTime.parse("2024-06-15T12:00:00"), null, 0, TimeSource.EXIF_ORIGINAL)).build(),
                null));
    }

    @Test
    void copiesAreRecordedForTheirContentOnly() {
        file("a/IMG_1.CR3", 1);
        file("a/IMG_1.xmp", 2);
        file("a/IMG_2.JPG", 3);
        file("a/notes.txt", 4);
        int n = catalog.recordCopies(List.of(
                new CopyRecord("a/IMG_1.CR3", sha(1), "usb", T, CopyResult.OK, null),
                new CopyRecord("a/IMG_1.xmp", sha(2), "usb", T, CopyResult.OK, null),
                new CopyRecord("a/IMG_1.CR3", sha(1), "b2", T, CopyResult.STORED, "snapshot 1234"),
                new CopyRecord("a/IMG_2.JPG", sha(99), "usb", T, CopyResult.OK, null),     // another content
                new CopyRecord("a/gone.JPG", sha(5), "usb", T, CopyResult.OK, null)));     // not in the catalog
        assertThat(n).isEqualTo(3);
        assertThat(catalog.copiesOn("usb")).containsOnlyKeys("a/IMG_1.CR3", "a/IMG_1.xmp");
        assertThat(catalog.copies("a/IMG_1.CR3")).extracting(Copy::target, Copy::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b2", CopyResult.STORED),
                        org.assertj.core.groups.Tuple.tuple("usb", CopyResult.OK));

        List<CopiesOfAsset> assets = new ArrayList<>();
        assertThat(catalog.forEachAsset(assets::add)).isEqualTo(2);
        assertThat(assets.get(0).primaryPath()).isEqualTo("a/IMG_1.CR3");
        assertThat(assets.get(0).files()).extracting(CopiesOfAsset.FileCopies::path).containsExactly("a/IMG_1.CR3", "a/IMG_1.xmp");
        assertThat(assets.get(0).files().get(0).copies()).hasSize(2);
        assertThat(assets.get(0).files().get(1).copies()).hasSize(1);
        assertThat(assets.get(1).primaryPath()).isEqualTo("a/IMG_2.JPG");
        assertThat(assets.get(1).files().get(0).copies()).isEmpty();
        List<String> all = new ArrayList<>();
        assertThat(catalog.forEachFile(f -> all.add(f.path()))).isEqualTo(4);
        assertThat(all).containsExactly("a/IMG_1.CR3", "a/IMG_1.xmp", "a/IMG_2.JPG", "a/notes.txt");
    }

    @Test
    void aChangedFileLosesItsCopiesAnUnchangedOneKeepsThem() {
        file("a/IMG_1.CR3", 1);
        file("a/IMG_1.xmp", 2);
        catalog.recordCopies(List.of(new CopyRecord("a/IMG_1.CR3", sha(1), "usb", T, CopyResult.OK, null),
                new CopyRecord("a/IMG_1.xmp", sha(2), "usb", T, CopyResult.OK, null)));
        file("a/IMG_1.xmp", 7);     // edited: a new content
        file("a/IMG_1.CR3", 1);     // recorded again, same content
        assertThat(catalog.copiesOn("usb")).containsOnlyKeys("a/IMG_1.CR3");
    }
}
