package triplicate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import triplicate.policy.AssetCopies.FileCopies;
import triplicate.policy.AssetCopies.KnownCopy;

/**
 * Golden cases of the 3-2-1 rule: each case is a small story (which targets hold which files, verified when) and the
 * exact line {@code status} prints for it. The whole table is compared at once, so a change of wording or of a rule
 * shows as a diff of this file.
 */
class PolicyEvaluatorTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Holder LIBRARY = new Holder(Holder.LIBRARY, MediaClass.INTERNAL, Site.ONSITE);
    private static final Holder USB = new Holder("usb", MediaClass.EXTERNAL_DRIVE, Site.ONSITE);
    private static final Holder NAS = new Holder("nas", MediaClass.NAS, Site.ONSITE);
    private static final Holder CLOUD = new Holder("b2", MediaClass.CLOUD, Site.OFFSITE);
    private static final PolicyEvaluator EVAL = new PolicyEvaluator(Policy.DEFAULT, LIBRARY, List.of(USB, NAS, CLOUD));

    private static KnownCopy ok(String target, int daysAgo) {
        return new KnownCopy(target, CopyState.VERIFIED, NOW.minus(Duration.ofDays(daysAgo)));
    }

    private static KnownCopy stored(String target, int daysAgo) {
        return new KnownCopy(target, CopyState.STORED, NOW.minus(Duration.ofDays(daysAgo)));
    }

    private static KnownCopy damaged(String target) {
        return new KnownCopy(target, CopyState.DAMAGED, NOW.minus(Duration.ofDays(1)));
    }

    private static KnownCopy missing(String target) {
        return new KnownCopy(target, CopyState.MISSING, NOW.minus(Duration.ofDays(1)));
    }

    /** An asset of a RAW and its sidecar; each file gets the copies {@code copies} gives it. */
    private static AssetCopies asset(Function<String, List<KnownCopy>> copies) {
        List<FileCopies> files = new ArrayList<>();
        for (String f : List.of("2024/paris/IMG_1.CR3", "2024/paris/IMG_1.xmp")) {
            files.add(new FileCopies(f, copies.apply(f)));
        }
        return new AssetCopies("2024/paris/IMG_1.CR3", files);
    }

    private record Case(String name, AssetCopies asset) {
    }

    private static String line(Case c) {
        Decision d = EVAL.evaluate(c.asset(), NOW);
        return c.name() + " | " + (d.met() ? "met" : "NOT met") + " | " + d.copies() + " | " + d.summary();
    }

    @Test
    void goldenCases() {
        List<Case> cases = List.of(
                new Case("library only", asset(f -> List.of())),
                new Case("usb and nas, both onsite", asset(f -> List.of(ok("usb", 3), ok("nas", 3)))),
                new Case("usb and cloud", asset(f -> List.of(ok("usb", 3), stored("b2", 1)))),
                new Case("all three", asset(f -> List.of(ok("usb", 3), ok("nas", 10), stored("b2", 1)))),
                new Case("cloud copy 120 days old", asset(f -> List.of(ok("usb", 3), stored("b2", 120)))),
                new Case("cloud copy exactly 90 days old", asset(f -> List.of(ok("usb", 3), stored("b2", 90)))),
                new Case("sidecar damaged on usb", asset(f -> List.of(f.endsWith("xmp") ? damaged("usb") : ok("usb", 1),
                        stored("b2", 1)))),
                new Case("sidecar never copied to usb", asset(f -> f.endsWith("xmp") ? List.of(stored("b2", 1))
                        : List.of(ok("usb", 1), stored("b2", 1)))),
                new Case("missing on nas, rest fine", asset(f -> List.of(ok("usb", 1), missing("nas"), stored("b2", 2)))),
                new Case("copies on a removed target are ignored", asset(f -> List.of(ok("old-disk", 1), ok("usb", 1)))),
                new Case("usb only", asset(f -> List.of(ok("usb", 1)))),
                new Case("nas only", asset(f -> List.of(ok("nas", 1)))));
        List<String> lines = new ArrayList<>();
        for (Case c : cases) {
            lines.add(line(c));
        }
        assertThat(String.join("\n", lines)).isEqualTo("""
                library only | NOT met | 1 | 1 copy (the library only), 1 kind of media (internal), no offsite
                usb and nas, both onsite | NOT met | 3 | no offsite
                usb and cloud | met | 3 |\s
                all three | met | 4 |\s
                cloud copy 120 days old | NOT met | 2 | 2 copies, no offsite; copy on b2 not verified for 120 days
                cloud copy exactly 90 days old | met | 3 |\s
                sidecar damaged on usb | NOT met | 2 | 2 copies; damaged on usb: 2024/paris/IMG_1.xmp
                sidecar never copied to usb | NOT met | 2 | 2 copies; usb lacks 2024/paris/IMG_1.xmp
                missing on nas, rest fine | met | 3 | missing on nas: 2024/paris/IMG_1.CR3, 2024/paris/IMG_1.xmp
                copies on a removed target are ignored | NOT met | 2 | 2 copies, no offsite
                usb only | NOT met | 2 | 2 copies, no offsite
                nas only | NOT met | 2 | 2 copies, no offsite""");
    }

    @Test
    void aLibraryOnANasOffsiteCountsItsOwnMediaAndSite() {
        PolicyEvaluator e = new PolicyEvaluator(new Policy(2, 2, 1, Duration.ofDays(30)),
                new Holder(Holder.LIBRARY, MediaClass.NAS, Site.OFFSITE), List.of(USB));
        Decision d = e.evaluate(asset(f -> List.of(ok("usb", 29))), NOW);
        assertThat(d.met()).isTrue();
        assertThat(d.heldBy()).containsExactly("library", "usb");
        assertThat(d.media()).containsExactlyInAnyOrder(MediaClass.NAS, MediaClass.EXTERNAL_DRIVE);
        assertThat(d.offsite()).isEqualTo(1);
        Decision stale = e.evaluate(asset(f -> List.of(ok("usb", 31))), NOW);
        assertThat(stale.met()).isFalse();
        assertThat(stale.summary()).isEqualTo("1 copy (the library only), 1 kind of media (nas); copy on usb not"
                + " verified for 31 days");
    }

    @Test
    void theOldestFileCopyDecidesTheAge() {
        Decision d = EVAL.evaluate(asset(f -> List.of(ok("usb", 1),
                f.endsWith("xmp") ? stored("b2", 91) : stored("b2", 1))), NOW);
        assertThat(d.reasons()).contains(new Reason.Stale("b2", 91));
        assertThat(d.reasons().stream().map(Reason::code)).containsExactly("copies", "offsite", "stale");
    }

    @Test
    void namesMustBeDistinct() {
        assertThatThrownBy(() -> new PolicyEvaluator(Policy.DEFAULT, LIBRARY, List.of(USB, USB)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyEvaluator(Policy.DEFAULT, LIBRARY,
                List.of(new Holder("library", MediaClass.NAS, Site.ONSITE)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy(0, 1, 0, Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
