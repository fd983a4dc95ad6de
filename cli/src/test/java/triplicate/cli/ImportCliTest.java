package triplicate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triplicate import} as docs/cli.md and docs/import.md describe it: its output, its JSON, its exit codes, dry
 * runs, re-runs, names made portable and clashes resolved, erasing and ejecting. After every import the card is
 * checked unchanged (content and modification time) unless files were erased.
 */
class ImportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path pristine;

    @TempDir
    Path tmp;
    private Path card;
    private Path library;
    private Map<String, String> cardBefore;
    private final Map<String, String> env = new HashMap<>(Map.of("TRIPLICATE_NO_PROGRESS", "1"));

    @BeforeAll
    static void makeCard() throws IOException {
        // 8 JPEGs with EXIF, 2 of them with a CR2 and an XMP sidecar: 12 files
        pristine = Cards.card(shared.resolve("card"), 2, 4, 7);
    }

    @BeforeEach
    void setUp() throws IOException {
        card = tmp.resolve("card");
        CliTesting.deleteTree(card);
        for (Path p : CliTesting.filesUnder(pristine)) {
            Path t = card.resolve(pristine.relativize(p).toString());
            Files.createDirectories(t.getParent());
            Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        library = tmp.resolve("library");
        cardBefore = Cards.state(card);
    }

    private CliTesting.Result run(int expected, String... args) throws IOException {
        CliTesting.Result r = CliTesting.run(env, args);
        assertThat(r.code()).as("%s", r).isEqualTo(expected);
        return r;
    }

    private void assertCardUnchanged() throws IOException {
        assertThat(Cards.state(card)).as("the card is never written to").isEqualTo(cardBefore);
    }

    private Set<String> cardPhotoHashes() throws IOException {
        Set<String> out = new HashSet<>();
        for (Path p : CliTesting.filesUnder(card.resolve("DCIM"))) {
            out.add(CliTesting.sha256(p));
        }
        return out;
    }

    @Test
    void importsACardSaysWhatItDidAndARerunFindsItAllThere() throws IOException {
        CliTesting.Result r = run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--shoot", "Studio");
        assertThat(r.out()).contains("camera card " + card + " -> library " + library)
                .contains("imported 12 file(s)").contains("each verified").contains("0 duplicate(s)");
        assertThat(r.err()).isEmpty();
        assertCardUnchanged();
        Map<String, String> lib = Cards.library(library);
        assertThat(lib).hasSize(12);
        assertThat(new HashSet<>(lib.values())).isEqualTo(cardPhotoHashes());
        assertThat(lib.keySet()).allMatch(k -> k.matches("2024/2024-\\d\\d-\\d\\d_Studio/2024\\d{4}-\\d{6}_000\\d\\.(JPG|CR2|xmp)"));
        // a RAW, its JPEG twin and its sidecar share one name
        long raws = lib.keySet().stream().filter(k -> k.endsWith(".CR2")).count();
        assertThat(raws).isEqualTo(2);
        for (String raw : lib.keySet().stream().filter(k -> k.endsWith(".CR2")).toList()) {
            String stem = raw.substring(0, raw.length() - 4);
            assertThat(lib).containsKeys(stem + ".JPG", stem + ".xmp");
        }
        assertThat(Cards.leftovers(library)).isEmpty();
        // the catalog knows them: 8 assets (a photo with its RAW and sidecar is one)
        JsonNode found = JSON.readTree(run(ExitCodes.OK, "find", "--library", library.toString(), "--json").out());
        assertThat(found.get("count").asInt()).isEqualTo(8);
        assertThat(found.get("assets").get(0).get("shoot").asText()).isEqualTo("Studio");

        CliTesting.Result again = run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--shoot", "Studio");
        assertThat(again.out()).contains("imported 0 file(s)").contains("12 duplicate(s) already in the library");
        assertThat(Cards.library(library)).isEqualTo(lib);
        assertCardUnchanged();
    }

    @Test
    void theLibraryComesFromTheEnvironmentToo() throws IOException {
        CliTesting.Result none = run(ExitCodes.FAILURE, "import", card.toString());
        assertThat(none.err()).contains("no library given").contains("--library").contains("TRIPLICATE_LIBRARY");
        env.put("TRIPLICATE_LIBRARY", library.toString());
        run(ExitCodes.OK, "import", card.toString());
        assertThat(Cards.library(library)).hasSize(12);
    }

    @Test
    void jsonHasTheDocumentedFields() throws IOException {
        JsonNode j = JSON.readTree(run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--json").out());
        assertFields(j, "source", "kind", "library", "dryRun", "summary", "files", "warnings", "stopped", "erased",
                "eject");
        assertThat(j.get("kind").asText()).isEqualTo("camera card");
        assertFields(j.get("summary"), "imported", "duplicates", "planned", "skipped", "failed", "left", "warnings",
                "bytesCopied", "seconds");
        assertThat(j.get("summary").get("imported").asInt()).isEqualTo(12);
        assertThat(j.get("stopped").isNull()).isTrue();
        assertThat(j.get("eject").isNull()).isTrue();
        assertThat(j.get("files")).hasSize(12);
        for (JsonNode f : j.get("files")) {
            assertFields(f, "source", "outcome", "target", "size", "sha256");
            assertThat(f.get("outcome").asText()).isEqualTo("imported");
            assertThat(CliTesting.sha256(library.resolve(f.get("target").asText()))).isEqualTo(f.get("sha256").asText());
            assertThat(CliTesting.sha256(Path.of(f.get("source").asText()))).isEqualTo(f.get("sha256").asText());
        }
        JsonNode dup = JSON.readTree(run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--json").out());
        assertFields(dup.get("files").get(0), "source", "outcome", "existing", "size", "sha256");
        assertThat(dup.get("files").get(0).get("outcome").asText()).isEqualTo("duplicate");

        Files.writeString(card.resolve("DCIM/100CANON/readme.txt"), "not a photo");
        JsonNode dry = JSON.readTree(run(ExitCodes.OK, "import", card.toString(), "--library",
                tmp.resolve("other").toString(), "--dry-run", "--json").out());
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("summary").get("planned").asInt()).isEqualTo(12);
        List<String> outcomes = new ArrayList<>();
        dry.get("files").forEach(f -> outcomes.add(f.get("outcome").asText()));
        assertThat(outcomes).containsOnly("planned", "skipped");
        JsonNode skipped = dry.get("files").get(12);
        assertFields(skipped, "source", "outcome", "reason");
        assertFields(dry.get("files").get(0), "source", "outcome", "target", "size");
    }

    @Test
    void dryRunListsThePlanAndWritesNothing() throws IOException {
        CliTesting.Result r = run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--dry-run", "--shoot", "Studio");
        assertThat(r.out()).startsWith("dry run: camera card").contains("would import 12 file(s)")
                .contains("Nothing was written.").contains("DCIM/100CANON/IMG_0001.JPG -> 2024/");
        assertThat(library).doesNotExist();
        assertCardUnchanged();
    }

    @Test
    void illegalCharactersAreMadePortableAndClashingNamesGetSuffixesNeverOverwriting() throws IOException {
        // every photo of a day maps to the same name; a file of the user's already has the first one
        String template = "{shoot}/{camera}/{yyyy-MM-dd}.{ext}";
        CliTesting.Result dry = run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--template", template, "--shoot", "Trip: Paris?* .", "--dry-run");
        String first = dry.out().lines().filter(l -> l.contains("IMG_0001.JPG -> ")).findFirst().orElseThrow();
        String taken = first.substring(first.indexOf("-> ") + 3);
        assertThat(taken).startsWith("Trip_ Paris__/Canon EOS R5/2024-");
        Files.createDirectories(library.resolve(taken).getParent());
        Files.writeString(library.resolve(taken), "the user's own file");

        run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(), "--template", template,
                "--shoot", "Trip: Paris?* .");
        Map<String, String> lib = Cards.library(library);
        assertThat(Files.readString(library.resolve(taken))).isEqualTo("the user's own file");
        assertThat(lib).hasSize(13);
        assertThat(lib.keySet()).allSatisfy(k -> assertThat(k).doesNotContainPattern("[:?*\"<>|\\\\]")
                .doesNotEndWith(".").doesNotContain("./").doesNotContain(" /"));
        assertThat(lib.keySet()).anyMatch(k -> k.matches("Trip_ Paris__/Canon EOS R5/2024-\\d\\d-\\d\\d-1\\.JPG"));
        Set<String> copies = new HashSet<>(lib.values());
        copies.remove(CliTesting.sha256(library.resolve(taken)));
        assertThat(copies).isEqualTo(cardPhotoHashes());

        // the same import elsewhere gives the same names
        Path second = tmp.resolve("library2");
        Files.createDirectories(second.resolve(taken).getParent());
        Files.writeString(second.resolve(taken), "the user's own file");
        run(ExitCodes.OK, "import", card.toString(), "--library", second.toString(), "--template", template,
                "--shoot", "Trip: Paris?* .");
        assertThat(Cards.library(second)).isEqualTo(lib);
        assertCardUnchanged();
    }

    @Test
    void wrongTemplatesAndSourcesAreClearErrors() throws IOException {
        CliTesting.Result t = run(ExitCodes.FAILURE, "import", card.toString(), "--library", library.toString(),
                "--template", "{yyyy}/{original}");
        assertThat(t.err()).contains("must end with .{ext}");
        CliTesting.Result u = run(ExitCodes.FAILURE, "import", card.toString(), "--library", library.toString(),
                "--template", "{yyyy}/{foo}.{ext}");
        assertThat(u.err()).contains("unknown token {foo}");
        CliTesting.Result s = run(ExitCodes.FAILURE, "import", tmp.resolve("nope").toString(), "--library",
                library.toString());
        assertThat(s.err()).contains("there is no source folder");
        CliTesting.Result inside = run(ExitCodes.FAILURE, "import", card.toString(), "--library",
                card.resolve("DCIM/lib").toString());
        assertThat(inside.err()).contains("is inside the source");
        CliTesting.Result noParent = run(ExitCodes.FAILURE, "import", card.toString(), "--library",
                tmp.resolve("a/b/c").toString());
        assertThat(noParent.err()).contains("there is no library folder");
        assertThat(library).doesNotExist();
        assertCardUnchanged();
    }

    @Test
    void eraseVerifiedDeletesOnlyImportedFilesAndEjectSaysWhatHappened() throws IOException {
        Path notes = Files.writeString(card.resolve("DCIM/100CANON/notes.txt"), "not a photo");
        CliTesting.Result r = run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--erase-verified", "--eject-when-verified");
        assertThat(r.out()).contains("imported 12 file(s)").contains("erased 12 verified file(s) from the source");
        // a temporary folder is not a card of its own: nothing is ejected, and the user is told
        assertThat(r.err()).contains("not ejected: " + card + " is not on a removable volume of its own");
        assertThat(CliTesting.filesUnder(card)).containsExactlyInAnyOrder(notes, card.resolve("MISC/AUTPRINT.MRK"));
        assertThat(new HashSet<>(Cards.library(library).values())).hasSize(12);

        JsonNode dry = JSON.readTree(run(ExitCodes.OK, "import", card.toString(), "--library", library.toString(),
                "--dry-run", "--eject-when-verified", "--json").out());
        assertThat(dry.get("eject").get("ejected").asBoolean()).isFalse();
        assertThat(dry.get("eject").get("message").asText()).contains("dry run");
    }

    private static void assertFields(JsonNode node, String... fields) {
        assertThat(node.isObject()).as("an object: %s", node).isTrue();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("fields of %s", node).containsExactlyInAnyOrder(fields);
    }
}
