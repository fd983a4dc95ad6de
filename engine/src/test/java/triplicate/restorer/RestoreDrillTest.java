package triplicate.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import triplicate.core.Id;
import triplicate.repository.Repository;
import triplicate.repository.index.PackedBlob;
import triplicate.restorer.RestoreDrill.Expected;
import triplicate.restorer.RestoreDrill.Outcome;
import triplicate.restorer.RestoreDrill.Verdict;
import triplicate.snapshot.Node;
import triplicate.testing.Fingerprint;
import triplicate.testing.TestVaults;

/**
 * A restore drill restores the chosen files (relative to the library's folder in the snapshot), hashes them and
 * compares: intact files are OK; a file the snapshot lacks, or holds in another version, is MISSING; a file whose
 * data is damaged is DAMAGED. Its temporary folder is gone afterwards.
 */
class RestoreDrillTest {
    @TempDir
    Path tmp;

    @Test
    void intactMissingOtherVersionAndDamagedFilesAreToldApart() throws IOException {
        Path lib = tmp.resolve("library");
        for (int i = 0; i < 12; i++) {
            Fingerprint.writeRandom(lib.resolve("2024/shoot-" + (i % 3)).resolve("IMG_" + i + ".jpg"), i, 3_000 + 4_000 * i);
        }
        Path vault = tmp.resolve("vault");
        Path scratch = tmp.resolve("scratch");
        try (Repository repo = TestVaults.init(vault)) {
            Id snap = TestVaults.backup(repo, lib).id();
            Map<String, String> hashes = Fingerprint.contentOf(lib);
            List<Expected> files = new ArrayList<>();
            for (Map.Entry<String, String> e : hashes.entrySet()) {
                if (e.getKey().endsWith("IMG_5.jpg") || e.getKey().endsWith("IMG_8.jpg")) {
                    continue; // asked for below with other content
                }
                files.add(new Expected(e.getKey(), size(lib.resolve(e.getKey())), e.getValue()));
            }
            final String damagedPath = "2024/shoot-1/IMG_7.jpg";
            files.add(new Expected("2024/shoot-0/NEW.jpg", 10, "00".repeat(32)));
            files.add(new Expected("2024/shoot-2/IMG_5.jpg", size(lib.resolve("2024/shoot-2/IMG_5.jpg")), "ab".repeat(32)));
            files.add(new Expected("2024/shoot-2/IMG_8.jpg", 1, "cd".repeat(32)));

            // damage a chunk of one file
            Node node = nodeOf(repo, snap, "library/" + damagedPath);
            PackedBlob b = repo.index().get(node.content().get(0));
            Path pack;
            try (Stream<Path> s = Files.walk(vault.resolve("data"))) {
                pack = s.filter(p -> p.getFileName().toString().equals(b.pack().hex())).findFirst().orElseThrow();
            }
            pack.toFile().setWritable(true);
            byte[] bytes = Files.readAllBytes(pack);
            bytes[(int) b.offset() + 20] ^= 0x55;
            Files.write(pack, bytes);

            List<Outcome> out = new RestoreDrill(repo, scratch, 2).drill(snap, lib.toString(), files,
                    new RestoreProgress());
            assertThat(out).hasSize(files.size());
            for (Outcome o : out) {
                Verdict expected = switch (o.path()) {
                    case "2024/shoot-0/NEW.jpg", "2024/shoot-2/IMG_5.jpg", "2024/shoot-2/IMG_8.jpg" -> Verdict.MISSING;
                    case "2024/shoot-1/IMG_7.jpg" -> Verdict.DAMAGED;
                    default -> Verdict.OK;
                };
                assertThat(o.verdict()).as("%s", o).isEqualTo(expected);
            }
            assertThat(out.stream().filter(o -> o.path().equals("2024/shoot-2/IMG_5.jpg")).findFirst().orElseThrow()
                    .detail()).contains("another version");
            assertThat(out.stream().filter(o -> o.verdict() == Verdict.OK).findFirst().orElseThrow().detail())
                    .isEqualTo("snapshot " + snap.hex());
        }
        assertThat(scratch).isEmptyDirectory();
    }

    private static long size(Path p) throws IOException {
        return Files.size(p);
    }

    private static Node nodeOf(Repository repo, Id snap, String path) throws IOException {
        var tree = repo.loadTree(repo.loadSnapshot(snap).tree());
        String[] parts = path.split("/");
        Node n = null;
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            n = tree.nodes().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            if (i < parts.length - 1) {
                tree = repo.loadTree(n.subtree());
            }
        }
        return n;
    }
}
