package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.testkit.RealServers;

/** {@code catalog scan} and {@code find} as a user runs them, on files made with ImageMagick and exiftool. */
class CatalogCliTest {
    @TempDir
    Path tmp;

    private Path lib;
    private final Map<String, String> env = new HashMap<>(Map.of("TRIPLICATE_NO_PROGRESS", "1"));

    private static void tool(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    private Path photo(String path, String... exiftool) throws IOException, InterruptedException {
        Path f = lib.resolve(path);
        Files.createDirectories(f.getParent());
        tool("/usr/bin/convert", "-size", "32x24", "gradient:red-blue", f.toString());
        String[] cmd = new String[exiftool.length + 5];
        cmd[0] = "exiftool";
        cmd[1] = "-q";
        cmd[2] = "-q";
        cmd[3] = "-overwrite_original";
        System.arraycopy(exiftool, 0, cmd, 4, exiftool.length);
        cmd[cmd.length - 1] = f.toString();
        tool(cmd);
        return f;
    }

    @BeforeEach
    void library() throws IOException, InterruptedException {
        RealServers.assume(Files.isExecutable(Path.of("/usr/bin/convert")), "ImageMagick", "apt-get install imagemagick");
        RealServers.assume(Files.isExecutable(Path.of("/usr/bin/exiftool")), "exiftool", "apt-get install libimage-exiftool-perl");
        lib = Files.createDirectories(tmp.resolve("library"));
        photo("2024/06-paris/IMG_0001.JPG", "-DateTimeOriginal=2024:06:15 12:34:56", "-OffsetTimeOriginal=+02:00",
                "-Make=Canon", "-Model=Canon EOS R5", "-LensModel=RF24-70mm F2.8 L IS USM", "-XMP:Rating=5",
                "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E");
        tool("exiftool", "-q", "-q", "-XMP:Rating=4", "-o", lib.resolve("2024/06-paris/IMG_0002.xmp").toString());
        photo("2024/06-paris/IMG_0002.JPG", "-DateTimeOriginal=2024:06:16 09:00:00", "-Make=NIKON CORPORATION",
                "-Model=NIKON Z 8");
        photo("2023/scan.png", "-XMP:Rating=1");
        Files.setLastModifiedTime(lib.resolve("2023/scan.png"), FileTime.from(Instant.parse("2023-03-03T03:03:03Z")));
    }

    @Test
    void scanThenFindAsTableAndJson() throws IOException {
        CliTesting.Result first = CliTesting.run(env, "catalog", "scan", lib.toString());
        assertThat(first.code()).as(first.toString()).isEqualTo(ExitCodes.INCOMPLETE);
        assertThat(first.out()).contains("4 new, 0 changed, 0 unchanged, 0 moved, 0 removed")
                .contains("catalog: 4 files in 3 assets");
        assertThat(first.err()).contains("warning: 2023/scan.png: no capture date in the file; its modification time")
                .contains("1 file(s) have no capture date and are dated by their modification time");

        CliTesting.Result second = CliTesting.run(env, "catalog", "scan", "--json", lib.toString());
        assertThat(second.code()).as(second.toString()).isEqualTo(ExitCodes.OK);
        JsonNode s = JsonMapper.builder().build().readTree(second.out());
        assertThat(s.get("unchanged").asLong()).isEqualTo(4);
        assertThat(s.get("filesRead").asLong()).isZero();
        assertThat(s.get("warnings")).isEmpty();
        assertThat(s.get("catalog").asText()).endsWith(".triplicate/catalog.db");

        env.put("TRIPLICATE_LIBRARY", lib.toString());
        CliTesting.Result table = CliTesting.run(env, "find", "--taken", "2024-06", "--rating", "≥4");
        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).contains("2024-06-15 12:34:56+02:00").contains("Canon EOS R5").contains("*****")
                .contains("06-paris").contains("2024/06-paris/IMG_0002.JPG (+1)").contains("2 asset(s) in");

        CliTesting.Result near = CliTesting.run(env, "find", "--near", "48.8566,2.3522,10", "--camera", "canon", "--json",
                "--lens", "rf24");
        JsonNode n = JsonMapper.builder().build().readTree(near.out());
        assertThat(n.get("count").asInt()).isEqualTo(1);
        JsonNode a = n.get("assets").get(0);
        assertThat(a.get("taken").asText()).isEqualTo("2024-06-15T12:34:56");
        assertThat(a.get("takenOffset").asText()).isEqualTo("+02:00");
        assertThat(a.get("takenSource").asText()).isEqualTo("EXIF_ORIGINAL");
        assertThat(a.get("rating").asInt()).isEqualTo(5);
        assertThat(a.get("files").get(0).get("sha256").asText()).hasSize(64);

        CliTesting.Result fallback = CliTesting.run(env, "find", "--library", lib.toString(), "--taken", "2023", "--json");
        JsonNode f = JsonMapper.builder().build().readTree(fallback.out()).get("assets").get(0);
        assertThat(f.get("timeFallback").asBoolean()).isTrue();
        assertThat(f.get("takenSource").asText()).isEqualTo("FILE_MTIME");
        assertThat(CliTesting.run(env, "find", "--taken", "2023").out()).contains("*").contains("modification time");

        CliTesting.Result rejected = CliTesting.run(env, "find", "--shoot", "paris", "--rating", "5", "--camera", "nikon");
        assertThat(rejected.out()).contains("0 asset(s) in");
    }

    @Test
    void mistakesAreExplained() {
        CliTesting.Result noLibrary = CliTesting.run(env, "find");
        assertThat(noLibrary.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noLibrary.err()).contains("no library given").contains("TRIPLICATE_LIBRARY");

        CliTesting.Result noCatalog = CliTesting.run(env, "find", "--library", lib.toString());
        assertThat(noCatalog.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noCatalog.err()).contains("there is no catalog in").contains("triplicate catalog scan");

        CliTesting.Result badTaken = CliTesting.run(env, "find", "--library", lib.toString(), "--taken", "June");
        assertThat(badTaken.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTaken.err()).contains("--taken wants YYYY, YYYY-MM or YYYY-MM-DD");

        CliTesting.Result badNear = CliTesting.run(env, "find", "--library", lib.toString(), "--near", "1,2");
        assertThat(badNear.code()).isEqualTo(ExitCodes.USAGE);

        CliTesting.Result notAFolder = CliTesting.run(env, "catalog", "scan", lib.resolve("nope").toString());
        assertThat(notAFolder.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(notAFolder.err()).contains("is not a folder");
    }
}
