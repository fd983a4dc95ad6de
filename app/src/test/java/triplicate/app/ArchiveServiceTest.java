package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogFile;
import triplicate.config.ConfigFile;
import triplicate.config.Target;
import triplicate.config.TargetKind;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.policy.MediaClass;
import triplicate.policy.Site;
import triplicate.testkit.FakeClock;

/** Archiving: a file edited after the drill stays in the library; the rest of the shoot is archived. */
class ArchiveServiceTest {
    private static final String PASSWORD = "archive service 1";

    @TempDir
    Path tmp;

    private final FakeClock clock = new FakeClock();
    private Path lib;
    private VaultService vaults;
    private TargetPasswords passwords;

    @BeforeEach
    void setUp() throws IOException {
        lib = Libs.library(tmp.resolve("lib"), 9, new Random(3));
        vaults = new VaultService(clock, new java.security.SecureRandom(), "host", "user", Map.of());
        for (String name : List.of("nas", "b2")) {
            Path v = tmp.resolve(name);
            try (Password p = Password.of(PASSWORD.toCharArray());
                 Vault ignored = vaults.init(v.toString(), p, new VaultService.InitSettings(KdfParams.forTests(), null,
                         null))) {
                // created
            }
            ConfigFile.addTarget(lib, new Target(name, TargetKind.VAULT, v.toString(),
                    name.equals("nas") ? MediaClass.NAS : MediaClass.CLOUD,
                    name.equals("nas") ? Site.ONSITE : Site.OFFSITE, null));
        }
        passwords = new TargetPasswords(lib, Map.of("TRIPLICATE_PASSWORD", PASSWORD));
    }

    @Test
    void aFileEditedBetweenTheDrillAndItsRemovalStays() throws IOException {
        Path edited = lib.resolve("2024/shoot-1/IMG_1.CR3");
        ArchiveService archive = new ArchiveService(clock, Libs.catalogs(clock), vaults,
                new VaultOpsService(vaults, clock, new Random(1), Duration.ofSeconds(1)), p -> {
                    if (p.equals(edited)) {
                        try {
                            Files.write(p, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
        ArchiveService.ArchiveReport r = archive.archive(lib, "shoot-1", List.of("nas", "b2"), false, passwords);
        assertThat(r.outcome()).isEqualTo(ArchiveService.Outcome.ARCHIVED);
        assertThat(r.kept()).extracting(ArchiveService.Kept::path).containsExactly("2024/shoot-1/IMG_1.CR3");
        assertThat(r.kept().get(0).why()).contains("changed since the archive snapshot");
        assertThat(r.removed()).hasSize((int) r.files() - 1).doesNotContain("2024/shoot-1/IMG_1.CR3");
        assertThat(edited).exists();
        assertThat(r.foldersRemoved()).isEmpty();   // the edited file keeps its folder
        try (Catalog c = Libs.catalogs(clock).openExisting(lib)) {
            assertThat(c.filesOfShoot("shoot-1")).extracting(CatalogFile::path)
                    .containsExactly("2024/shoot-1/IMG_1.CR3");
            List<Catalog.Archive> archives = c.archives("shoot-1");
            assertThat(archives).hasSize(2);
            assertThat(archives.get(0).files()).hasSize((int) r.files() - 1)
                    .noneMatch(f -> f.path().equals("2024/shoot-1/IMG_1.CR3"));
        }
        // the next scan reads the edited file as a live one and keeps the archived ones
        CatalogService.Scan scan = Libs.catalogs(clock).scan(lib, new triplicate.catalog.ScanProgress());
        assertThat(scan.result().removed()).isZero();
        ArchiveService.UnarchiveReport back = archive.unarchive(lib, "shoot-1", null, passwords);
        assertThat(back.complete()).isTrue();
        assertThat(back.sources()).singleElement().asString().startsWith("nas");
        assertThat(back.restored()).isEqualTo(r.files() - 1);
    }

    @Test
    void closeShootNamesAreSuggested() {
        assertThat(ArchiveService.close("smith wedding", List.of("Smith Wedding", "smith-wedding-2", "portraits")))
                .containsExactly("Smith Wedding", "smith-wedding-2");
        assertThat(ArchiveService.close("xyz", List.of("portraits"))).isEmpty();
    }
}
