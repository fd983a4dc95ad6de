package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.CopyResult;
import triplicate.testkit.FakeClock;

class MirrorServiceTest {
    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private final Random random = new Random(7);
    private Path lib;
    private Path usb;
    private Path nas;
    private MirrorService service;

    @BeforeEach
    void setUp() throws IOException {
        lib = Libs.library(tmp.resolve("lib"), 12, random);
        usb = tmp.resolve("usb");
        nas = tmp.resolve("nas");
        Libs.addMirror(lib, "usb", usb, clock);
        Libs.addMirror(lib, "nas", nas, clock);
        service = new MirrorService(clock, Libs.catalogs(clock));
    }

    private MirrorService.Run run(String target) throws IOException {
        return service.mirror(lib, target, MirrorService.Options.defaults(), new MirrorProgress());
    }

    private static MirrorReport only(MirrorService.Run r) {
        assertThat(r.reports()).hasSize(1);
        return r.reports().get(0);
    }

    @Test
    void firstRunCopiesEverythingSecondReadsNothing() throws IOException, InterruptedException {
        MirrorService.Run first = run(null);
        assertThat(first.reports()).extracting(MirrorReport::target).containsExactly("usb", "nas");
        for (MirrorReport r : first.reports()) {
            assertThat(r.outcome()).isEqualTo(MirrorReport.Outcome.DONE);
            assertThat(r.copied()).isEqualTo(28);
            assertThat(r.clean()).as(r.toString()).isTrue();
            assertThat(r.recorded()).isEqualTo(28);
        }
        assertThat(Libs.content(usb)).isEqualTo(Libs.content(lib));
        assertThat(Libs.content(nas)).isEqualTo(Libs.content(lib));
        // the manifest is sha256sum's format: the system's tool checks it
        Process p = new ProcessBuilder("sha256sum", "--quiet", "-c", ".triplicate-mirror/manifest").directory(usb.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        try (Catalog c = Catalog.openExisting(lib, clock)) {
            assertThat(c.copiesOn("usb")).hasSize(28).allSatisfy((k, v) -> assertThat(v.result()).isEqualTo(CopyResult.OK));
        }

        MirrorReport again = only(run("usb"));
        assertThat(again.unchanged()).isEqualTo(28);
        assertThat(again.copied()).isZero();
        assertThat(again.recorded()).isZero();
    }

    @Test
    void changesInTheLibraryReachTheMirrorAndOldVersionsTheSafetyNet() throws IOException {
        run("usb");
        Path edited = lib.resolve("2024/shoot-0/IMG_0.xmp");
        Files.writeString(edited, "rating=5");
        Files.delete(lib.resolve("2024/shoot-1/IMG_1.CR3"));
        Files.move(lib.resolve("2024/shoot-2"), lib.resolve("2024/renamed"));
        Libs.write(lib.resolve("2024/new/IMG_99.CR3"), random, 5000);
        clock.advance(Duration.ofDays(1));

        MirrorReport r = only(run("usb"));
        assertThat(r.outcome()).isEqualTo(MirrorReport.Outcome.DONE);
        assertThat(r.copied()).isEqualTo(2);          // the edited sidecar and the new photo
        assertThat(r.moved()).isEqualTo(8);           // the renamed folder: moved on the mirror, not copied again
        assertThat(r.toSafetyNet()).containsExactlyInAnyOrder(
                "2024/shoot-0/IMG_0.xmp -> .triplicate-mirror/safety-net/2024-06-02/2024/shoot-0/IMG_0.xmp",
                "2024/shoot-1/IMG_1.CR3 -> .triplicate-mirror/safety-net/2024-06-02/2024/shoot-1/IMG_1.CR3");
        assertThat(Libs.content(usb)).isEqualTo(Libs.content(lib));
        assertThat(usb.resolve("2024/shoot-2")).doesNotExist();   // emptied by the moves: gone, as from the library
        assertThat(usb.resolve("2024/shoot-1")).isDirectory();
        Path net = usb.resolve(".triplicate-mirror/safety-net/2024-06-02");
        assertThat(net.resolve("2024/shoot-0/IMG_0.xmp")).exists().isNotEqualTo(edited);
        assertThat(Files.size(net.resolve("2024/shoot-0/IMG_0.xmp"))).isNotEqualTo(8);

        // kept 30 days (the default), then deleted
        clock.advance(Duration.ofDays(30));
        assertThat(only(run("usb")).pruned()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(only(run("usb")).pruned()).isEqualTo(2);
        assertThat(net).doesNotExist();
    }

    @Test
    void handEditsAreLeftAloneOrKeptAndReported() throws IOException {
        run("usb");
        Files.writeString(usb.resolve("2024/shoot-0/my-notes.txt"), "mine");
        Files.writeString(usb.resolve("2024/shoot-0/IMG_0.xmp"), "edited on the mirror");
        MirrorReport r = only(run("usb"));
        assertThat(r.unexpected()).containsExactly("2024/shoot-0/my-notes.txt");
        assertThat(r.changedOnMirror()).containsExactly("2024/shoot-0/IMG_0.xmp");
        assertThat(r.copied()).isEqualTo(1);
        assertThat(r.clean()).isFalse();
        assertThat(usb.resolve("2024/shoot-0/my-notes.txt")).hasContent("mine");
        assertThat(usb.resolve(".triplicate-mirror/safety-net/2024-06-01/2024/shoot-0/IMG_0.xmp"))
                .hasContent("edited on the mirror");
        assertThat(Libs.content(usb)).containsAllEntriesOf(Libs.content(lib));
    }

    @Test
    void aMissingDriveIsReportedAndTheOtherMirrorServed() throws IOException {
        Files.move(usb, tmp.resolve("usb-unplugged"));
        MirrorService.Run r = run(null);
        assertThat(r.reports().get(0).outcome()).isEqualTo(MirrorReport.Outcome.UNAVAILABLE);
        assertThat(r.reports().get(0).message()).contains("does not exist (drive not plugged in?");
        assertThat(r.reports().get(1).outcome()).isEqualTo(MirrorReport.Outcome.DONE);
        assertThat(Libs.content(nas)).isEqualTo(Libs.content(lib));
        // an empty mount point is not a mirror either: nothing is written to it
        Files.createDirectory(usb);
        MirrorReport empty = run(null).reports().get(0);
        assertThat(empty.outcome()).isEqualTo(MirrorReport.Outcome.UNAVAILABLE);
        assertThat(empty.message()).contains("is not a mirror").contains("--init");
        try (var s = Files.list(usb)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aDriveUnpluggedDuringTheRunStopsThatMirrorOnly() throws IOException {
        int[] n = {0};
        service.beforeCopy = p -> {
            if (++n[0] == 5 && Files.exists(usb)) {
                Files.move(usb, tmp.resolve("usb-unplugged"));   // the drive goes away mid-run
            }
        };
        MirrorService.Run r = run(null);
        MirrorReport u = r.reports().get(0);
        assertThat(u.outcome()).as(u.toString()).isEqualTo(MirrorReport.Outcome.UNAVAILABLE);
        assertThat(u.message()).contains("became unavailable during the run");
        assertThat(u.copied()).isEqualTo(4);
        assertThat(u.recorded()).isEqualTo(4);
        assertThat(r.reports().get(1).outcome()).isEqualTo(MirrorReport.Outcome.DONE);
        assertThat(Libs.content(nas)).isEqualTo(Libs.content(lib));

        // plugged in again: the run goes on, and what was copied before is kept (read, not copied again)
        service.beforeCopy = p -> { };
        Files.move(tmp.resolve("usb-unplugged"), usb);
        MirrorReport again = only(run("usb"));
        assertThat(again.outcome()).isEqualTo(MirrorReport.Outcome.DONE);
        assertThat(again.copied() + again.adopted() + again.unchanged()).isEqualTo(28);
        assertThat(again.copied()).isEqualTo(24);
        assertThat(Libs.content(usb)).isEqualTo(Libs.content(lib));
    }

    @Test
    void aDamagedManifestIsReportedAndRebuilt() throws IOException {
        run("usb");
        Path manifest = usb.resolve(".triplicate-mirror/manifest");
        List<String> lines = Files.readAllLines(manifest);
        lines.set(3, "garbage");
        Files.write(manifest, lines);
        MirrorReport r = only(run("usb"));
        assertThat(r.outcome()).isEqualTo(MirrorReport.Outcome.FAILED);
        assertThat(r.message()).contains("manifest").contains("is damaged: line 4 is not 'SHA256  PATH'")
                .contains("--rebuild-manifest");
        MirrorReport rebuilt = only(service.mirror(lib, "usb", new MirrorService.Options(false, true, true),
                new MirrorProgress()));
        assertThat(rebuilt.outcome()).isEqualTo(MirrorReport.Outcome.DONE);
        assertThat(rebuilt.adopted()).isEqualTo(28);
        assertThat(rebuilt.copied()).isZero();
        assertThat(only(run("usb")).unchanged()).isEqualTo(28);
    }

    @Test
    void aBusyCatalogDoesNotStopTheMirrorAndTheNextRunRecords() throws Exception {
        run("nas");   // creates the catalog
        MirrorService quick = new MirrorService(clock, Libs.catalogs(clock));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + Catalog.databaseOf(lib));
             Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");   // another process holds the write lock
            MirrorService.Run r = quick.mirror(lib, "usb", MirrorService.Options.defaults(), new MirrorProgress());
            assertThat(r.scanWarning()).contains("the catalog was busy");
            MirrorReport u = only(r);
            assertThat(u.outcome()).isEqualTo(MirrorReport.Outcome.DONE);
            assertThat(u.copied()).isEqualTo(28);
            assertThat(u.catalogWarning()).contains("the catalog is busy").contains("the next mirror run records them");
            s.execute("ROLLBACK");
        }
        MirrorReport next = only(run("usb"));
        assertThat(next.unchanged()).isEqualTo(28);
        assertThat(next.recorded()).isEqualTo(28);
        try (Catalog c = Catalog.openExisting(lib, clock)) {
            assertThat(c.copiesOn("usb")).hasSize(28);
        }
        assertThat(Map.of()).isEmpty();
    }
}
