package triplicate.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.TriplicateException;
import triplicate.testkit.FakeClock;

/**
 * The importer on a camera card of real files (see {@link TestCard}), read with exiftool: names, groups, duplicates,
 * collisions, dry runs, re-runs, erasing, and bad input (absurd dates, truncated JPEGs, illegal characters, a source
 * that starts failing). After every import the source is checked unchanged, byte for byte and by modification time.
 */
class ImporterTest {
    private static final String WEDDING = "2024/2024-05-04_Wedding/";

    @TempDir
    static Path shared;
    private static Path pristine;

    @TempDir
    Path tmp;
    private Path card;
    private Path library;
    private SortedMap<String, String> cardBefore;
    private ImportProgress progress;

    @BeforeAll
    static void makeCard() throws IOException {
        Photos.requireTools();
        pristine = TestCard.make(shared.resolve("card"), shared);
    }

    @BeforeEach
    void copyCard() throws IOException {
        card = Photos.copyTree(pristine, tmp.resolve("card"));
        library = tmp.resolve("library");
        cardBefore = Photos.state(card);
    }

    private ImportSettings settings() {
        return ImportSettings.defaults(library, ZoneOffset.UTC).withShoot("Wedding");
    }

    private ImportReport importCard(ImportSettings s, ImportLedger ledger) throws IOException {
        return importCard(s, ledger, Copier.SourceOpener.FILES);
    }

    private ImportReport importCard(ImportSettings s, ImportLedger ledger, Copier.SourceOpener opener)
            throws IOException {
        progress = new ImportProgress();
        ImportReport r = new Importer(s, Photos.exiftool(card), ledger, new FakeClock(), opener).run(card, progress);
        if (!s.eraseVerified()) {
            assertThat(Photos.state(card)).as("the source is never written to").isEqualTo(cardBefore);
        }
        return r;
    }

    private String sha(String cardPath) throws IOException {
        return Photos.sha256(card.resolve(cardPath));
    }

    /** What the default template makes of the test card, library path → the card file it holds. */
    private Map<String, String> expectedDefault() {
        Map<String, String> m = new TreeMap<>();
        m.put(WEDDING + "20240504-101500_0001.CR2", "DCIM/100CANON/IMG_0001.CR2");
        m.put(WEDDING + "20240504-101500_0001.JPG", "DCIM/100CANON/IMG_0001.JPG");
        m.put(WEDDING + "20240504-101500_0001.xmp", "DCIM/100CANON/IMG_0001.xmp");
        m.put(WEDDING + "20240504-101500_0001.CR2.xmp", "DCIM/100CANON/IMG_0001.CR2.xmp");
        m.put(WEDDING + "20240504-101500_0002.JPG", "DCIM/100CANON/IMG_0002.JPG");
        m.put(WEDDING + "20240504-101630_0003.JPG", "DCIM/100CANON/IMG_0003.JPG");
        m.put(WEDDING + "20240504-102000_0004.MOV", "DCIM/100CANON/MVI_0004.MOV");
        m.put(WEDDING + "20240504-102000_0004.THM", "DCIM/100CANON/MVI_0004.THM");
        m.put(WEDDING + "20240504-110000_0005.JPG", "DCIM/101CANON/IMG_0001.JPG");
        return m;
    }

