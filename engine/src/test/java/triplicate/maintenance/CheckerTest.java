package triplicate.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.Backends;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.repository.RepositoryOptions;
import triplicate.repository.index.PackedBlob;

/** check --read-data on several threads: a clean vault passes, a flipped byte is traced to its one blob. */
class CheckerTest {
    @TempDir
    Path tmp;

    private static RepositoryOptions options() {
        return new RepositoryOptions(new SecureRandom(), InstantSource.system(), KdfParams.forTests(), 64 * 1024, 2,
                "host", "user", null);
    }

    private Repository vault(List<Id> ids) throws IOException {
        Repository repo = Repository.init(Backends.create(tmp.resolve("vault").toString()),
                Password.of("pw".toCharArray()), options());
        IdHasher hasher = repo.newIdHasher();
        SplittableRandom r = new SplittableRandom(41);
        for (int i = 0; i < 120; i++) {
            byte[] b = new byte[1000 + r.nextInt(9000)];
            r.nextBytes(b);
            Id id = hasher.id(b, 0, b.length);
            repo.saveBlob(BlobType.DATA, id, b);
            ids.add(id);
        }
        repo.flush();
        return repo;
    }

    private Path packFile(Id pack) throws IOException {
        try (Stream<Path> s = Files.walk(tmp.resolve("vault"))) {
            return s.filter(p -> p.getFileName().toString().equals(pack.hex())).findFirst().orElseThrow();
        }
    }

    @Test
    void aCleanVaultPassesAndEveryPackIsRead() throws IOException {
        List<Id> ids = new ArrayList<>();
        try (Repository repo = vault(ids)) {
            CheckResult r = new Checker(repo, 3).check(1.0, new Random(1));
            assertThat(r.errors()).isEmpty();
            assertThat(r.packsRead()).isEqualTo(r.packs()).isGreaterThan(3);
            assertThat(r.bytesRead()).isPositive();
        }
    }

    @Test
    void aFlippedByteIsTracedToItsPackAndBlob() throws IOException {
        List<Id> ids = new ArrayList<>();
        try (Repository repo = vault(ids)) {
            PackedBlob victim = repo.index().get(ids.get(57));
            Path file = packFile(victim.pack());
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) victim.offset() + 40] ^= 1;
            file.toFile().setWritable(true);
            Files.write(file, bytes);

            CheckResult r = new Checker(repo, 3).check(1.0, new Random(1));
            assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains(victim.pack().shortHex())
                    .contains("does not match its name"));
            assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains(victim.pack().shortHex())
                    .contains("1 of").contains("blobs are damaged"));
            assertThat(r.errors()).allSatisfy(e -> assertThat(e).contains(victim.pack().shortHex()));
        }
    }
}
