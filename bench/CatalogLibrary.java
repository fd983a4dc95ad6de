import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a library of N small files for the catalog benchmark, from the JPEG templates bench/catalog-library.sh made
 * with ImageMagick and exiftool: 100 files per folder ("shoot"), 90% JPEGs (each template's DateTimeOriginal
 * "2024:06:15 12:34:56" replaced by a date between 2019 and 2025, so every file differs) and 10% XMP sidecars beside
 * them with a rating. Run: java bench/CatalogLibrary.java TEMPLATES OUT N [SEED]
 */
public class CatalogLibrary {
    private static final byte[] PLACEHOLDER = "2024:06:15 12:34:56".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter EXIF = DateTimeFormatter.ofPattern("uuuu:MM:dd HH:mm:ss");

    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Random random = new Random(args.length > 3 ? Long.parseLong(args[3]) : 1);
        List<byte[]> jpegs = new ArrayList<>();
        try (var s = Files.list(templates)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                jpegs.add(Files.readAllBytes(p));
            }
        }
        if (jpegs.isEmpty()) {
            throw new IOException("no .jpg templates in " + templates);
        }
        LocalDateTime start = LocalDateTime.of(2019, 1, 1, 0, 0);
        int written = 0;
        for (int folder = 0; written < n; folder++) {
            LocalDateTime day = start.plusDays(random.nextInt(7 * 365));
            Path dir = out.resolve(String.valueOf(day.getYear())).resolve(String.format("%s-shoot-%04d", day.toLocalDate(), folder));
            Files.createDirectories(dir);
            for (int i = 0; i < 100 && written < n; i++) {
                String name = String.format("IMG_%04d", i);
                byte[] b = jpegs.get(random.nextInt(jpegs.size())).clone();
                String when = EXIF.format(day.plusSeconds(9 * 3600 + i * 37L + random.nextInt(30)));
                replaceAll(b, PLACEHOLDER, when.getBytes(StandardCharsets.US_ASCII));
                Files.write(dir.resolve(name + ".JPG"), b);
                written++;
                if (i % 10 == 0 && written < n) {
                    Files.writeString(dir.resolve(name + ".xmp"), sidecar(1 + random.nextInt(5)));
                    written++;
                }
            }
        }
        System.out.println(written + " files in " + out);
    }

    private static void replaceAll(byte[] b, byte[] what, byte[] with) {
        for (int i = 0; i + what.length <= b.length; i++) {
            int k = 0;
            while (k < what.length && b[i + k] == what[k]) {
                k++;
            }
            if (k == what.length) {
                System.arraycopy(with, 0, b, i, with.length);
            }
        }
    }

    private static String sidecar(int rating) {
        return "<?xpacket begin='\uFEFF' id='W5M0MpCehiHzreSzNTczkc9d'?>\n"
                + "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
                + "<rdf:Description rdf:about='' xmlns:xmp='http://ns.adobe.com/xap/1.0/' xmp:Rating='" + rating + "'/>\n"
                + "</rdf:RDF></x:xmpmeta>\n<?xpacket end='w'?>\n";
    }
}
