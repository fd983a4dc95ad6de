package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.mem.MemoryBackend;
import triplicate.backend.testkit.CrashingBackend;
import triplicate.backend.wrap.ForwardingBackend;
import triplicate.core.FileType;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;
import triplicate.core.VaultNotFoundException;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;

/**
 * {@code init} saves the key file first and the config second. A crash between the two leaves a key and no config:
 * no vault, so the user runs {@code init} again, which succeeds and leaves the old key beside the new one, with
 * the same password. The vault must open whichever key the backend happens to list first.
 */
class InterruptedInitTest {
    private final RepositoryOptions options = new RepositoryOptions(new SecureRandom(), InstantSource.system(),
            new KdfParams(KdfParams.ARGON2ID, 8, 1, 1), 64 * 1024, 1, "host", "user", null);

    @ParameterizedTest(name = "leftover key listed first: {0}")
    @ValueSource(booleans = {true, false})
    void aVaultCreatedAgainAfterAnInterruptedInitOpens(boolean leftoverFirst) throws IOException {
        MemoryBackend disk = new MemoryBackend("disk");
        CrashingBackend machine = CrashingBackend.crashingAfterSaves(disk, 1);
        assertThatThrownBy(() -> Repository.init(machine, password(), options))
                .isInstanceOf(CrashingBackend.SimulatedCrashException.class);
        List<FileInfo> keys = disk.list(FileType.KEY);
        assertThat(keys).hasSize(1);
        String leftover = keys.get(0).name();
        assertThatThrownBy(() -> Repository.open(disk, password(), options)).isInstanceOf(VaultNotFoundException.class);

        Id vault;
        String key;
        try (Repository repo = Repository.init(disk, password(), options)) {
            vault = repo.config().id();
            key = repo.keyName();
        }
        assertThat(disk.list(FileType.KEY)).extracting(FileInfo::name).containsExactlyInAnyOrder(leftover, key);

        Comparator<String> order = Comparator.comparing(name -> name.equals(leftover) != leftoverFirst);
        try (Repository repo = Repository.open(new ListingKeysInOrder(disk, order), password(), options)) {
            assertThat(repo.config().id()).isEqualTo(vault);
            assertThat(repo.keyName()).isEqualTo(key);
        }
    }

    @ParameterizedTest(name = "leftover key listed first: {0}")
    @ValueSource(booleans = {true, false})
    void aDamagedConfigIsStillReportedAsDamaged(boolean leftoverFirst) throws IOException {
        MemoryBackend disk = new MemoryBackend("disk");
        try (Repository repo = Repository.init(disk, password(), options)) {
            repo.addKey(password());
        }
        byte[] config = disk.load(Handle.config());
        String text = new String(config, java.nio.charset.StandardCharsets.UTF_8);
        int data = text.indexOf("\"data\"");
        int at = text.indexOf('"', text.indexOf(':', data) + 1) + 5;
        char[] chars = text.toCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        disk.remove(Handle.config());
        disk.save(Handle.config(), Source.of(new String(chars).getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        String first = disk.list(FileType.KEY).get(0).name();
        Comparator<String> order = Comparator.comparing(name -> name.equals(first) != leftoverFirst);
        assertThatThrownBy(() -> Repository.open(new ListingKeysInOrder(disk, order), password(), options))
                .isInstanceOf(VaultCorruptException.class)
                .hasMessageContaining("config")
                .hasMessageContaining("failed authentication");
    }

    private static Password password() {
        return Password.of("same password both times".toCharArray());
    }

    /** Lists key files in a chosen order (backends list in no particular order). */
    private static final class ListingKeysInOrder extends ForwardingBackend {
        private final Comparator<String> order;

        ListingKeysInOrder(Backend inner, Comparator<String> order) {
            super(inner);
            this.order = order;
        }

        @Override
        public List<FileInfo> list(FileType type) throws IOException {
            return inner.list(type).stream().sorted(Comparator.comparing(FileInfo::name, order)).toList();
        }
    }
}
