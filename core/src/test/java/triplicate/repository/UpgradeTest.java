package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backend;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.local.LocalBackend;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.BlobType;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.VaultNotFoundException;
import triplicate.crypto.Password;
import triplicate.snapshot.Node;
import triplicate.snapshot.Snapshot;

/**
 * The migrator from format 1 to 2, on a copy of the committed format 1 fixture: the vault reads the same before and
 * after, older versions can no longer open it (the config says 2), and an upgrade interrupted at any step leaves a
 * vault that opens and an upgrade that completes when run again.
 */
class UpgradeTest {
    @TempDir
    Path tmp;

    private Path copyOfV1() throws IOException {
        Path copy = tmp.resolve("vault");
        try (Stream<Path> s = Files.walk(VaultFormatV1FixtureTest.FIXTURE)) {
            for (Path p : s.toList()) {
                Path d = copy.resolve(VaultFormatV1FixtureTest.FIXTURE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        return copy;
    }

    private static Repository open(Backend b) throws IOException {
        try (Password p = Password.of(VaultFormatV1FixtureTest.PASSWORD.toCharArray())) {
            return Repository.open(b, p, TestVaults.options());
        }
    }

    /** What the fixture holds, read back in full. */
    private static void readsLikeTheFixture(Repository repo) throws IOException {
        List<Repository.SnapshotRef> snaps = repo.listSnapshots();
        assertThat(snaps).hasSize(1);
        Snapshot s = snaps.get(0).snapshot();
        assertThat(s.host()).isEqualTo("fixture-host");
        Node photos = repo.loadTree(s.tree()).nodes().get(0);
        Node jpg = repo.loadTree(photos.subtree()).nodes().get(0);
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (Id id : jpg.content()) {
            content.write(repo.loadBlob(BlobType.DATA, id));
        }
        assertThat(content.toByteArray()).isEqualTo(VaultFormatV1FixtureTest.photo());
    }

    private static int configVersion(Path vault) throws IOException {
        return VaultConfig.readOuter(Files.readAllBytes(vault.resolve("config")), "t").version();
    }

    @Test
    void aFormat1VaultOpensAsItIsAndUpgradesToFormat2() throws Exception {
        Path vault = copyOfV1();
        try (Repository repo = open(LocalBackend.open(vault))) {
            assertThat(repo.formatVersion()).isEqualTo(1);
            readsLikeTheFixture(repo);
            assertThat(repo.upgrade()).isEqualTo(1);
            assertThat(repo.formatVersion()).isEqualTo(2);
            readsLikeTheFixture(repo);
        }
        assertThat(configVersion(vault)).isEqualTo(2);
        assertThat(Files.list(vault.resolve("locks")).toList()).as("no upgrade record left").isEmpty();
        try (Repository repo = open(LocalBackend.open(vault))) {
            assertThat(repo.formatVersion()).isEqualTo(2);
            readsLikeTheFixture(repo);
            assertThat(repo.upgrade()).as("a second upgrade does nothing").isEqualTo(2);
        }
    }

    @Test
    void anUpgradeInterruptedAfterTheOldConfigWasRemovedIsReadFromItsRecordAndCompleted() throws Exception {
        Path vault = copyOfV1();
        Backend failsToSaveTheConfig = new ForwardingBackend(LocalBackend.open(vault)) {
            @Override
            public void save(Handle handle, Source source) throws IOException {
                if (handle.type() == FileType.CONFIG) {
                    throw new IOException("simulated crash before the new config was saved");
                }
                inner.save(handle, source);
            }
        };
        try (Repository repo = open(failsToSaveTheConfig)) {
            assertThatThrownBy(repo::upgrade).hasMessageContaining("simulated crash");
        }
        assertThat(Files.exists(vault.resolve("config"))).isFalse();
        try (Repository repo = open(LocalBackend.open(vault))) {
            assertThat(repo.upgradeInterrupted()).isTrue();
            assertThat(repo.formatVersion()).isEqualTo(2);
            readsLikeTheFixture(repo);
            assertThat(repo.upgrade()).isEqualTo(2);
            assertThat(repo.upgradeInterrupted()).isFalse();
        }
        assertThat(configVersion(vault)).isEqualTo(2);
        assertThat(Files.list(vault.resolve("locks")).toList()).isEmpty();
    }

    @Test
    void anUpgradeInterruptedBeforeItRemovedTheOldConfigLeavesAFormat1VaultThatUpgradesLater() throws Exception {
        Path vault = copyOfV1();
        Backend failsToRemove = new ForwardingBackend(LocalBackend.open(vault)) {
            @Override
            public void remove(Handle handle) throws IOException {
                throw new IOException("simulated crash before the old config was removed");
            }
        };
        try (Repository repo = open(failsToRemove)) {
            assertThatThrownBy(repo::upgrade).hasMessageContaining("simulated crash");
        }
        assertThat(configVersion(vault)).isEqualTo(1);
        try (Repository repo = open(LocalBackend.open(vault))) {
            assertThat(repo.formatVersion()).isEqualTo(1);
            readsLikeTheFixture(repo);
            repo.upgrade();
        }
        assertThat(configVersion(vault)).isEqualTo(2);
        assertThat(Files.list(vault.resolve("locks")).toList()).as("the earlier record is removed too").isEmpty();
    }

    @Test
    void withoutAConfigOrAnUpgradeRecordThereIsNoVault() throws Exception {
        Path vault = copyOfV1();
        Files.delete(vault.resolve("config"));
        assertThatThrownBy(() -> open(LocalBackend.open(vault))).isInstanceOf(VaultNotFoundException.class);
    }
}
