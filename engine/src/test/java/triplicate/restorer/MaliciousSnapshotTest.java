package triplicate.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.BlobType;
import triplicate.core.Id;
import triplicate.crypto.IdHasher;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Snapshot;
import triplicate.snapshot.Tree;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * A snapshot written by someone hostile (or damaged) cannot make a restore write outside its target: names such as
 * "..", "../escape", "/abs", "a/b", "", "x\0y" and duplicates are refused and listed, nothing is created through a
 * symlink (one in the snapshot or one already in the target), malformed nodes are listed instead of aborting the
 * restore, and every safe entry is still restored.
 */
class MaliciousSnapshotTest {
    private static final byte[] EVIL = "evil".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private Path outside;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("somewhere"));
        Files.writeString(outside.resolve("precious.txt"), "must stay as it is");
        target = tmp.resolve("target");
    }

    @Test
    void unsafeNamesAreRefusedListedAndNothingIsWrittenOutsideTheTarget() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Snapshots s = new Snapshots(repo);
            Id inner = s.tree(s.file("inner.txt", "inner"));
            Id linkDir = s.tree(s.file("pwned.txt", "through the symlink"));
            Id top = s.tree(
                    s.file("safe.txt", "safe"),
                    s.dir("safedir", inner),
                    s.file("..", "evil"),
                    s.file("../escape", "evil"),
                    s.file("/abs", "evil"),
                    s.file("a/b", "evil"),
                    s.file("a\\b", "evil"),
                    s.file("", "evil"),
                    s.file(".", "evil"),
                    s.file("x\0y", "evil"),
                    s.file("lone\uD800surrogate", "evil"),
                    s.file("dup", "first"),
                    s.file("dup", "second"),
                    s.symlink("link", outside.toString()),
                    s.dir("link", linkDir),
                    new Node("suid", NodeType.FILE, 04755, 0, null, null, null, 0, 0, 3, List.of(s.blob("bin")),
                            null, null, null),
                    new Node("liar.txt", NodeType.FILE, 0644, 0, null, null, null, 0, 0, 999, List.of(s.blob("4 bytes")),
                            null, null, null),
                    new Node("no-subtree", NodeType.DIR, 0755, 0, null, null, null, 0, 0, 0, null, null, null, null),
                    new Node("no-target", NodeType.SYMLINK, 0777, 0, null, null, null, 0, 0, 0, null, null, null, null),
                    new Node("no-content", NodeType.FILE, 0644, 0, null, null, null, 0, 0, 4, null, null, null, null),
                    new Node("device", NodeType.OTHER, 0644, 0, null, null, null, 0, 0, 0, null, null, null, null));
            Id escapeDir = s.tree(s.dir("escaped-folder", s.tree(s.file("x", "evil"))));
            Id root = s.tree(
                    s.dir("top", top),
                    s.dir("..", escapeDir),
                    s.file("twice", "first"),
                    s.file("twice", "second"),
                    s.symlink("rootlink", outside.toString()),
                    s.dir("rootlink", linkDir));
            Id snap = s.snapshot(root);
            SortedMap<String, String> outsideBefore = listOutsideTarget();

            RestoreResult r = TestVaults.restore(repo, snap, null, target);

            assertThat(listOutsideTarget()).as("nothing outside the target changed").isEqualTo(outsideBefore);
            assertThat(Fingerprint.contentOf(outside)).containsOnlyKeys("precious.txt");
            // the safe entries are restored
            assertThat(Files.readString(target.resolve("top/safe.txt"))).isEqualTo("safe");
            assertThat(Files.readString(target.resolve("top/safedir/inner.txt"))).isEqualTo("inner");
            assertThat(Files.readString(target.resolve("top/suid"))).isEqualTo("bin");
            assertThat((Integer) Files.getAttribute(target.resolve("top/suid"), "unix:mode") & 07777)
                    .as("no set-id bits from a snapshot").isEqualTo(0755);
            assertThat(Files.readSymbolicLink(target.resolve("top/link"))).isEqualTo(outside);
            // every refusal is listed
            List<String> paths = r.problems().stream().map(RestoreResult.Problem::path).toList();
            assertThat(paths).contains("top/..", "top/../escape", "top//abs", "top/a/b", "top/a\\b", "top/",
                    "top/.", "top/x\\0y", "top/dup", "top/link", "top/liar.txt", "top/no-subtree",
                    "top/no-target", "top/no-content", "top/device", "..", "twice", "rootlink");
            assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("top/lone"));
            assertThat(r.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank().doesNotContain("null"));
            assertThat(r.problems()).filteredOn(p -> p.path().equals("top/..")).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("unsafe name"));
            assertThat(r.problems()).filteredOn(p -> p.path().equals("top/dup")).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("twice"));
            assertThat(r.problems()).filteredOn(p -> p.path().equals("twice")).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("twice"));
            assertThat(listAll(target)).doesNotContain("top/link/pwned.txt", "rootlink/pwned.txt")
                    .noneMatch(p -> p.contains("evil") || p.contains("escape"));
        }
    }

    @Test
    void includeCannotClimbOutOfTheTargetThroughADotDotFolder() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Snapshots s = new Snapshots(repo);
            Id escapeDir = s.tree(s.dir("escaped-folder", s.tree(s.file("x", "evil"))));
            Id snap = s.snapshot(s.tree(s.dir("..", escapeDir), s.file("ok.txt", "ok")));
            SortedMap<String, String> outsideBefore = listOutsideTarget();

            RestoreResult r = TestVaults.restore(repo, snap, "../escaped-folder/x", target);

            assertThat(listOutsideTarget()).isEqualTo(outsideBefore);
            assertThat(r.complete()).isFalse();
            assertThat(r.problems()).anySatisfy(p -> assertThat(p.message()).contains("refused"));
        }
    }

    @Test
    void symlinksAlreadyInTheTargetAreNeverFollowed() throws IOException {
        try (Repository repo = TestVaults.init(tmp.resolve("vault"))) {
            Snapshots s = new Snapshots(repo);
            // a first snapshot leaves symlinks pointing outside (legitimate in itself) ...
            Id first = s.snapshot(s.tree(s.dir("top", s.tree(
                    s.symlink("folder", outside.toString()),
                    s.symlink("precious.txt", outside.resolve("precious.txt").toString())))));
            assertThat(TestVaults.restore(repo, first, null, target).problems()).isEmpty();
            // ... a second one puts a folder and a file where they are
            Id second = s.snapshot(s.tree(s.dir("top", s.tree(
                    s.dir("folder", s.tree(s.file("pwned.txt", "through the symlink"))),
                    s.file("precious.txt", "overwritten through the symlink"),
                    s.file("fine.txt", "fine")))));
            SortedMap<String, String> outsideBefore = listOutsideTarget();

            RestoreResult r = TestVaults.restore(repo, second, null, target);

            assertThat(listOutsideTarget()).isEqualTo(outsideBefore);
            assertThat(Files.readString(outside.resolve("precious.txt"))).isEqualTo("must stay as it is");
            assertThat(outside.resolve("pwned.txt")).doesNotExist();
            assertThat(Files.readString(target.resolve("top/fine.txt"))).isEqualTo("fine");
            assertThat(r.problems()).extracting(RestoreResult.Problem::path)
                    .containsExactlyInAnyOrder("top/folder", "top/precious.txt");
            assertThat(r.problems()).allSatisfy(p -> assertThat(p.message()).contains("symlink"));
            assertThat(Files.isSymbolicLink(target.resolve("top/folder"))).isTrue();
        }
    }

    /** Everything under the test folder except the target and the vault: path → content fingerprint. */
    private SortedMap<String, String> listOutsideTarget() throws IOException {
        SortedMap<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> st = Files.walk(tmp)) {
            for (Path p : st.filter(p -> !p.startsWith(target) && !p.startsWith(tmp.resolve("vault"))).toList()) {
                out.put(tmp.relativize(p).toString(), Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? Fingerprint.sha256(p) : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "other");
            }
        }
        // and the folder above the test folder must not have gained an entry named like ours
        out.put("(parent has escaped-folder)", String.valueOf(Files.exists(tmp.getParent().resolve("escaped-folder"))));
        out.put("(parent has escape)", String.valueOf(Files.exists(tmp.getParent().resolve("escape"))));
        return out;
    }

    private static List<String> listAll(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** Writes hand-made trees and snapshots with the repository API, as a hostile writer with the key could. */
    static final class Snapshots {
        private final Repository repo;
        private final IdHasher hasher;

        Snapshots(Repository repo) {
            this.repo = repo;
            this.hasher = repo.newIdHasher();
        }

        Id blob(String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            Id id = hasher.id(b, 0, b.length);
            repo.saveBlob(BlobType.DATA, id, b);
            return id;
        }

        Node file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            return new Node(name, NodeType.FILE, 0644, 1_700_000_000_000_000_000L, null, null, null, 0, 0, b.length,
                    List.of(blob(content)), null, null, null);
        }

        Node dir(String name, Id subtree) {
            return new Node(name, NodeType.DIR, 0755, 1_700_000_000_000_000_000L, null, null, null, 0, 0, 0, null,
                    subtree, null, null);
        }

        Node symlink(String name, String target) {
            return new Node(name, NodeType.SYMLINK, 0777, 1_700_000_000_000_000_000L, null, null, null, 0, 0, 0, null,
                    null, target, null);
        }

        /** A tree blob of {@code nodes} in this order for equal names (Tree sorts stably by name). */
        Id tree(Node... nodes) throws IOException {
            return repo.saveTree(new Tree(new ArrayList<>(List.of(nodes))), hasher);
        }

        Id snapshot(Id root) throws IOException {
            repo.flush();
            return repo.saveSnapshot(new Snapshot(1, Instant.now(), "evil-host", "mallory", List.of("/evil"), List.of(),
                    root, null, null, List.of(), "hand-made"));
        }
    }
}
