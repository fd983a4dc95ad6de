package triplicate.app;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import triplicate.config.ConfigFile;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.policy.MediaClass;
import triplicate.policy.Site;
import triplicate.testkit.FakeClock;

/** Small libraries for the app's tests: random "photos" in shoot folders, mirrors, bit flips. */
final class Libs {
    private Libs() {
    }

    static CatalogService catalogs(FakeClock clock) {
        return new CatalogService(clock, ZoneOffset.UTC, 2, java.time.Duration.ofMillis(300));
    }

    /** Writes {@code n} assets (a .CR3 and a .xmp each, a .JPG every third) in 3 shoots; returns the library. */
    static Path library(Path dir, int n, Random random) throws IOException {
        for (int i = 0; i < n; i++) {
            String shoot = "2024/shoot-" + (i % 3);
            write(dir.resolve(shoot + "/IMG_" + i + ".CR3"), random, 2000 + random.nextInt(30000));
            write(dir.resolve(shoot + "/IMG_" + i + ".xmp"), random, 100 + random.nextInt(400));
            if (i % 3 == 0) {
                write(dir.resolve(shoot + "/IMG_" + i + ".JPG"), random, 1000 + random.nextInt(8000));
            }
        }
        return dir;
    }

    static void write(Path f, Random random, int size) throws IOException {
        Files.createDirectories(f.getParent());
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(f, b);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-05-01T10:00:00Z").plusSeconds(random.nextInt(1000000))));
    }

    static Target mirror(String name, Path folder) {
        return new Target(name, TargetKind.MIRROR, folder.toString(), MediaClass.EXTERNAL_DRIVE, Site.ONSITE, null);
    }

    static Target addMirror(Path library, String name, Path folder, FakeClock clock) {
        Target t = mirror(name, folder);
        ConfigFile.addTarget(library, t);
        String why = new MirrorService(clock, catalogs(clock)).init(library, t);
        if (why != null) {
            throw new AssertionError(why);
        }
        return t;
    }

    /** Relative path → SHA-256 of every file under {@code root}, outside {@code .triplicate*} folders. */
    static Map<String, String> content(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith(".triplicate")) {
                    out.put(rel, Hashing.sha256(p, n -> { }));
                }
            }
        }
        return out;
    }

    /** Flips one random bit of {@code file}, leaving its size and modification time as they were. */
    static void flipBit(Path file, Random random) throws IOException {
        FileTime t = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = random.nextLong(raf.length());
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ (1 << random.nextInt(8)));
        }
        Files.setLastModifiedTime(file, t);
    }
}
