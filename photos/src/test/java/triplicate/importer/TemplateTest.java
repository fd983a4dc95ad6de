package triplicate.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import triplicate.core.TriplicateException;

/** The naming template language of docs/import.md, rendered and refused. */
class TemplateTest {
    private static final LocalDateTime T = LocalDateTime.of(2024, 5, 4, 9, 5, 7, 123_000_000);
    private static final Template.Values CANON = new Template.Values(T, "Canon", "Canon EOS R5", "RF24-70mm F2.8 L IS USM",
            "012345", "IMG_0042", "Wedding");

    private static String render(String template, Template.Values v, int seq, String ext) {
        Template t = Template.parse(template);
        Template.Name n = t.render(v, seq);
        String name = n.stem() + "." + t.extension(ext);
        return n.folders().isEmpty() ? name : n.folder() + "/" + name;
    }

    @Test
    void theExampleOfTheIssue() {
        assertThat(render("{yyyy}/{yyyy-MM-dd}_{shoot}/{yyyyMMdd-HHmmss}_{seq:4}.{ext}", CANON, 7, "CR3"))
                .isEqualTo("2024/2024-05-04_Wedding/20240504-090507_0007.CR3");
    }

    @Test
    void theDefaultTemplateLeavesTheShootOutWhenThereIsNone() {
        assertThat(render(Template.DEFAULT, CANON, 1, "JPG")).isEqualTo("2024/2024-05-04_Wedding/20240504-090507_0001.JPG");
        Template.Values noShoot = new Template.Values(T, "Canon", "Canon EOS R5", null, null, "IMG_0042", null);
        assertThat(render(Template.DEFAULT, noShoot, 12, "JPG")).isEqualTo("2024/2024-05-04/20240504-090507_0012.JPG");
    }

    /** The examples table of docs/import.md. */
    @Test
    void theExamplesOfTheDocumentation() {
        Template.Values r5 = new Template.Values(T.withHour(10).withMinute(15).withSecond(0), "Canon", "Canon EOS R5",
                "RF24-70mm F2.8 L IS USM", "012345", "IMG_0042", "Smith wedding");
        Template.Values noShoot = new Template.Values(r5.time(), "Canon", "Canon EOS R5", "RF24-70mm F2.8 L IS USM",
                "012345", "IMG_0042", null);
        Template.Values studio = new Template.Values(r5.time(), "Canon", "Canon EOS R5", "RF24-70mm F2.8 L IS USM",
                "012345", "IMG_0042", "Studio");
        assertThat(render(Template.DEFAULT, r5, 1, "CR3")).isEqualTo("2024/2024-05-04_Smith wedding/20240504-101500_0001.CR3");
        assertThat(render(Template.DEFAULT, noShoot, 1, "CR3")).isEqualTo("2024/2024-05-04/20240504-101500_0001.CR3");
        assertThat(render("{yyyy}/{MM}/{original}.{ext}", r5, 1, "CR3")).isEqualTo("2024/05/IMG_0042.CR3");
        assertThat(render("{camera}/{yyyy-MM-dd}/{yyyyMMdd-HHmmss.SSS}.{ext:lower}", r5, 1, "CR3"))
                .isEqualTo("Canon EOS R5/2024-05-04/20240504-101500.123.cr3");
        assertThat(render("{yyyy}/{shoot}/{shoot}_{seq:3}[_{lens}].{ext}", studio, 1, "CR3"))
                .isEqualTo("2024/Studio/Studio_001_RF24-70mm F2.8 L IS USM.CR3");
        assertThat(render("{yyyy}[/{camera}]/{yyyy-MM-dd} {E}/{HHmmss}-{num}.{ext}", r5, 1, "CR3"))
                .isEqualTo("2024/Canon EOS R5/2024-05-04 Sat/101500-0042.CR3");
        assertThat(render("{MMMM} {EEEE}/{original}.{ext}", r5, 1, "CR3")).isEqualTo("May Saturday/IMG_0042.CR3");
    }

    @Test
    void everyToken() {
        assertThat(render("{yy}{MM}{dd}-{HH}{mm}{ss}.{SSS}-{MMM}-{E}.{ext}", CANON, 1, "jpg"))
                .isEqualTo("240504-090507.123-May-Sat.jpg");
        assertThat(render("{make}/{model}/{camera}/{lens}/{serial}/{original}_{num}_{num:6}.{ext}", CANON, 1, "jpg"))
                .isEqualTo("Canon/Canon EOS R5/Canon EOS R5/RF24-70mm F2.8 L IS USM/012345/IMG_0042_0042_000042.jpg");
        assertThat(render("{camera:lower}/{shoot:upper}_{seq}.{ext:lower}", CANON, 3, "CR3.XMP"))
                .isEqualTo("canon eos r5/WEDDING_3.cr3.xmp");
        assertThat(render("{original}.{ext:upper}", CANON, 3, "heic")).isEqualTo("IMG_0042.HEIC");
    }

