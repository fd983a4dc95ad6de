package triplicate.phototest;

import java.nio.file.Files;
import java.nio.file.Path;
import triplicate.testkit.RealServers;

/**
 * Real camera files for tests. The Tika and Commons Imaging ones are unpacked by Maven from their test jars into
 * {@code target/samples}; the Debian ones (an iPhone HEIC, a Canon CR2) are fetched by {@code bin/photo-samples.sh}
 * into {@code $TRIPLICATE_SAMPLES} (default {@code ~/.cache/triplicate/samples}). A missing file skips the test on a
 * developer's machine and fails it in CI ({@link RealServers}).
 */
public final class Samples {
    private Samples() {
    }

    /** A file of Apache Tika's image module tests jar ({@code test-documents/NAME}). */
    public static Path tika(String name) {
        return existing(Path.of("target", "samples", "tika", "test-documents", name), "Tika sample " + name,
                "run the build through Maven: generate-test-resources unpacks them");
    }

    /** A file of Apache Commons Imaging's tests jar, by its path inside the jar. */
    public static Path imaging(String path) {
        return existing(Path.of("target", "samples", "imaging").resolve(path), "Commons Imaging sample " + path,
                "run the build through Maven: generate-test-resources unpacks them");
    }

    /** park.heic, rotate.heic (golang-go4-dev) or IMG_5952.CR2 (rawtran-doc). */
    public static Path debian(String name) {
        String dir = System.getenv("TRIPLICATE_SAMPLES");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "triplicate", "samples");
        return existing(base.resolve(name), "Debian sample " + name, "run bin/photo-samples.sh to fetch them");
    }

    private static Path existing(Path p, String what, String how) {
        RealServers.assume(Files.isRegularFile(p), what, p.toAbsolutePath() + " is missing: " + how);
        return p;
    }
}
