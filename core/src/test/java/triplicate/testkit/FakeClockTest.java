package triplicate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void standsStillUntilMoved() {
        FakeClock clock = new FakeClock();

        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START).isEqualTo(clock.instant());
        assertThat(clock.millis()).isEqualTo(FakeClock.DEFAULT_START.toEpochMilli());
    }

    @Test
    void advancesAndSets() {
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(clock.advance(Duration.ofDays(1))).isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
        clock.set(Instant.parse("2029-12-31T23:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2029-12-31T23:00:00Z"));
    }

    @Test
    void advanceDoesNotGoBack() {
        FakeClock clock = new FakeClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START);
    }

    @Test
    void aZonedViewFollowsTheFakeTime() {
        FakeClock clock = new FakeClock();
        var zoned = clock.withZone(java.time.ZoneOffset.UTC);

        clock.advance(Duration.ofHours(5));

        assertThat(zoned.instant()).isEqualTo(FakeClock.DEFAULT_START.plus(Duration.ofHours(5)));
    }
}
