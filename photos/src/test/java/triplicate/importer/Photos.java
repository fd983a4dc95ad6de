package triplicate.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import triplicate.testkit.RealServers;

/**
 * Real photo files for the importer's tests, made with ImageMagick ({@code convert}) and tagged with exiftool, and
 * a {@link MetadataSource} that reads their EXIF back with exiftool. A test that needs them gives up through
 * {@link RealServers} when the tools are missing (CI installs both).
 */
final class Photos {
    private static final DateTimeFormatter EXIF = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
    /** ImageMagick's convert (Debian's; another program may answer to the bare name on PATH). */
    static final String CONVERT = Files.isExecutable(Path.of("/usr/bin/convert")) ? "/usr/bin/convert" : "convert";

    private Photos() {
    }

    static void requireTools() {
        RealServers.assume(works("exiftool", "-ver") && works(CONVERT, "-version"), "exiftool and ImageMagick",
                "install them: apt-get install -y libimage-exiftool-perl imagemagick");
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A real JPEG (or, with a .tif/.CR2 name, a TIFF: "RAW-like") of noise from {@code seed}. */
    static Path image(Path file, int seed, int width) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
        String format = ext.equals("jpg") || ext.equals("jpeg") ? "jpg:" : ext.equals("png") ? "png:" : "tif:";
        run(List.of(CONVERT, "-size", width + "x" + (width * 2 / 3), "-seed", Integer.toString(seed), "plasma:",
                "-quality", "90", format + file));
        return file;
    }

    /** EXIF tags to write to one file: e.g. {@code DateTimeOriginal=2024:05:04 10:15:00}. */
    record Tags(Path file, List<String> assignments) {
    }

    /** Writes tags with one exiftool process for all files. */
    static void tag(List<Tags> tags, Path scratch) throws IOException {
        List<String> args = new ArrayList<>();
        for (Tags t : tags) {
            args.add("-overwrite_original");
            args.add("-q");
            for (String a : t.assignments()) {
                args.add("-" + a);
            }
            args.add(t.file().toString());
            args.add("-execute");
        }
        Path argFile = scratch.resolve("exiftool-args-" + System.nanoTime() + ".txt");
        Files.writeString(argFile, String.join("\n", args) + "\n");
        run(List.of("exiftool", "-@", argFile.toString()));
        Files.delete(argFile);
    }

    /** The usual capture tags. */
    static List<String> capture(String dateTime, String offset, String subSec, String make, String model) {
        List<String> a = new ArrayList<>(List.of("DateTimeOriginal=" + dateTime));
        if (offset != null) {
            a.add("OffsetTimeOriginal=" + offset);
        }
        if (subSec != null) {
            a.add("SubSecTimeOriginal=" + subSec);
        }
        if (make != null) {
            a.add("Make=" + make);
        }
        if (model != null) {
            a.add("Model=" + model);
        }
        return a;
    }

    static void setMtime(Path file, LocalDateTime utc) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(utc.toInstant(ZoneOffset.UTC)));
    }

    /** An XMP sidecar as Lightroom writes them (shortened). */
    static Path xmp(Path file, int rating) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
                + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description"
                + " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:Rating=\"" + rating + "\"/></rdf:RDF></x:xmpmeta>\n");
    }

    /**
     * A metadata source that asked exiftool, once, for the capture facts of every file under {@code root}.
     * Files it has no answer for say nothing.
     */
    static MetadataSource exiftool(Path root) throws IOException {
        // exiftool exits 1 when some file is not an image it knows (a movie of random bytes): the JSON is still whole
        String json;
        try {
            Process p = new ProcessBuilder("exiftool", "-j", "-r", "-q", "-DateTimeOriginal", "-OffsetTimeOriginal",
                    "-SubSecTimeOriginal", "-Make", "-Model", "-LensModel", "-SerialNumber", root.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() > 1) {
                throw new IOException("exiftool could not read " + root + ": " + json);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Map<Path, CaptureFacts> facts = new HashMap<>();
        if (!json.isBlank()) {
            for (JsonNode n : new ObjectMapper().readTree(json)) {
                Path file = Path.of(n.get("SourceFile").asText()).toAbsolutePath().normalize();
                facts.put(file, facts(n));
            }
        }
        return file -> facts.getOrDefault(file.toAbsolutePath().normalize(), CaptureFacts.NONE);
    }

    private static CaptureFacts facts(JsonNode n) {
        Capture capture = null;
        String dt = text(n, "DateTimeOriginal");
        if (dt != null) {
            try {
                LocalDateTime local = LocalDateTime.parse(dt, EXIF);
                String sub = text(n, "SubSecTimeOriginal");
                if (sub != null && sub.matches("\\d{1,9}")) {
                    local = local.withNano(Integer.parseInt((sub + "000000000").substring(0, 9)));
                }
                String off = text(n, "OffsetTimeOriginal");
                capture = new Capture(local, off == null ? null : ZoneOffset.of(off), false);
            } catch (DateTimeParseException e) {
                capture = null; // "0000:00:00 00:00:00": the camera did not know
            }
        }
        return new CaptureFacts(capture, text(n, "Make"), text(n, "Model"), text(n, "LensModel"),
                text(n, "SerialNumber"), List.of());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Path (relative, '/'-separated) → SHA-256 and mtime of every regular file under {@code root}. */
    static SortedMap<String, String> state(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'),
                        sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }

    /** Relative path → SHA-256 of every regular file under {@code root}, leaving out {@code .triplicate}. */
    static SortedMap<String, String> content(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        state(root).forEach((k, v) -> {
            if (!k.startsWith(".triplicate/")) {
                out.put(k, v.substring(0, 64));
            }
        });
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a tree, keeping modification times. */
    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
