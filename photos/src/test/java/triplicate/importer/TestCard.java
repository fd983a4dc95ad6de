package triplicate.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;

/**
 * A camera card made of real files: {@code DCIM/100CANON} with a RAW (a TIFF named .CR2, as a CR2 is a TIFF) and its
 * JPEG twin, both sidecar styles ({@code IMG_0001.xmp}, {@code IMG_0001.CR2.xmp}), two more JPEGs (one in the same
 * second as the RAW), a movie with its {@code .THM}, a text file; {@code DCIM/101CANON} after a counter reset, so
 * {@code IMG_0001.JPG} again; and {@code MISC/}, which is not photos. EXIF written by exiftool: DateTimeOriginal,
 * OffsetTimeOriginal, SubSecTimeOriginal, Make, Model, LensModel, SerialNumber.
 */
final class TestCard {
    static final LocalDateTime MOVIE_MTIME = LocalDateTime.of(2024, 5, 4, 10, 20, 0);

    private TestCard() {
    }

    static Path make(Path card, Path scratch) throws IOException {
        Path d100 = card.resolve("DCIM/100CANON");
        Path d101 = card.resolve("DCIM/101CANON");
        Path raw = Photos.image(d100.resolve("IMG_0001.CR2"), 1, 160);
        Path twin = Photos.image(d100.resolve("IMG_0001.JPG"), 2, 120);
        Path second = Photos.image(d100.resolve("IMG_0002.JPG"), 3, 120);
        Path third = Photos.image(d100.resolve("IMG_0003.JPG"), 4, 120);
        Path again = Photos.image(d101.resolve("IMG_0001.JPG"), 5, 120);
        Photos.image(d100.resolve("MVI_0004.THM"), 6, 40);
        Path movie = d100.resolve("MVI_0004.MOV");
        byte[] b = new byte[300_000];
        new Random(4).nextBytes(b);
        Files.write(movie, b);
        Photos.xmp(d100.resolve("IMG_0001.xmp"), 3);
        Photos.xmp(d100.resolve("IMG_0001.CR2.xmp"), 4);
        Files.writeString(d100.resolve("notes.txt"), "not a photo\n");
        Files.writeString(d100.resolve(".DS_Store"), "litter");
        Files.createDirectories(card.resolve("MISC"));
        Files.writeString(card.resolve("MISC/AUTXFER.TXT"), "camera's own file\n");
        List<String> canon = List.of("Make=Canon", "Model=Canon EOS R5", "LensModel=RF24-70mm F2.8 L IS USM",
                "SerialNumber=012345");
        Photos.tag(List.of(
                new Photos.Tags(raw, concat(Photos.capture("2024:05:04 10:15:00", "+02:00", "123", null, null), canon)),
                new Photos.Tags(twin, concat(Photos.capture("2024:05:04 10:15:00", "+02:00", "123", null, null), canon)),
                new Photos.Tags(second, concat(Photos.capture("2024:05:04 10:15:00", "+02:00", "456", null, null), canon)),
                new Photos.Tags(third, concat(Photos.capture("2024:05:04 10:16:30", null, null, null, null), canon)),
                new Photos.Tags(again, concat(Photos.capture("2024:05:04 11:00:00", "+02:00", null, null, null), canon))),
                scratch);
        for (Path p : List.of(raw, twin, second, third, again)) {
            Photos.setMtime(p, LocalDateTime.of(2024, 5, 4, 12, 0));
        }
        Photos.setMtime(movie, MOVIE_MTIME);
        return card;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
