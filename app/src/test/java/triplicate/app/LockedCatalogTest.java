package triplicate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.archiver.BackupProgress;
import triplicate.catalog.Catalog;
import triplicate.catalog.CatalogBusyException;
import triplicate.catalog.ScanProgress;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;

/**
 * A catalog that another process keeps locked: a drill says so before doing any work and records nothing; a backup
 * still saves a consistent copy of the catalog (as of the other process's last commit), since copying only reads.
 */
class LockedCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void aLockedCatalogStopsADrillWithAClearMessageAndDoesNotStopABackup() throws IOException, SQLException {
        Path library = tmp.resolve("library");
        Random r = new Random(1);
        for (int i = 0; i < 5; i++) {
            byte[] b = new byte[2_000 + r.nextInt(5_000)];
            r.nextBytes(b);
            Files.createDirectories(library.resolve("shoot"));
            Files.write(library.resolve("shoot/IMG_" + i + ".jpg"), b);
        }
        InstantSource clock = InstantSource.system();
        new CatalogService(clock, java.time.ZoneOffset.UTC, 1).scan(library, new ScanProgress());
        VaultService vaults = new VaultService(clock, new SecureRandom(), "host", "user", Map.of());
        VaultOpsService ops = new VaultOpsService(vaults, clock, new Random(2), Duration.ofMillis(300));
        String location = tmp.resolve("vault").toString();
        try (Password p = Password.of("pw".toCharArray());
             Vault v = vaults.init(location, p, new VaultService.InitSettings(KdfParams.forTests(), null, null))) {
            vaults.backup(v, List.of(library), vaults.backupOptions(List.of(), List.of(), null, false),
                    new BackupProgress());
        }
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + Catalog.databaseOf(library));
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.executeUpdate("UPDATE files SET shoot = 'renamed' WHERE 0");
            try (Password p = Password.of("pw".toCharArray())) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> ops.verify(location, p, library, new Sample.All(), null, null))
                        .isInstanceOf(CatalogBusyException.class)
                        .hasMessageContaining("is in use by another Triplicate process")
                        .hasMessageContaining("run this again when it has finished");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

                List<VaultService.CatalogSaved> saved = new java.util.ArrayList<>();
                try (Vault v = vaults.open(location, p)) {
                    vaults.backup(v, List.of(library), vaults.backupOptions(List.of(), List.of(), null, false),
                            new BackupProgress(), saved::add);
                }
                assertThat(saved).singleElement().satisfies(c -> {
                    assertThat(c.problem()).isNull();
                    assertThat(c.snapshot()).isNotNull();
                });
            }
            s.execute("ROLLBACK");
        }
        try (Catalog c = Catalog.openExisting(library, clock)) {
            assertThat(c.copies("shoot/IMG_0.jpg")).isEmpty();
        }
        try (Password p = Password.of("pw".toCharArray())) {
            VaultOpsService.DrillReport d = ops.verify(location, p, library, new Sample.All(), "vault", null);
            assertThat(d.ok()).isEqualTo(5);
            assertThat(d.recorded()).isEqualTo(5);
        }
    }
}
