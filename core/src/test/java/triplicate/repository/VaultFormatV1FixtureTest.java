package triplicate.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
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
 * A vault written by format version 1, committed under {@code src/test/resources/fixtures/vault-v1}. Every later
 * version of Triplicate must open it and read back exactly this content. Never regenerate it to make this test
 * pass: a change here means a format change, which needs a version bump and a migrator (see vault-format.md).
 * To create it (once per format version): {@code ./build -pl core test -Dtest=VaultFormatV1FixtureTest
 * -Dtriplicate.writeFixture=true}.
 */
class VaultFormatV1FixtureTest {
    static final String PASSWORD = "triplicate fixture v1";
    static final Path FIXTURE = Path.of("src/test/resources/fixtures/vault-v1");

    static byte[] photo() {
        byte[] b = new byte[150_000];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    static byte[] sidecar() {
        return "<x:xmpmeta xmp:Rating=\"5\"/>\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @EnabledIfSystemProperty(named = "triplicate.writeFixture", matches = "true")
    void writeFixture() throws Exception {
        try (Stream<Path> s = Files.exists(FIXTURE) ? Files.walk(FIXTURE) : Stream.empty()) {
            assertThat(s.filter(Files::isRegularFile).count()).as("fixture exists already; never overwrite it").isZero();
        }
        try (Repository repo = Repository.init(LocalBackend.create(FIXTURE), Password.of(PASSWORD.toCharArray()),
                TestVaults.options())) {
            IdHasher h = repo.newIdHasher();
            byte[] photo = photo();
            byte[] xmp = sidecar();
            Id p1 = h.id(photo, 0, 70_000);
            Id p2 = h.id(photo, 70_000, 80_000);
            Id x = h.id(xmp, 0, xmp.length);
            repo.saveBlob(BlobType.DATA, p1, java.util.Arrays.copyOfRange(photo, 0, 70_000));
            repo.saveBlob(BlobType.DATA, p2, java.util.Arrays.copyOfRange(photo, 70_000, 150_000));
            repo.saveBlob(BlobType.DATA, x, xmp);
            Tree shoot = new Tree(List.of(
                    new Node("IMG_0001.JPG", NodeType.FILE, 0644, 1_717_236_000_123_456_789L, null, null, null, null,
                            null, photo.length, List.of(p1, p2), null, null, null),
                    new Node("IMG_0001.xmp", NodeType.FILE, 0600, 1_717_236_001_000_000_000L, null, null, null, null,
                            null, xmp.length, List.of(x), null, null, null),
                    new Node("latest.jpg", NodeType.SYMLINK, 0777, 1_717_236_002_000_000_000L, null, null, null, null,
                            null, 0, null, null, "IMG_0001.JPG", null)));
            Id shootId = repo.saveTree(shoot, h);
            Id root = repo.saveTree(new Tree(List.of(new Node("photos", NodeType.DIR, 0755, 1_717_236_003_000_000_000L,
                    null, null, null, null, null, 0, null, shootId, null, null))), h);
            repo.flush();
            repo.saveSnapshot(new Snapshot(1, Instant.parse("2024-06-01T10:00:00Z"), "fixture-host", "fixture-user",
                    List.of("/home/fixture/photos"), List.of("v1"), root, null,
                    new Snapshot.Summary(2, 0, 0, 1, photo.length + xmp.length, photo.length + xmp.length, 5, 0, 0, 0.5),
                    List.of(new Snapshot.Warning("/home/fixture/photos/locked.jpg", "cannot read: permission denied")),
                    "triplicate 0.1.0"));
        }
    }

    @Test
    void version1VaultStaysReadable(@TempDir Path tmp) throws Exception {
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
            assertThat(repo.config().chunkerParams().avgSize()).isEqualTo(16384);
            assertThat(repo.config().packSize()).isEqualTo(64 * 1024);
            List<Repository.SnapshotRef> snaps = repo.listSnapshots();
            assertThat(snaps).hasSize(1);
            Snapshot s = snaps.get(0).snapshot();
            assertThat(s.host()).isEqualTo("fixture-host");
            assertThat(s.paths()).containsExactly("/home/fixture/photos");
            assertThat(s.tags()).containsExactly("v1");
            assertThat(s.warnings()).extracting(Snapshot.Warning::path).containsExactly("/home/fixture/photos/locked.jpg");
            Node photos = repo.loadTree(s.tree()).nodes().get(0);
            assertThat(photos.name()).isEqualTo("photos");
            List<Node> files = repo.loadTree(photos.subtree()).nodes();
            assertThat(files).extracting(Node::name).containsExactly("IMG_0001.JPG", "IMG_0001.xmp", "latest.jpg");
            Node jpg = files.get(0);
            assertThat(jpg.mtimeNanos()).isEqualTo(1_717_236_000_123_456_789L);
            java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
            for (Id id : jpg.content()) {
                content.write(repo.loadBlob(BlobType.DATA, id));
            }
            assertThat(content.toByteArray()).isEqualTo(photo());
            assertThat(repo.loadBlob(BlobType.DATA, files.get(1).content().get(0))).isEqualTo(sidecar());
            assertThat(repo.index().get(files.get(1).content().get(0)).compressed()).isTrue();
            assertThat(files.get(2).linkTarget()).isEqualTo("IMG_0001.JPG");
        }
    }
}
