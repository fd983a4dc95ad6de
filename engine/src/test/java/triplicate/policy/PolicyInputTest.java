package triplicate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Durations, tags and groupings as users type them: accepted forms, and rejections that say what is wrong. */
class PolicyInputTest {
    @Test
    void durationsInCalendarUnits() {
        assertThat(CalendarDuration.parse("30d")).isEqualTo(new CalendarDuration(0, 0, 0, 30, 0));
        assertThat(CalendarDuration.parse("1y6m")).isEqualTo(new CalendarDuration(1, 6, 0, 0, 0));
        assertThat(CalendarDuration.parse("2w3d12h")).isEqualTo(new CalendarDuration(0, 0, 2, 3, 12));
        assertThat(CalendarDuration.parse(" 0d ").isZero()).isTrue();
        assertThat(CalendarDuration.parse("1y6m").toString()).isEqualTo("1y6m");
        // calendar months: a month before 31 March is the end of February
        assertThat(CalendarDuration.parse("1m").before(Instant.parse("2024-03-31T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
    }

    @Test
    void malformedDurationsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> CalendarDuration.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CalendarDuration.parse("30")).hasMessageContaining("'30' is not a duration")
                .hasMessageContaining("no unit");
        assertThatThrownBy(() -> CalendarDuration.parse("-5d")).hasMessageContaining("negative");
        assertThatThrownBy(() -> CalendarDuration.parse("1.5d")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> CalendarDuration.parse("3 days")).hasMessageContaining("units are y (years)");
        assertThatThrownBy(() -> CalendarDuration.parse("6m1y")).hasMessageContaining("largest first");
        assertThatThrownBy(() -> CalendarDuration.parse("d")).hasMessageContaining("after its number");
    }

    @Test
    void malformedTagsAreRejectedWithTheReason() {
        assertThat(Tags.check("wedding 2024")).isEqualTo("wedding 2024");
        assertThat(Tags.check("Grüße/✓")).isEqualTo("Grüße/✓");
        assertThatThrownBy(() -> Tags.check("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Tags.check("a,b")).hasMessageContaining("comma");
        assertThatThrownBy(() -> Tags.check("tab\there")).hasMessageContaining("control character");
        assertThatThrownBy(() -> Tags.check(" padded")).hasMessageContaining("space");
        assertThatThrownBy(() -> Tags.check("x".repeat(101))).hasMessageContaining("too long");
        assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0, 0, 0, null, Set.of("bad,tag")))
                .hasMessageContaining("comma");
    }

    @Test
    void groupings() {
        assertThat(GroupBy.parse("host,paths")).isEqualTo(EnumSet.of(GroupBy.HOST, GroupBy.PATHS));
        assertThat(GroupBy.parse(" tags , host ")).isEqualTo(EnumSet.of(GroupBy.HOST, GroupBy.TAGS));
        assertThat(GroupBy.parse("")).isEmpty();
        assertThatThrownBy(() -> GroupBy.parse("host,camera")).hasMessageContaining("cannot group by 'camera'");
    }

    @Test
    void anEmptyPolicyIsRecognisedAndAGroupThatLosesEverythingIsFlagged() {
        assertThat(RetentionPolicy.none().isEmpty()).isTrue();
        RetentionPolicy tagOnly = new RetentionPolicy(0, 0, 0, 0, 0, 0, null, Set.of("keep"));
        List<SnapshotInfo> snaps = List.of(
                new SnapshotInfo("a", Instant.parse("2024-01-01T00:00:00Z"), "h1", List.of("/p"), List.of("keep")),
                new SnapshotInfo("b", Instant.parse("2024-01-02T00:00:00Z"), "h2", List.of("/p"), List.of()));
        List<GroupDecision> groups = Retention.apply(snaps, tagOnly, EnumSet.of(GroupBy.HOST), ZoneOffset.UTC);
        assertThat(groups).extracting(GroupDecision::forgetsAll).containsExactly(false, true);
    }

    @Test
    void theRecoveryWindowNeedsBothClocksPastIt() {
        Instant forgot = Instant.parse("2024-06-01T12:00:00Z");
        CalendarDuration d30 = RecoveryWindow.DEFAULT;
        Instant later = Instant.parse("2024-07-01T12:00:00Z");
        assertThat(RecoveryWindow.expired(forgot, later, later, d30)).isTrue();
        assertThat(RecoveryWindow.expired(forgot, later.minusSeconds(1), later, d30)).as("this clock: 1 s short").isFalse();
        assertThat(RecoveryWindow.expired(forgot, later, later.minusSeconds(1), d30)).as("the vault: 1 s short").isFalse();
        assertThat(RecoveryWindow.expired(forgot, forgot, forgot, CalendarDuration.parse("0d"))).isTrue();
        assertThat(RecoveryWindow.recoverableUntil(forgot, d30)).isEqualTo(later);
    }
}
