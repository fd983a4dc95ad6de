package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.CopyResult;
import triplicate.testkit.FakeClock;

/** Bit rot on mirrors: every flipped bit is found by verify, named file by file, healed, and a second verify is clean. */
class VerifyHealTest {
    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private final Random random = new Random(11);
    private Path lib;
    private Path usb;
    private Path nas;
    private VerifyService verify;
    private TargetPasswords passwords;

    @BeforeEach
    void setUp() throws IOException {
        lib = Libs.library(tmp.resolve("lib"), 15, random);
        usb = tmp.resolve("usb");
        nas = tmp.resolve("nas");
        Libs.addMirror(lib, "usb", usb, clock);
        Libs.addMirror(lib, "nas", nas, clock);
        new MirrorService(clock, Libs.catalogs(clock)).mirror(lib, null, MirrorService.Options.defaults(),
                new MirrorProgress());
        VaultService vaults = new VaultService(clock, new java.security.SecureRandom(), "host", "user", Map.of());
        verify = new VerifyService(clock, Libs.catalogs(clock),
                new VaultOpsService(vaults, clock, new Random(4), Duration.ofSeconds(1)), vaults);
        passwords = new TargetPasswords(lib, Map.of());
    }

    private TargetCheck verify(String target, Sample sample) {
        List<TargetCheck> r = verify.verify(lib, target, sample, passwords, new MirrorProgress());
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    /** Flips a bit in {@code n} distinct random files of {@code mirror}; returns their paths. */
    private Set<String> rot(Path mirror, int n) throws IOException {
        List<String> all = new ArrayList<>(Libs.content(mirror).keySet());
        Set<String> hit = new LinkedHashSet<>();
        while (hit.size() < n) {
            String p = all.get(random.nextInt(all.size()));
            if (hit.add(p)) {
                Libs.flipBit(mirror.resolve(p), random);
            }
        }
        return hit;
    }

    private static List<String> paths(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(":.*| from .*", "")).toList();
    }

    @Test
    void everyFlippedBitIsFoundAndHealedFromTheLibrary() throws IOException {
        Set<String> rotten = rot(usb, 6);
        TargetCheck v = verify("usb", new Sample.All());
        assertThat(v.outcome()).isEqualTo(TargetCheck.Outcome.DONE);
        assertThat(v.checked()).isEqualTo(35);
        assertThat(paths(v.damaged())).containsExactlyInAnyOrderElementsOf(rotten);
        assertThat(v.damaged()).allMatch(d -> d.endsWith("content differs from the catalog and the manifest: bit rot,"
                + " or changed on the mirror"));
        try (Catalog c = Catalog.openExisting(lib, clock)) {
            assertThat(c.copiesOn("usb").values().stream().filter(x -> x.result() == CopyResult.DAMAGED))
                    .hasSize(6);
        }
        List<TargetCheck> healed = verify.heal(lib, "usb", passwords);
        assertThat(paths(healed.get(0).healed())).containsExactlyInAnyOrderElementsOf(rotten);
        assertThat(healed.get(0).healed()).allMatch(h -> h.contains(" from the library (the damaged copy kept in"
                + " .triplicate-mirror/safety-net/2024-06-01/"));
        assertThat(healed.get(0).damaged()).isEmpty();

        TargetCheck again = verify("usb", new Sample.All());
        assertThat(again.clean()).as(again.toString()).isTrue();
        assertThat(again.ok()).isEqualTo(35);
        assertThat(Libs.content(usb)).isEqualTo(Libs.content(lib));
    }

    @Test
    void whenTheLibraryCopyIsBadTooAnotherMirrorHeals() throws IOException {
        Set<String> rotten = rot(usb, 3);
        for (String p : rotten) {
            Libs.flipBit(lib.resolve(p), random);   // the library's own copy rotted as well (same size and mtime)
        }
        verify("usb", new Sample.All());
        TargetCheck h = verify.heal(lib, "usb", passwords).get(0);
        assertThat(h.healed()).hasSize(3).allMatch(l -> l.contains(" from " + nas));
        assertThat(verify("usb", new Sample.All()).clean()).isTrue();

        // with no healthy copy anywhere, nothing is changed and the file is named
        String p = rotten.iterator().next();
        Libs.flipBit(usb.resolve(p), random);
        Libs.flipBit(nas.resolve(p), random);
        byte[] before = Files.readAllBytes(usb.resolve(p));
        verify("usb", new Sample.All());
        TargetCheck none = verify.heal(lib, "usb", passwords).get(0);
        assertThat(none.healed()).isEmpty();
        assertThat(none.damaged()).singleElement().asString().startsWith(p + ": no healthy copy found (the library:"
                + " differs from the catalog too; " + nas + ": differs from the catalog too)");
        assertThat(Files.readAllBytes(usb.resolve(p))).isEqualTo(before);
    }

    @Test
    void missingFilesAreNamedAndHealed() throws IOException {
        Files.delete(usb.resolve("2024/shoot-1/IMG_1.xmp"));
        TargetCheck v = verify("usb", new Sample.All());
        assertThat(v.missing()).containsExactly("2024/shoot-1/IMG_1.xmp");
        assertThat(verify.heal(lib, "usb", passwords).get(0).healed()).containsExactly(
                "2024/shoot-1/IMG_1.xmp from the library");
        assertThat(verify("usb", new Sample.All()).clean()).isTrue();
    }

    @Test
    void samplesReadTheLeastRecentlyVerifiedFirstSoTheyCycleThroughTheMirror() {
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofHours(1));
            TargetCheck v = verify("usb", new Sample.Share(0.25));
            assertThat(v.checked()).isEqualTo(9);
            try (Catalog c = Catalog.openExisting(lib, clock)) {
                c.copiesOn("usb").forEach((path, copy) -> {
                    if (copy.verifiedAt().equals(clock.instant())) {
                        seen.add(path);
                    }
                });
            }
        }
        assertThat(seen).hasSize(35);
    }

    @Test
    void unreachableMirrorsAndVaultsAreReportedAndTheOthersVerified() throws IOException {
        Files.move(nas, tmp.resolve("nas-away"));
        triplicate.config.ConfigFile.addTarget(lib, new triplicate.config.Target("b2", triplicate.config.TargetKind.VAULT,
                "/somewhere", triplicate.policy.MediaClass.CLOUD, triplicate.policy.Site.OFFSITE, null));
        List<TargetCheck> all = verify.verify(lib, null, new Sample.All(), passwords, new MirrorProgress());
        assertThat(all).extracting(TargetCheck::outcome).containsExactly(TargetCheck.Outcome.DONE,
                TargetCheck.Outcome.UNAVAILABLE, TargetCheck.Outcome.FAILED);
        assertThat(all.get(2).message()).contains("no password for vault 'b2'");
    }
}