    private Map<String, String> contentOf(Map<String, String> libraryToCard) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (var e : libraryToCard.entrySet()) {
            out.put(e.getKey(), sha(e.getValue()));
        }
        return out;
    }

    @Test
    void importsACardByTheDefaultTemplateWithTwinsAndSidecarsFollowingTheirAsset() throws IOException {
        MemoryLedger ledger = new MemoryLedger();
        ImportReport r = importCard(settings(), ledger);

        assertThat(r.kind()).isEqualTo(SourceKind.CAMERA_CARD);
        assertThat(r.complete()).as("%s", r).isTrue();
        // the movie (of random bytes) has no capture date: its name is a guess, and the user is told
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo(card.resolve("DCIM/100CANON/MVI_0004.MOV"));
            assertThat(w.message()).isEqualTo("named by the file's modification time, 2024-05-04T10:20, since it"
                    + " has no capture date");
        });
        assertThat(r.imported()).isEqualTo(9);
        assertThat(r.skipped()).isEqualTo(1);
        // what a progress display showed at the end
        assertThat(progress.filesTotal()).isEqualTo(9);
        assertThat(progress.filesDone()).isEqualTo(9);
        assertThat(progress.imported()).isEqualTo(9);
        assertThat(progress.warnings()).isEqualTo(1);
        assertThat(progress.bytesDone()).isEqualTo(progress.bytesTotal());
        assertThat(r.files()).filteredOn(f -> f instanceof FileOutcome.Skipped)
                .extracting(FileOutcome::source).containsExactly(card.resolve("DCIM/100CANON/notes.txt"));
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
        // copies keep the source's modification time
        assertThat(Files.getLastModifiedTime(library.resolve(WEDDING + "20240504-102000_0004.MOV")))
                .isEqualTo(Files.getLastModifiedTime(card.resolve("DCIM/100CANON/MVI_0004.MOV")));
        // nothing left in the workspace but its lock
        try (Stream<Path> s = Files.list(library.resolve(Staging.DIR))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("lock");
        }
        // the ledger heard of every file, with its group named by the RAW
        assertThat(ledger.recorded()).hasSize(9);
        Map<String, String> groups = new HashMap<>();
        ledger.recorded().forEach(f -> groups.put(f.path().toString(), f.group().toString()));
        for (String member : List.of("JPG", "xmp", "CR2.xmp", "CR2")) {
            assertThat(groups.get(WEDDING + "20240504-101500_0001." + member)).isEqualTo(WEDDING + "20240504-101500_0001.CR2");
        }
        assertThat(groups.get(WEDDING + "20240504-102000_0004.THM")).isEqualTo(WEDDING + "20240504-102000_0004.MOV");
        ImportedFile raw = ledger.recorded().stream().filter(f -> f.path().toString().endsWith("_0001.CR2")).findFirst()
                .orElseThrow();
        assertThat(raw.sha256()).isEqualTo(sha("DCIM/100CANON/IMG_0001.CR2"));
        assertThat(raw.shoot()).isEqualTo("Wedding");
        assertThat(raw.source()).isEqualTo(card.resolve("DCIM/100CANON/IMG_0001.CR2"));
        assertThat(raw.size()).isEqualTo(Files.size(card.resolve("DCIM/100CANON/IMG_0001.CR2")));
    }

    @Test
    void aRawWithoutACaptureDateIsNamedByItsTwin() throws IOException {
        Path raw = card.resolve("DCIM/100CANON/IMG_0001.CR2");
        Photos.tag(List.of(new Photos.Tags(raw, List.of("DateTimeOriginal=", "SubSecTimeOriginal=",
                "OffsetTimeOriginal="))), tmp);
        Photos.setMtime(raw, LocalDateTime.of(2024, 5, 4, 12, 0));
        cardBefore = Photos.state(card);
        ImportReport r = importCard(settings(), new MemoryLedger());
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
        assertThat(r.warnings()).extracting(ImportReport.Warning::path)
                .containsExactly(card.resolve("DCIM/100CANON/MVI_0004.MOV"));
    }

    @Test
    void reRunningFindsEverythingThereWithOrWithoutTheLedger() throws IOException {
        MemoryLedger ledger = new MemoryLedger();
        importCard(settings(), ledger);
        SortedMap<String, String> after = Photos.state(library);

        ImportReport again = importCard(settings(), ledger);
        assertThat(again.imported()).isZero();
        assertThat(again.duplicates()).isEqualTo(9);
        assertThat(progress.duplicates()).isEqualTo(9);
        assertThat(progress.bytesDone()).isGreaterThanOrEqualTo(progress.bytesTotal());
        assertThat(again.complete()).isTrue();
        assertThat(Photos.state(library)).isEqualTo(after);

        // a ledger that knows nothing (a lost catalog): the files are recognised at their names by content
        MemoryLedger empty = new MemoryLedger();
        ImportReport fresh = importCard(settings(), empty);
        assertThat(fresh.imported()).isZero();
        assertThat(fresh.duplicates()).isEqualTo(9);
        assertThat(fresh.warnings()).hasSize(1);
        assertThat(Photos.state(library)).isEqualTo(after);
        assertThat(empty.recorded()).as("the ledger learns what it did not know").hasSize(9);
    }

    @Test
    void dryRunPlansTheSameNamesAndWritesNothing() throws IOException {
        ImportReport dry = importCard(settings().withDryRun(true), new MemoryLedger());
        assertThat(library).doesNotExist();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.planned()).isEqualTo(9);
        Map<String, String> planned = new TreeMap<>();
        for (FileOutcome f : dry.files()) {
            if (f instanceof FileOutcome.Planned p) {
                planned.put(p.target().toString(), card.relativize(p.source()).toString());
            }
        }
        assertThat(planned).isEqualTo(expectedDefault());

        // and on an existing library, it does not touch it either
        importCard(settings(), new MemoryLedger());
        SortedMap<String, String> after = Photos.state(library);
        Files.delete(library.resolve(WEDDING + "20240504-101630_0003.JPG"));
        after.remove(WEDDING + "20240504-101630_0003.JPG");
        ImportReport dry2 = importCard(settings().withDryRun(true), new MemoryLedger());
        assertThat(dry2.planned()).isEqualTo(1);
        assertThat(dry2.duplicates()).isEqualTo(8);
        assertThat(Photos.state(library)).isEqualTo(after);
    }

    @Test
    void contentTheLedgerKnowsIsADuplicateAndNotCopied() throws IOException {
        MemoryLedger ledger = new MemoryLedger();
        ledger.add(sha("DCIM/100CANON/IMG_0003.JPG"), Path.of("older/IMG_0003.JPG"));
        ImportReport r = importCard(settings(), ledger);
        assertThat(r.imported()).isEqualTo(8);
        assertThat(r.duplicates()).isEqualTo(1);
        FileOutcome.Duplicate d = (FileOutcome.Duplicate) r.files().stream()
                .filter(f -> f instanceof FileOutcome.Duplicate).findFirst().orElseThrow();
        assertThat(d.source()).isEqualTo(card.resolve("DCIM/100CANON/IMG_0003.JPG"));
        assertThat(d.existing()).isEqualTo(Path.of("older/IMG_0003.JPG"));
        assertThat(library.resolve(WEDDING + "20240504-101630_0003.JPG")).doesNotExist();
    }

    @Test
    void sidecarsFollowTheirPhotoEvenWhenTheyEqualAnotherPhotosOrThePhotoIsAlreadyThere() throws IOException {
        // two photos whose sidecars hold the same bytes: each keeps its own
        Photos.xmp(card.resolve("DCIM/100CANON/IMG_0002.xmp"), 5);
        Photos.xmp(card.resolve("DCIM/100CANON/IMG_0003.xmp"), 5);
        // a photo the library has under an older name, with a sidecar that is new
        Files.createDirectories(library.resolve("older"));
        Files.copy(card.resolve("DCIM/101CANON/IMG_0001.JPG"), library.resolve("older/IMG_0001.JPG"));
        Photos.xmp(card.resolve("DCIM/101CANON/IMG_0001.xmp"), 1);
        cardBefore = Photos.state(card);
        MemoryLedger ledger = new MemoryLedger();
        ledger.add(sha("DCIM/101CANON/IMG_0001.JPG"), Path.of("older/IMG_0001.JPG"));

        ImportReport r = importCard(settings(), ledger);
        assertThat(r.complete()).isTrue();
        Map<String, String> expected = expectedDefault();
        expected.remove(WEDDING + "20240504-110000_0005.JPG");
        expected.put(WEDDING + "20240504-101500_0002.xmp", "DCIM/100CANON/IMG_0002.xmp");
        expected.put(WEDDING + "20240504-101630_0003.xmp", "DCIM/100CANON/IMG_0003.xmp");
        expected.put("older/IMG_0001.JPG", "DCIM/101CANON/IMG_0001.JPG");
        expected.put("older/IMG_0001.xmp", "DCIM/101CANON/IMG_0001.xmp");
        assertThat(Photos.content(library)).isEqualTo(contentOf(expected));
    }

    @Test
    void identicalFilesOnTheSourceAreCopiedOnce() throws IOException {
        Files.copy(card.resolve("DCIM/100CANON/IMG_0003.JPG"), card.resolve("DCIM/101CANON/COPY_0003.JPG"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        cardBefore = Photos.state(card);
        ImportReport r = importCard(settings().withParallelism(3), new MemoryLedger());
        assertThat(r.imported()).isEqualTo(9);
        assertThat(r.duplicates()).isEqualTo(1);
        FileOutcome.Duplicate d = (FileOutcome.Duplicate) r.files().stream()
                .filter(f -> f instanceof FileOutcome.Duplicate).findFirst().orElseThrow();
        assertThat(d.source().getFileName().toString()).isEqualTo("COPY_0003.JPG");
        assertThat(d.existing().toString()).isEqualTo(WEDDING + "20240504-101630_0003.JPG");
    }

    @Test
    void namesThatClashGetDeterministicSuffixesAndNothingIsOverwritten() throws IOException {
        // the RAW group and IMG_0002 were taken in the same second; a different file already holds IMG_0003's name
        Files.createDirectories(library);
        Files.writeString(library.resolve("20240504-101630.JPG"), "someone else's photo");
        ImportSettings s = settings().withTemplate(Template.parse("{yyyyMMdd-HHmmss}.{ext}"));
        ImportReport r = importCard(s, new MemoryLedger());
        assertThat(r.complete()).isTrue();
        assertThat(r.imported()).as("%s", r).isEqualTo(9);
        Map<String, String> expected = new TreeMap<>();
        expected.put("20240504-101500.CR2", "DCIM/100CANON/IMG_0001.CR2");
        expected.put("20240504-101500.JPG", "DCIM/100CANON/IMG_0001.JPG");
        expected.put("20240504-101500.xmp", "DCIM/100CANON/IMG_0001.xmp");
        expected.put("20240504-101500.CR2.xmp", "DCIM/100CANON/IMG_0001.CR2.xmp");
        expected.put("20240504-101500-1.JPG", "DCIM/100CANON/IMG_0002.JPG");
        expected.put("20240504-101630-1.JPG", "DCIM/100CANON/IMG_0003.JPG");
        expected.put("20240504-102000.MOV", "DCIM/100CANON/MVI_0004.MOV");
        expected.put("20240504-102000.THM", "DCIM/100CANON/MVI_0004.THM");
        expected.put("20240504-110000.JPG", "DCIM/101CANON/IMG_0001.JPG");
        Map<String, String> content = new TreeMap<>(contentOf(expected));
        content.put("20240504-101630.JPG", TestFilesSha.of("someone else's photo"));
        assertThat(Photos.content(library)).isEqualTo(content);

        // the original names clash across folders (the camera's counter was reset): the later photo gets -1
        library = tmp.resolve("library2");
        ImportReport byName = importCard(settings().withTemplate(Template.parse("{original}.{ext}")), new MemoryLedger());
        assertThat(byName.complete()).isTrue();
        assertThat(Photos.content(library)).containsEntry("IMG_0001.JPG", sha("DCIM/100CANON/IMG_0001.JPG"))
                .containsEntry("IMG_0001.CR2", sha("DCIM/100CANON/IMG_0001.CR2"))
                .containsEntry("IMG_0001-1.JPG", sha("DCIM/101CANON/IMG_0001.JPG"));

        // the same again gives the same names
        library = tmp.resolve("library3");
        Files.createDirectories(library);
        Files.writeString(library.resolve("20240504-101630.JPG"), "someone else's photo");
        importCard(settings().withTemplate(Template.parse("{yyyyMMdd-HHmmss}.{ext}")), new MemoryLedger());
        assertThat(Photos.content(library)).isEqualTo(content);
    }

    @Test
    void namesWithCharactersIllegalElsewhereAreMadePortable() throws IOException {
        Path folder = tmp.resolve("folder");
        Path jpg = Photos.image(folder.resolve("photo?.jpg"), 9, 80);
        Photos.tag(List.of(new Photos.Tags(jpg, Photos.capture("2023:12:24 18:00:00", null, null, "ACME",
                "EOS: R5?* ."))), tmp);
        SortedMap<String, String> before = Photos.state(folder);
        ImportSettings s = ImportSettings.defaults(library, ZoneOffset.UTC).withShoot(" Trip: Paris?* . ")
                .withTemplate(Template.parse("{yyyy}/{shoot}/{model}/{original}_{seq:2}.{ext}"));
        ImportReport r = new Importer(s, Photos.exiftool(folder), new MemoryLedger(), new FakeClock())
                .run(folder, new ImportProgress());
        assertThat(r.kind()).isEqualTo(SourceKind.FOLDER);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(Photos.content(library)).containsOnlyKeys("2023/Trip_ Paris__/EOS_ R5__/photo__01.jpg");
        assertThat(Photos.state(folder)).isEqualTo(before);
    }

    @Test
    void absurdCaptureDatesFallBackToTheFileTimeWithAWarning() throws IOException {
        Path folder = tmp.resolve("folder");
        Path zero = Photos.image(folder.resolve("zero.jpg"), 10, 80);
        Path future = Photos.image(folder.resolve("future.jpg"), 11, 80);
        Path old = Photos.image(folder.resolve("old.jpg"), 12, 80);
        Photos.tag(List.of(new Photos.Tags(zero, List.of("DateTimeOriginal#=0000:00:00 00:00:00")),
                new Photos.Tags(future, List.of("DateTimeOriginal=2099:01:01 12:00:00")),
                new Photos.Tags(old, List.of("DateTimeOriginal=1850:06:01 12:00:00"))), tmp);
        Photos.setMtime(zero, LocalDateTime.of(2021, 3, 1, 8, 0));
        Photos.setMtime(future, LocalDateTime.of(2021, 3, 2, 9, 0));
        Photos.setMtime(old, LocalDateTime.of(2021, 3, 3, 10, 0));
        ImportSettings s = ImportSettings.defaults(library, ZoneOffset.UTC)
                .withTemplate(Template.parse("{yyyy-MM-dd_HHmm}_{original}.{ext}"));
        ImportReport r = new Importer(s, Photos.exiftool(folder), new MemoryLedger(), new FakeClock())
                .run(folder, new ImportProgress());
        assertThat(r.imported()).isEqualTo(3);
        assertThat(Photos.content(library)).containsOnlyKeys("2021-03-01_0800_zero.jpg", "2021-03-02_0900_future.jpg",
                "2021-03-03_1000_old.jpg");
        assertThat(r.warnings()).extracting(ImportReport.Warning::path).containsExactlyInAnyOrder(zero, future, old);
        assertThat(r.warnings()).allSatisfy(w -> assertThat(w.message()).contains("named by the file's modification time"));
        assertThat(r.warnings().stream().filter(w -> w.path().equals(old)).findFirst().orElseThrow().message())
                .contains("1850-06-01T12:00 is not plausible");
        assertThat(r.warnings().stream().filter(w -> w.path().equals(future)).findFirst().orElseThrow().message())
                .contains("2099-01-01T12:00");
    }

    @Test
    void aTruncatedJpegIsImportedAsItIsWithAWarning() throws IOException {
        Path whole = card.resolve("DCIM/100CANON/IMG_0003.JPG");
        byte[] b = Files.readAllBytes(whole);
        Files.write(whole, java.util.Arrays.copyOf(b, b.length * 2 / 3));
        Photos.setMtime(whole, LocalDateTime.of(2024, 5, 4, 12, 0));
        cardBefore = Photos.state(card);
        ImportReport r = importCard(settings(), new MemoryLedger());
        assertThat(r.imported()).isEqualTo(9);
        assertThat(r.warnings()).filteredOn(w -> !w.path().toString().endsWith(".MOV")).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo(whole);
            assertThat(w.message()).contains("no end-of-image marker").contains("truncated").contains("imported as it is");
        });
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
    }

    @Test
    void aSourceThatStartsFailingStopsTheImportKeepingWhatWasVerified() throws IOException {
        // a card pulled out: after 200 kB every read fails, in the middle of a file
        FailingSource failing = new FailingSource(200_000);
        ImportSettings one = settings().withParallelism(1);
        ImportReport r = importCard(one, new MemoryLedger(), failing);
        assertThat(r.complete()).isFalse();
        assertThat(r.stopped()).contains("the source stopped answering").contains("was the card removed?")
                .contains("Input/output error");
        assertThat(r.imported()).isPositive();
        assertThat(r.failed() + r.left()).isPositive();
        // what is in the library is complete and verified; nothing half-written anywhere
        Map<String, String> expected = expectedDefault();
        SortedMap<String, String> got = Photos.content(library);
        assertThat(got).hasSize((int) r.imported());
        for (var e : got.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(sha(expected.get(e.getKey())));
        }
        try (Stream<Path> s = Files.list(library.resolve(Staging.DIR))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("lock");
        }

        // the card is back: the same import finishes the job, without copying anything twice
        ImportReport again = importCard(one, new MemoryLedger());
        assertThat(again.complete()).isTrue();
        assertThat(again.duplicates()).isEqualTo(r.imported());
        assertThat(again.imported()).isEqualTo(9 - r.imported());
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
    }

    @Test
    void aFailingCatalogStopsTheImportAndTheNextRunRecordsWhatItMissed() throws IOException {
        MemoryLedger memory = new MemoryLedger();
        AtomicLong records = new AtomicLong();
        ImportLedger failing = new ImportLedger() {
            @Override
            public java.util.Optional<Path> knows(String sha256) {
                return memory.knows(sha256);
            }

            @Override
            public void recordImported(ImportedFile file) throws IOException {
                if (records.incrementAndGet() > 3) {
                    throw new IOException("database is locked");
                }
                memory.recordImported(file);
            }
        };
        ImportReport r = importCard(settings().withParallelism(1), failing);
        assertThat(r.stopped()).isEqualTo("the catalog could not be read or written: database is locked");
        assertThat(r.imported()).isEqualTo(3);
        FileOutcome.Failed f = (FileOutcome.Failed) r.files().stream().filter(o -> o instanceof FileOutcome.Failed)
                .findFirst().orElseThrow();
        assertThat(f.reason()).startsWith("copied and verified as " + WEDDING).endsWith(
                "but the catalog could not record it (the same import, run again, records it)");
        assertThat(Photos.content(library)).hasSize(4);

        MemoryLedger fresh = new MemoryLedger();
        fresh.add(memory.recorded().get(0).sha256(), memory.recorded().get(0).path());
        ImportReport again = importCard(settings(), fresh);
        assertThat(again.complete()).isTrue();
        assertThat(again.duplicates()).isEqualTo(4);
        assertThat(again.imported()).isEqualTo(5);
        assertThat(fresh.recorded()).as("the one the catalog missed is recorded now, with the rest").hasSize(8);
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
    }

    @Test
    void leftoversOfAnInterruptedImportAreCleanedAndItsWorkKept() throws IOException {
        importCard(settings(), new MemoryLedger());
        // as if killed: some files never made it, one half-written copy in the workspace, and the ledger lost
        Files.delete(library.resolve(WEDDING + "20240504-110000_0005.JPG"));
        Files.delete(library.resolve(WEDDING + "20240504-101500_0001.xmp"));
        Path half = library.resolve(Staging.DIR).resolve("17.part");
        Files.write(half, new byte[12345]);
        MemoryLedger ledger = new MemoryLedger();
        ImportReport r = importCard(settings(), ledger);
        assertThat(r.imported()).isEqualTo(2);
        assertThat(r.duplicates()).isEqualTo(7);
        assertThat(half).doesNotExist();
        assertThat(Photos.content(library)).isEqualTo(contentOf(expectedDefault()));
        assertThat(ledger.recorded()).hasSize(9);
    }

    @Test
    void eraseVerifiedDeletesOnlySourceFilesWhoseVerifiedCopyIsInTheLibrary() throws IOException {
        MemoryLedger ledger = new MemoryLedger();
        // a duplicate whose library copy is not what the ledger says: its source must stay
        Files.createDirectories(library.resolve("old"));
        byte[] other = Files.readAllBytes(card.resolve("DCIM/100CANON/IMG_0002.JPG"));
        other[other.length / 2] ^= 1;
        Files.write(library.resolve("old/changed.JPG"), other);
        ledger.add(sha("DCIM/100CANON/IMG_0002.JPG"), Path.of("old/changed.JPG"));
        Map<String, String> expected = contentOf(expectedDefault());
        ImportReport r = importCard(settings().withEraseVerified(true), ledger);
        assertThat(r.imported()).isEqualTo(8);
        assertThat(r.erased()).hasSize(8);
        assertThat(r.warnings()).filteredOn(w -> !w.path().toString().endsWith(".MOV")).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo(card.resolve("DCIM/100CANON/IMG_0002.JPG"));
            assertThat(w.message()).contains("not erased").contains("other content");
        });
        assertThat(Photos.content(card)).containsOnlyKeys("DCIM/100CANON/IMG_0002.JPG", "DCIM/100CANON/notes.txt",
                "DCIM/100CANON/.DS_Store", "MISC/AUTXFER.TXT");
        expected.remove(WEDDING + "20240504-101500_0002.JPG");
        expected.put("old/changed.JPG", Photos.sha256(library.resolve("old/changed.JPG")));
        assertThat(Photos.content(library)).isEqualTo(expected);
    }

    @Test
    void theLibraryInsideTheSourceIsRefused() {
        library = card.resolve("photos");
        assertThatThrownBy(() -> importCard(settings(), new MemoryLedger())).isInstanceOf(TriplicateException.class)
                .hasMessageContaining("is inside the source");
        assertThat(library).doesNotExist();
    }

    @Test
    void filesCanBeImportedOneCallAtATime() throws IOException {
        MemoryLedger ledger = new MemoryLedger();
        Importer importer = new Importer(settings().withTemplate(Template.parse("{yyyy}/{original}.{ext}")),
                Photos.exiftool(card), ledger, new FakeClock());
        ImportReport r1 = importer.importFiles(card, List.of(Path.of("DCIM/100CANON/IMG_0003.JPG")), new ImportProgress());
        ImportReport r2 = importer.importFiles(card, List.of(card.resolve("DCIM/100CANON/IMG_0001.CR2"),
                card.resolve("DCIM/100CANON/IMG_0001.xmp")), new ImportProgress());
        assertThat(r1.imported()).isEqualTo(1);
        assertThat(r2.imported()).isEqualTo(2);
        assertThat(Photos.content(library)).containsOnlyKeys("2024/IMG_0003.JPG", "2024/IMG_0001.CR2",
                "2024/IMG_0001.xmp");
        assertThat(Photos.state(card)).isEqualTo(cardBefore);
    }

    @Test
    void phonesAndFoldersAreRecognisedAndLivePhotosStayTogether() throws IOException {
        Path iphone = tmp.resolve("iphone");
        Path heic = iphone.resolve("DCIM/100APPLE/IMG_4001.HEIC");
        Files.createDirectories(heic.getParent());
        Files.write(heic, new byte[] {1, 2, 3, 4});
        Files.write(iphone.resolve("DCIM/100APPLE/IMG_4001.MOV"), new byte[] {5, 6, 7});
        Files.write(iphone.resolve("DCIM/100APPLE/IMG_4001.AAE"), new byte[] {8});
        Photos.setMtime(heic, LocalDateTime.of(2024, 2, 1, 9, 30));
        assertThat(SourceScanner.kind(iphone)).isEqualTo(SourceKind.PHONE);
        Path android = Files.createDirectories(tmp.resolve("android/DCIM/Camera"));
        assertThat(SourceScanner.kind(android.getParent().getParent())).isEqualTo(SourceKind.PHONE);
        assertThat(SourceScanner.kind(card)).isEqualTo(SourceKind.CAMERA_CARD);
        assertThat(SourceScanner.kind(card.resolve("DCIM/100CANON"))).isEqualTo(SourceKind.FOLDER);

        ImportReport r = new Importer(ImportSettings.defaults(library, ZoneOffset.UTC), file -> CaptureFacts.NONE,
                new MemoryLedger(), new FakeClock()).run(iphone, new ImportProgress());
        assertThat(r.kind()).isEqualTo(SourceKind.PHONE);
        assertThat(Photos.content(library)).containsOnlyKeys("2024/2024-02-01/20240201-093000_0001.HEIC",
                "2024/2024-02-01/20240201-093000_0001.MOV", "2024/2024-02-01/20240201-093000_0001.AAE");
    }

    /** Reads normally until {@code budget} bytes have been read in all; then every open and read fails. */
    static final class FailingSource implements Copier.SourceOpener {
        private final AtomicLong budget;

        FailingSource(long budget) {
            this.budget = new AtomicLong(budget);
        }

        @Override
        public SeekableByteChannel open(Path file) throws IOException {
            if (budget.get() <= 0) {
                throw new IOException("Input/output error");
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            return new SeekableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    if (budget.get() <= 0) {
                        throw new IOException("Input/output error");
                    }
                    int max = (int) Math.min(dst.remaining(), Math.min(budget.get(), 64 * 1024));
                    ByteBuffer slice = dst.slice(dst.position(), max);
                    int n = ch.read(slice);
                    if (n > 0) {
                        dst.position(dst.position() + n);
                        budget.addAndGet(-n);
                    }
                    return n;
                }

                @Override
                public int write(ByteBuffer src) {
                    throw new UnsupportedOperationException("a source is never written to");
                }

                @Override
                public long position() throws IOException {
                    return ch.position();
                }

                @Override
                public SeekableByteChannel position(long p) throws IOException {
                    ch.position(p);
                    return this;
                }

                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public SeekableByteChannel truncate(long size) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean isOpen() {
                    return ch.isOpen();
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    }

    /** SHA-256 of a string's UTF-8 bytes. */
    static final class TestFilesSha {
        static String of(String s) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
