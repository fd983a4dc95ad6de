package triplicate.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DatesTest {
    @Test
    void exifXmpAndQuickTimeSpellings() throws Dates.BadDate {
        assertThat(Dates.parse("2024:06:15 12:34:56")).isEqualTo(new Dates.Parsed(LocalDateTime.of(2024, 6, 15, 12, 34, 56), 0, null));
        assertThat(Dates.parse("2024-06-15T12:34:56.25+02:00")).isEqualTo(
                new Dates.Parsed(LocalDateTime.of(2024, 6, 15, 12, 34, 56, 250_000_000), 2, ZoneOffset.ofHours(2)));
        assertThat(Dates.parse("2024-06-15T12:34:56-0530").offset()).isEqualTo(ZoneOffset.ofHoursMinutes(-5, -30));
        assertThat(Dates.parse("2024-06-15T12:34:56Z").offset()).isEqualTo(ZoneOffset.UTC);
        assertThat(Dates.parse("2024-06-15T12:34").local()).isEqualTo(LocalDateTime.of(2024, 6, 15, 12, 34));
        assertThat(Dates.parse("2024-06-15").local()).isEqualTo(LocalDateTime.of(2024, 6, 15, 0, 0));
        assertThat(Dates.parse("2024:06:15 12:34:56\0")).isNotNull();
    }

    @Test
    void blanksAreAbsentAndNonsenseIsBad() {
        assertThat(catchParse("")).isNull();
        assertThat(catchParse("    :  :     :  :  ")).isNull();
        assertThatThrownBy(() -> Dates.parse("0000:00:00 00:00:00")).hasMessageContaining("all zeros");
        assertThatThrownBy(() -> Dates.parse("2024:13:01 00:00:00")).hasMessageContaining("not a valid date");
        assertThatThrownBy(() -> Dates.parse("2024:02:30 00:00:00")).hasMessageContaining("not a valid date");
        assertThatThrownBy(() -> Dates.parse("yesterday")).hasMessageContaining("not a date");
        assertThatThrownBy(() -> Dates.offset("+25:00")).hasMessageContaining("out of range");
    }

    @Test
    void plausibility() {
        LocalDateTime now = LocalDateTime.of(2026, 1, 1, 0, 0);
        assertThat(Dates.implausible(LocalDateTime.of(1, 1, 1, 0, 0), now)).contains("before 1826");
        assertThat(Dates.implausible(LocalDateTime.of(2099, 1, 1, 0, 0), now)).contains("future");
        assertThat(Dates.implausible(LocalDateTime.of(1970, 1, 1, 0, 0), now)).isNull();
        assertThat(Dates.implausible(now.plusHours(23), now)).isNull();
    }

    @Test
    void subseconds() {
        assertThat(Dates.subseconds("277")).containsExactly(3, 277_000_000);
        assertThat(Dates.subseconds("0123456789")).containsExactly(9, 12_345_678);
        assertThat(Dates.subseconds("  ")).isNull();
        assertThat(Dates.subseconds("ab")).isNull();
    }

    private static Dates.Parsed catchParse(String s) {
        try {
            return Dates.parse(s);
        } catch (Dates.BadDate e) {
            throw new AssertionError(e);
        }
    }
}
