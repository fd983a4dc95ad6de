package triplicate.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password as characters, never a {@link String} (a string cannot be zeroed and may be interned). It owns its
 * array and zeroes it on {@link #close()}; use it in try-with-resources. Key derivation uses the password's UTF-8
 * bytes, exactly as given: no trimming (beyond {@link #fromUtf8}'s one line ending) and no Unicode normalization.
 * {@link #toString()} never shows it.
 */
public final class Password implements AutoCloseable {
    private final char[] chars;
    private volatile boolean closed;

    private Password(char[] chars) {
        this.chars = chars;
    }

    /** Takes ownership of {@code chars}: the array is zeroed when this password is closed. */
    public static Password of(char[] chars) {
        return new Password(Objects.requireNonNull(chars, "chars"));
    }

    /**
     * A password from UTF-8 bytes, such as a password file's content. Strips one trailing line ending ({@code \n}
     * or {@code \r\n}), no more, so a password may end in spaces or even in a line break followed by the final
     * one. Zeroes {@code bytes}, also on failure. Throws {@link IllegalArgumentException} if the bytes are not
     * UTF-8 (the message does not show them).
     */
    public static Password fromUtf8(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int len = bytes.length;
        if (len >= 1 && bytes[len - 1] == '\n') {
            len--;
            if (len >= 1 && bytes[len - 1] == '\r') {
                len--;
            }
        }
        // UTF-8 never decodes to more chars than it has bytes
        char[] buffer = new char[len];
        try {
            CharBuffer out = CharBuffer.wrap(buffer);
            var result = decoder.decode(ByteBuffer.wrap(bytes, 0, len), out, true);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            result = decoder.flush(out);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            return new Password(Arrays.copyOf(buffer, out.position()));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the password is not valid UTF-8");
        } finally {
            Arrays.fill(buffer, '\0');
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * The characters: the live array owned by this password, not a copy. Do not keep it past {@link #close()}.
     * Throws {@link IllegalStateException} once closed.
     */
    public char[] chars() {
        checkOpen();
        return chars;
    }

    /**
     * The password's UTF-8 bytes, a new array the caller must zero. Throws {@link IllegalArgumentException} if the
     * characters hold an unpaired surrogate, which has no UTF-8 form.
     */
    byte[] utf8() {
        checkOpen();
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] buffer = new byte[chars.length * 3];
        try {
            ByteBuffer out = ByteBuffer.wrap(buffer);
            var result = encoder.encode(CharBuffer.wrap(chars), out, true);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            result = encoder.flush(out);
            if (!result.isUnderflow()) {
                result.throwException();
            }
            return Arrays.copyOf(buffer, out.position());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the password holds an unpaired surrogate and has no UTF-8 form");
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the password was closed");
        }
    }

    /** Zeroes the characters; idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return closed ? "Password[closed]" : "Password[***]";
    }
}
