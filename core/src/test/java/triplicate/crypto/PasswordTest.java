package triplicate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PasswordTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "secret\\n          | secret",
        "secret\\r\\n       | secret",
        "secret\\n\\n       | secret\\n",
        "secret\\r\\n\\r\\n | secret\\r\\n",
        "secret\\r          | secret\\r",
        "secret\\n\\r       | secret\\n\\r",
        "\" secret \"       | \" secret \"",
        "\" secret \\n\"    | \" secret \"",
        "secret             | secret",
        "\\n                | \"\"",
        "\"\"               | \"\"",
        "Grüße ✓\\n         | Grüße ✓",
    })
    void fromUtf8StripsExactlyOneTrailingLineEnding(String file, String expected) {
        try (Password password = Password.fromUtf8(utf8(unescape(file)))) {
            assertThat(new String(password.chars())).isEqualTo(unescape(expected));
        }
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r");
    }

    @Test
    void fromUtf8ZeroesItsInput() {
        byte[] file = utf8("hunter2\n");

        Password password = Password.fromUtf8(file);

        assertThat(file).containsOnly(0);
        password.close();
    }

    @Test
    void fromUtf8RejectsInvalidUtf8WithoutShowingItAndStillZeroesTheInput() {
        byte[] file = {'a', 'b', (byte) 0xc3, '\n'};

        assertThatThrownBy(() -> Password.fromUtf8(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password is not valid UTF-8");
        assertThat(file).containsOnly(0);
    }

    @Test
    void closeZeroesTheOwnedArrayAndLaterUseFails() {
        char[] chars = "correct horse".toCharArray();
        Password password = Password.of(chars);
        assertThat(password.chars()).isSameAs(chars);

        password.close();

        assertThat(chars).containsOnly('\0');
        assertThatThrownBy(password::chars).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(password::utf8).isInstanceOf(IllegalStateException.class);
        password.close(); // idempotent
    }

    @Test
    void fromUtf8ArrayIsZeroedOnClose() {
        Password password = Password.fromUtf8(utf8("abc"));
        char[] chars = password.chars();

        password.close();

        assertThat(chars).containsOnly('\0');
    }

    @Test
    void utf8EncodesTheCharactersAndRejectsUnpairedSurrogates() {
        try (Password password = Password.of("Grüße ✓ 📷".toCharArray())) {
            assertThat(password.utf8()).isEqualTo(utf8("Grüße ✓ 📷"));
        }
        try (Password password = Password.of(new char[] {'a', '\ud83d'})) {
            assertThatThrownBy(password::utf8).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void toStringNeverShowsThePassword() {
        try (Password password = Password.of("hunter2".toCharArray())) {
            assertThat(password.toString()).doesNotContain("hunter2");
        }
    }
}
