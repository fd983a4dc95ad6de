package triplicate.importer;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How to import.
 *
 * @param library       the library folder (created if missing, when its parent exists)
 * @param template      how imported files are named
 * @param shoot         the shoot's name for {@code {shoot}}, or null
 * @param dryRun        plan and report only: nothing is written anywhere (the source is read to find duplicates)
 * @param eraseVerified delete each source file once its verified copy is in the library (never anything else)
 * @param parallelism   files copied at once (at least 1): 2 keeps a card reader and the hashing busy
 * @param zone          the time zone in which a file's modification time is read as a capture time, when the file
 *                      has none
 */
public record ImportSettings(Path library, Template template, String shoot, boolean dryRun, boolean eraseVerified,
                             int parallelism, ZoneId zone) {
    public ImportSettings {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(zone, "zone");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism);
        }
        if (shoot != null && shoot.isBlank()) {
            shoot = null;
        }
    }

    /** Settings with the default template, two files at once, no dry run, no erasing. */
    public static ImportSettings defaults(Path library, ZoneId zone) {
        return new ImportSettings(library, Template.parse(Template.DEFAULT), null, false, false, 2, zone);
    }

    public ImportSettings withTemplate(Template t) {
        return new ImportSettings(library, t, shoot, dryRun, eraseVerified, parallelism, zone);
    }

    public ImportSettings withShoot(String s) {
        return new ImportSettings(library, template, s, dryRun, eraseVerified, parallelism, zone);
    }

    public ImportSettings withDryRun(boolean d) {
        return new ImportSettings(library, template, shoot, d, eraseVerified, parallelism, zone);
    }

    public ImportSettings withEraseVerified(boolean e) {
        return new ImportSettings(library, template, shoot, dryRun, e, parallelism, zone);
    }

    public ImportSettings withParallelism(int p) {
        return new ImportSettings(library, template, shoot, dryRun, eraseVerified, p, zone);
    }
}
