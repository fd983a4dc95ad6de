package triplicate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of archiving: the policy without the library, and retention that never forgets an archive. */
class ArchivePolicyTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Holder NAS = new Holder("nas", MediaClass.NAS, Site.ONSITE);
    private static final Holder CLOUD = new Holder("b2", MediaClass.CLOUD, Site.OFFSITE);
    private static final Policy ARCHIVE = new Policy(2, 1, 1, Duration.ofDays(90));

    private static AssetCopies file(AssetCopies.KnownCopy... copies) {
        return new AssetCopies("a/IMG_1.CR3", List.of(new AssetCopies.FileCopies("a/IMG_1.CR3", List.of(copies))));
    }

    @Test
    void outsideTheLibraryOnlyTheTargetsCount() {
        PolicyEvaluator e = PolicyEvaluator.outsideTheLibrary(ARCHIVE, List.of(NAS, CLOUD));
        Decision none = e.evaluate(file(), NOW);
        assertThat(none.met()).isFalse();
        assertThat(none.heldBy()).isEmpty();
        assertThat(none.media()).isEmpty();
        Decision one = e.evaluate(file(new AssetCopies.KnownCopy("nas", CopyState.VERIFIED, NOW)), NOW);
        assertThat(one.met()).isFalse();
        assertThat(one.heldBy()).containsExactly("nas");
        assertThat(one.reasons()).extracting(Reason::code).containsExactly("copies", "offsite");
        Decision two = e.evaluate(file(new AssetCopies.KnownCopy("nas", CopyState.VERIFIED, NOW),
                new AssetCopies.KnownCopy("b2", CopyState.VERIFIED, NOW)), NOW);
        assertThat(two.met()).isTrue();
        assertThat(two.heldBy()).containsExactly("nas", "b2");
        Decision damaged = e.evaluate(file(new AssetCopies.KnownCopy("nas", CopyState.VERIFIED, NOW),
                new AssetCopies.KnownCopy("b2", CopyState.DAMAGED, NOW)), NOW);
        assertThat(damaged.met()).isFalse();
    }

    @Test
    void aPolicyNeverForgetsAnArchiveAndSaysWhy() {
        SnapshotInfo archive = new SnapshotInfo("aa", NOW.minus(Duration.ofDays(400)), "h", List.of("/lib/wedding"),
                List.of(Retention.ARCHIVE_TAG, "shoot:Smith wedding"));
        SnapshotInfo old = new SnapshotInfo("bb", NOW.minus(Duration.ofDays(300)), "h", List.of("/lib/wedding"),
                List.of());
        SnapshotInfo newest = new SnapshotInfo("cc", NOW, "h", List.of("/lib/wedding"), List.of());
        RetentionPolicy lastOne = new RetentionPolicy(1, 0, 0, 0, 0, 0, null, Set.of());
        List<GroupDecision> g = Retention.keepArchives(Retention.apply(List.of(archive, old, newest), lastOne,
                Set.of(), ZoneOffset.UTC));
        assertThat(g).singleElement().satisfies(d -> {
            assertThat(d.decisions()).extracting(k -> k.snapshot().id() + " " + k.keep() + " " + k.reasons())
                    .containsExactly("cc true [last 1 (#1)]", "bb false [no rule keeps it]",
                            "aa true [archived shoot Smith wedding]");
            assertThat(d.forgetsAll()).isFalse();
        });
    }
}