    @Test
    void cameraPutsTheMakeInFrontOnlyWhenTheModelLacksIt() {
        assertThat(Template.camera("Canon", "Canon EOS R5")).isEqualTo("Canon EOS R5");
        assertThat(Template.camera("NIKON CORPORATION", "NIKON Z 8")).isEqualTo("NIKON Z 8");
        assertThat(Template.camera("FUJIFILM", "X-T5")).isEqualTo("FUJIFILM X-T5");
        assertThat(Template.camera(null, "X-T5")).isEqualTo("X-T5");
        assertThat(Template.camera("Apple", null)).isEqualTo("Apple");
    }

    @Test
    void optionalPartsAndMissingValues() {
        Template.Values bare = new Template.Values(T, null, null, null, null, "DSCF", null);
        assertThat(render("{yyyy}[/{camera}][ ({lens})]/{original}[-{num}].{ext}", bare, 1, "RAF"))
                .isEqualTo("2024/DSCF.RAF");
        assertThat(render("{yyyy}[/{camera}][ ({lens})]/{original}[-{num}].{ext}", CANON, 1, "CR3"))
                .isEqualTo("2024/Canon EOS R5 (RF24-70mm F2.8 L IS USM)/IMG_0042-0042.CR3");
        assertThat(render("{camera}/{lens}/{original}.{ext}", bare, 1, "RAF")).isEqualTo("unknown/unknown/DSCF.RAF");
    }

    @Test
    void valuesCannotMakeFoldersOrIllegalNames() {
        Template.Values evil = new Template.Values(T, "ACME", "EOS: R5?*/..", "50mm <f/1.8>", "a|b", "IMG\"1",
                "Trip: Paris?* . ");
        assertThat(render("{shoot}/{camera}/{lens}_{serial}_{original}.{ext}", evil, 1, "JPG"))
                .isEqualTo("Trip_ Paris__/ACME EOS_ R5___/50mm _f_1.8__a_b_IMG_1.JPG");
        Template.Values dots = new Template.Values(T, null, " EOS R5. ", null, null, "..", "...");
        assertThat(render("{model}/{shoot}/{original}.{ext}", dots, 1, "JPG")).isEqualTo("EOS R5/_/_.JPG");
        Template.Values device = new Template.Values(T, null, "CON", null, null, "nul", "aux.photos");
        assertThat(render("{model}/{shoot}/{original}.{ext}", device, 1, "JPG")).isEqualTo("_CON/_aux.photos/_nul.JPG");
    }

    @Test
    void literalBracesAndBrackets() {
        assertThat(render("[[{yyyy}]] {{x}}/{original}.{ext}", CANON, 1, "jpg")).isEqualTo("[2024] {x}/IMG_0042.jpg");
    }

    @Test
    void mistakesAreRefusedWithTheirPlace() {
        for (List<String> c : List.of(
                List.of("{yyyy}/{original}", "must end with .{ext}"),
                List.of("{yyyy}/{original}.{ext}.jpg", "must end with .{ext}"),
                List.of("{yyyy}/{foo}.{ext}", "unknown token {foo}"),
                List.of("{yyyy/{original}.{ext}", "unknown token"),
                List.of("{yyyy}/{original.{ext}", "unknown token"),
                List.of("{original}}.{ext}", "'}' without '{'"),
                List.of("[{shoot}/{original}.{ext}", "'[' is never closed"),
                List.of("{original}].{ext}", "']' without '['"),
                List.of("[x]/{original}.{ext}", "needs a token inside"),
                List.of("/{original}.{ext}", "relative to the library"),
                List.of("{yyyy}//{original}.{ext}", "empty folder name"),
                List.of("../{original}.{ext}", "may not start with a dot"),
                List.of("{yyyy}/.{ext}", "no name before"),
                List.of("{yyyy}:{MM}/{original}.{ext}", "':' is not allowed"),
                List.of("{seq}/{original}.{ext}", "{seq} numbers files within a folder"),
                List.of("{seq:0}.{ext}", "width from 1 to 9"),
                List.of("{shoot:title}.{ext}", ":lower or :upper"),
                List.of("{ext}/{original}.{ext}", "{ext} can only be at the end"),
                List.of("", "empty"))) {
            assertThatThrownBy(() -> Template.parse(c.get(0))).as(c.get(0)).isInstanceOf(TriplicateException.class)
                    .hasMessageContaining(c.get(1));
        }
    }

    @Test
    void longNamesAreCutToFitEveryFileSystem() {
        String longShoot = "é".repeat(300);
        Template.Values v = new Template.Values(T, null, null, null, null, "IMG_1", longShoot);
        String rendered = render("{shoot}/{shoot}_{seq:4}.{ext}", v, 1, "JPG");
        for (String segment : rendered.split("/")) {
            assertThat(segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
    }
}
