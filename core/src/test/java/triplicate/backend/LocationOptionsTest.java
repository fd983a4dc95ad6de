package triplicate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LocationOptionsTest {
    private static final Set<String> KNOWN = Set.of("connections", "part-size", "fast");
    private static final Pattern SECRET = Pattern.compile(".*(secret|key).*");

    private static LocationOptions parse(String query) {
        return LocationOptions.parse(query, "x://here", KNOWN, SECRET, name -> "no secrets here: " + name);
    }

    @Test
    void namesAreDecodedLowerCasedAndUnderscoresReadAsDashes() {
        LocationOptions o = parse("Part_Size=16&connections=%208&fast");
        assertThat(o.mebibytes("part-size", 1, 1, 1024)).isEqualTo(16 * LocationOptions.MIB);
        assertThat(o.number("connections", 4, 1, 64)).isEqualTo(8);
        assertThat(o.flag("fast", false)).isTrue();
        assertThat(o.get("missing")).isNull();
    }

    @Test
    void absentOptionsTakeTheirDefaults() {
        LocationOptions o = parse(null);
        assertThat(o.number("connections", 4, 1, 64)).isEqualTo(4);
        assertThat(o.mebibytes("part-size", 16, 1, 1024)).isEqualTo(16 * LocationOptions.MIB);
        assertThat(o.flag("fast", true)).isTrue();
    }

    @Test
    void errorsNameTheOptionAndTheLocation() {
        assertThatThrownBy(() -> parse("colour=red")).hasMessage(
                "unknown option \"colour\" in x://here; known: connections, fast, part-size");
        assertThatThrownBy(() -> parse("fast&fast=no")).hasMessage("option \"fast\" given twice in x://here");
        assertThatThrownBy(() -> parse("secret-key=hunter2")).hasMessage("no secrets here: secret-key");
        assertThatThrownBy(() -> parse("connections=0").number("connections", 4, 1, 64))
                .hasMessage("option connections wants a whole number from 1 to 64, not \"0\"");
        assertThatThrownBy(() -> parse("part-size=big").mebibytes("part-size", 16, 5, 1024))
                .hasMessage("option part-size wants a whole number from 5 to 1024 (MiB), not \"big\"");
        assertThatThrownBy(() -> parse("fast=maybe").flag("fast", false))
                .hasMessage("option fast wants true or false, not \"maybe\"");
    }
}
