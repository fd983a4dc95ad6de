package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports that cannot finish: a library disk that fills up, a library that cannot be written, a card taken out in
 * the middle. Each gives a clear message and exit 1, keeps what was verified, leaves nothing half-written, never
 * touches the card, and the same import run again finishes the job without copying anything twice.
 */
class ImportFaultsCliTest {
    @TempDir
    Path tmp;
    private final Map<String, String> env = Map.of("TRIPLICATE_NO_PROGRESS", "1");

    /** Content → how many of the card's photo files hold it (sidecars of different photos may be identical). */
    static Map<String, Long> hashes(Path dir) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (Path p : CliTesting.filesUnder(dir.resolve("DCIM"))) {
            out.merge(CliTesting.sha256(p), 1L, Long::sum);
        }
        return out;
    }

    static Map<String, Long> libraryHashes(Path library) throws IOException {
        Map<String, Long> out = new HashMap<>();
        Cards.library(library).values().forEach(h -> out.merge(h, 1L, Long::sum));
        return out;
    }

    /** Every file in the library is a whole copy of a card file, and no card file is in it twice. */
    static void assertOnlyWholeCopiesOnce(Path library, Map<String, Long> card) throws IOException {
        for (var e : libraryHashes(library).entrySet()) {
            assertThat(card).as("every library file is a complete copy of a card file").containsKey(e.getKey());
            assertThat(e.getValue()).as("copies of %s (no file imported twice)", e.getKey())
                    .isLessThanOrEqualTo(card.get(e.getKey()));
        }
        assertThat(Cards.leftovers(library)).as("temporary files left").isEmpty();
    }

    @Test
    void aFullLibraryDiskStopsTheImportCleanlyAndTheNextRunFinishes() throws IOException {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Object mounted = SmallDisk.mount(disk, "16m");
        Assumptions.assumeTrue(mounted instanceof SmallDisk, () -> "no small disk to fill: " + mounted);
        try (SmallDisk ignored = (SmallDisk) mounted) {
            Path card = Cards.card(tmp.resolve("card"), 2, 4, 11); // 12 files, ~11.6 MiB
            Map<String, String> before = Cards.state(card);
            Path ballast = disk.resolve("other-files.bin");
            Files.write(ballast, new byte[9_000_000]);
            Path library = disk.resolve("library");

            CliTesting.Result full = CliTesting.run(env, "import", card.toString(), "--library", library.toString());
            assertThat(full.code()).as("%s", full).isEqualTo(ExitCodes.FAILURE);
            assertThat(full.err()).contains("import stopped: the library disk is full (" + library + ")")
                    .contains("free some space and run the same import again")
                    .contains("were imported and verified and stay in the library");
            assertOnlyWholeCopiesOnce(library, hashes(card));
            assertThat(Cards.library(library)).as("some made it before the disk filled").isNotEmpty().hasSizeLessThan(12);
            assertThat(Cards.state(card)).isEqualTo(before);

            Files.delete(ballast);
            CliTesting.Result again = CliTesting.run(env, "import", card.toString(), "--library", library.toString());
            assertThat(again.code()).as("%s", again).isEqualTo(ExitCodes.OK);
            assertOnlyWholeCopiesOnce(library, hashes(card));
            assertThat(libraryHashes(library)).isEqualTo(hashes(card));
            assertThat(Cards.state(card)).isEqualTo(before);
        }
    }

    @Test
    void anUnwritableLibraryIsAClearErrorAndNothingIsImported() throws IOException {
        Path card = Cards.card(tmp.resolve("card"), 1, 2, 12);
        Map<String, String> before = Cards.state(card);
        Path library = Files.createDirectories(tmp.resolve("library"));
        Object mounted = SmallDisk.mountReadOnly(library);
        SmallDisk disk = mounted instanceof SmallDisk d ? d : null;
        try {
            if (disk == null) {
                // not root: a folder without write permission does it
                Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("r-xr-xr-x"));
                Assumptions.assumeFalse(Files.isWritable(library), () -> "cannot make an unwritable folder: " + mounted);
            }
            CliTesting.Result r = CliTesting.run(env, "import", card.toString(), "--library", library.toString());
            assertThat(r.code()).as("%s", r).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).containsAnyOf("the library " + library + " is on a read-only disk",
                    "cannot write to the library " + library).contains("nothing was imported");
            assertThat(CliTesting.filesUnder(library)).isEmpty();
            assertThat(Cards.state(card)).isEqualTo(before);
        } finally {
            if (disk != null) {
                disk.close();
            } else {
                Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aCardTakenOutMidImportStopsItWithWhatWasVerifiedKept() throws Exception {
        Path card = Cards.card(tmp.resolve("card"), 3, 12, 13); // 60 files, ~60 MiB
        Map<String, Long> cardHashes = hashes(card);
        Map<String, String> before = Cards.state(card);
        Path library = tmp.resolve("library");
        Path away = tmp.resolve("card-in-the-photographer's-pocket");

        AtomicReference<CliTesting.Result> result = new AtomicReference<>();
        Thread importing = Thread.ofPlatform().start(() -> result.set(CliTesting.run(new HashMap<>(env), "import",
                card.toString(), "--library", library.toString())));
        // as soon as the first photo is in the library, the card goes
        while (importing.isAlive() && Cards.library(library).isEmpty()) {
            Thread.sleep(1);
        }
        Files.move(card, away);
        importing.join(120_000);
        CliTesting.Result r = result.get();
        assertThat(r.code()).as("the import must notice the card is gone: %s", r).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("import stopped: the source stopped answering (" + card
                + " cannot be read any more; was the card removed?)").contains("Run the same import again to finish");
        assertOnlyWholeCopiesOnce(library, cardHashes);
        int kept = Cards.library(library).size();
        assertThat(kept).isBetween(1, 59);

        Files.move(away, card);
        CliTesting.Result again = CliTesting.run(env, "import", card.toString(), "--library", library.toString());
        assertThat(again.code()).as("%s", again).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("imported " + (60 - kept) + " file(s)").contains(kept + " duplicate(s)");
        assertThat(Cards.library(library)).hasSize(60);
        assertOnlyWholeCopiesOnce(library, cardHashes);
        assertThat(libraryHashes(library)).isEqualTo(cardHashes);
        assertThat(Cards.state(card)).isEqualTo(before);
    }
}
