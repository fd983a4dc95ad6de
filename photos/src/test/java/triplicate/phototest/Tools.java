package triplicate.phototest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import triplicate.testkit.RealServers;

/**
 * Makes test photos as a photographer's tools would: ImageMagick draws the image, exiftool writes the metadata.
 * A test that calls these is skipped without the tools locally, and fails without them in CI.
 */
public final class Tools {
    private static final String CONVERT = "/usr/bin/convert";

    private Tools() {
    }

    /** Gives up on the calling test unless exiftool and ImageMagick are installed. */
    public static void require() {
        RealServers.assume(works("exiftool", "-ver"), "exiftool", "apt-get install libimage-exiftool-perl");
        RealServers.assume(Files.isExecutable(Path.of(CONVERT)), "ImageMagick", "apt-get install imagemagick");
    }

    /**
     * Draws a small image into {@code file} (its extension picks the format: jpg, png, tif, heic) and writes the
     * given exiftool assignments ({@code "-DateTimeOriginal=2024:06:15 12:34:56"}) into it.
     */
    public static Path image(Path file, String... exiftoolArgs) throws IOException {
        require();
        Files.createDirectories(file.getParent());
        run(CONVERT, "-size", "64x48", "gradient:red-blue", file.toString());
        if (exiftoolArgs.length > 0) {
            exiftool(file, exiftoolArgs);
        }
        return file;
    }

    /** Runs exiftool with {@code args} on {@code file}, in place. */
    public static void exiftool(Path file, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("exiftool", "-q", "-q", "-m", "-overwrite_original"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        run(cmd.toArray(String[]::new));
    }

    /** Runs a command; fails with its output unless it exits 0. Returns its output. */
    public static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
