package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import triplicate.backend.local.LocalBackend;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.crypto.Password;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;

/**
 * A vault written by format version 2, committed under {@code src/test/resources/fixtures/vault-v2}: the format 1
 * files plus one of each record of the {@code locks/} folder (a forget record, an armed prune plan, a session marker,
 * a dead record). Every later version must read it exactly so. Never regenerate it to make this test pass; to create
 * it (once): {@code ./build -pl core -am test -Dtest=VaultFormatV2FixtureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtriplicate.writeFixture=v2}.
 */
class VaultFormatV2FixtureTest {
    static final String PASSWORD = "triplicate fixture v2";
    static final Path FIXTURE = Path.of("src/test/resources/fixtures/vault-v2");
    static final Instant FORGOTTEN = Instant.parse("2024-06-15T08:30:00Z");
    static final String WAITING_OWNER = "0123456789abcdef";
    static final String DEAD_OWNER = "fedcba9876543210";

    static byte[] unused() {
        return "an outtake nobody keeps\n".repeat(100).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @EnabledIfSystemProperty(named = "triplicate.writeFixture", matches = "v2")
    void writeFixture() throws Exception {
        try (Stream<Path> s = Files.exists(FIXTURE) ? Files.walk(FIXTURE) : Stream.empty()) {
            assertThat(s.filter(Files::isRegularFile).count()).as("fixture exists already; never overwrite it").isZero();
        }
        try (Repository repo = Repository.init(LocalBackend.create(FIXTURE), Password.of(PASSWORD.toCharArray()),
                TestVaults.options())) {
            IdHasher h = repo.newIdHasher();
            byte[] photo = VaultFormatV1FixtureTest.photo();
            Id p1 = h.id(photo, 0, 70_000);
            Id p2 = h.id(photo, 70_000, 80_000);
            repo.saveBlob(BlobType.DATA, p1, java.util.Arrays.copyOfRange(photo, 0, 70_000));
            repo.saveBlob(BlobType.DATA, p2, java.util.Arrays.copyOfRange(photo, 70_000, 150_000));
            Tree shoot = new Tree(List.of(new Node("IMG_0001.JPG", NodeType.FILE, 0644, 1_717_236_000_123_456_789L,
                    null, null, null, null, null, photo.length, List.of(p1, p2), null, null, null)));
            Id shootId = repo.saveTree(shoot, h);
            Id root = repo.saveTree(new Tree(List.of(new Node("photos", NodeType.DIR, 0755, 1_717_236_003_000_000_000L,
                    null, null, null, null, null, 0, null, shootId, null, null))), h);
            repo.flush();
            // the outtake, alone in a pack that a prune plan marks for deletion
            byte[] outtake = unused();
            repo.saveBlob(BlobType.DATA, h.id(outtake, 0, outtake.length), outtake);
            repo.flush();
            Id outtakePack = repo.index().get(h.id(outtake, 0, outtake.length)).pack();
            Id first = repo.saveSnapshot(new Snapshot(1, Instant.parse("2024-06-01T10:00:00Z"), "fixture-host",
                    "fixture-user", List.of("/home/fixture/photos"), List.of("v2", "first"), root, null, null, List.of(),
                    "triplicate 0.1.0"));
            repo.saveSnapshot(new Snapshot(1, Instant.parse("2024-06-02T10:00:00Z"), "fixture-host", "fixture-user",
                    List.of("/home/fixture/photos"), List.of("v2"), root, first, null, List.of(), "triplicate 0.1.0"));
            repo.locks().saveForgetRecord(FORGOTTEN, "fixture-host", "fixture-user", List.of(first));
            repo.locks().savePlan(Instant.parse("2024-06-16T09:00:00Z"), "fixture-host", List.of(outtakePack),
                    Map.of(WAITING_OWNER, 7L));
            repo.locks().saveMarker(new LockFolder.MarkerInfo(LockFolder.SESSION, WAITING_OWNER, 7, "backup",
                    "laptop", "fixture-user", 4242, Instant.parse("2024-06-16T08:59:00Z")));
            repo.locks().saveDeadRecord(DEAD_OWNER, Instant.parse("2024-06-10T00:00:00Z"), "fixture-host");
        }
    }

    @Test
    void version2VaultStaysReadable(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("vault");
        try (Stream<Path> s = Files.walk(FIXTURE)) {
            for (Path p : s.toList()) {
                Path d = copy.resolve(FIXTURE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        try (Repository repo = Repository.open(LocalBackend.open(copy), Password.of(PASSWORD.toCharArray()),
                TestVaults.options())) {
            assertThat(repo.formatVersion()).isEqualTo(2);
            assertThat(repo.config().packSize()).isEqualTo(64 * 1024);
            List<Repository.SnapshotRef> all = repo.listSnapshots();
            assertThat(all).extracting(r -> r.snapshot().tags()).containsExactly(List.of("v2", "first"), List.of("v2"));
            Id first = all.get(0).id();
            assertThat(repo.forgotten()).containsExactly(Map.entry(first, FORGOTTEN));
            assertThat(repo.liveSnapshots()).extracting(Repository.SnapshotRef::id).containsExactly(all.get(1).id());
            assertThat(all.get(1).snapshot().parent()).isEqualTo(first);

            Node photos = repo.loadTree(all.get(1).snapshot().tree()).nodes().get(0);
            Node jpg = repo.loadTree(photos.subtree()).nodes().get(0);
            java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
            for (Id id : jpg.content()) {
                content.write(repo.loadBlob(BlobType.DATA, id));
            }
            assertThat(content.toByteArray()).isEqualTo(VaultFormatV1FixtureTest.photo());

            List<LockFolder.Plan> plans = repo.locks().plans((n, e) -> {
                throw e;
            });
            assertThat(plans).singleElement().satisfies(p -> {
                assertThat(p.armed()).isTrue();
                assertThat(p.waitFor()).containsExactly(Map.entry(WAITING_OWNER, 7L));
                assertThat(p.created()).isEqualTo(Instant.parse("2024-06-16T09:00:00Z"));
            });
            Id outtakePack = plans.get(0).packs().get(0);
            assertThat(repo.index().retiring()).containsExactly(outtakePack);
            Id outtake = repo.index().byPack().get(outtakePack).get(0).id();
            assertThat(repo.index().has(outtake)).isFalse();
            assertThat(repo.loadBlob(BlobType.DATA, outtake)).isEqualTo(unused());

            assertThat(repo.locks().newestMarkers(LockFolder.SESSION)).containsExactly(Map.entry(WAITING_OWNER, 7L));
            LockFolder.MarkerInfo m = repo.locks().describe(new LockFolder.MarkerName(LockFolder.SESSION, WAITING_OWNER, 7));
            assertThat(m).isEqualTo(new LockFolder.MarkerInfo(LockFolder.SESSION, WAITING_OWNER, 7, "backup", "laptop",
                    "fixture-user", 4242, Instant.parse("2024-06-16T08:59:00Z")));
            assertThat(repo.locks().isDead(DEAD_OWNER)).isTrue();
            assertThat(repo.locks().deadRecords()).containsExactly(new LockFolder.DeadRecord(DEAD_OWNER,
                    Instant.parse("2024-06-10T00:00:00Z"), "fixture-host"));
        }
    }
}
