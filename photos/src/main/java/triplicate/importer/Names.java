package triplicate.importer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * File names that every common file system accepts (ext4, APFS, NTFS, exFAT, FAT32, SMB shares): the library may
 * move to any of them, and a mirror or a restore must be able to write it. Names are NFC-normalised (macOS writes
 * NFD), the characters Windows forbids ({@code \ / : * ? " < > |}) and control characters become {@code _},
 * leading and trailing spaces and dots go (Windows drops trailing ones; a leading dot would hide the file), Windows'
 * reserved device names ({@code CON}, {@code NUL}, {@code COM1}…) get a {@code _} in front, and a name is cut to fit
 * 255 bytes of UTF-8 with room for a collision suffix.
 */
final class Names {
    /** The longest name, in UTF-8 bytes, before a collision suffix ({@code -123}) and an extension are added. */
    static final int MAX_STEM_BYTES = 200;
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private Names() {
    }

    /** Whether {@code c} is not allowed in a name on some common file system. */
    static boolean illegal(char c) {
        return c < 0x20 || c == 0x7f || "\\/:*?\"<>|".indexOf(c) >= 0;
    }

    /** A value put into a name (a camera model, a shoot name): NFC, illegal characters replaced, spaces trimmed. */
    static String value(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            b.append(illegal(c) ? '_' : c);
        }
        return b.toString().strip();
    }

    /**
     * A whole folder or file name (without extension) made portable: {@link #value} rules, no leading or trailing
     * dots and spaces, no reserved device name, at most {@link #MAX_STEM_BYTES} bytes; never empty.
     */
    static String segment(String s) {
        String v = value(s);
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == '.' || Character.isWhitespace(v.charAt(start)))) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == '.' || Character.isWhitespace(v.charAt(end - 1)))) {
            end--;
        }
        v = truncate(v.substring(start, end), MAX_STEM_BYTES);
        if (v.isEmpty()) {
            return "_";
        }
        int dot = v.indexOf('.');
        String base = (dot < 0 ? v : v.substring(0, dot)).toUpperCase(Locale.ROOT);
        return RESERVED.contains(base) ? "_" + v : v;
    }

    /** An extension: {@link #value} rules, no dots or spaces at either end. */
    static String extension(String s) {
        String v = value(s);
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == '.' || Character.isWhitespace(v.charAt(start)))) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == '.' || Character.isWhitespace(v.charAt(end - 1)))) {
            end--;
        }
        return truncate(v.substring(start, end), 40);
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String truncate(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i).strip();
    }

    /** A case-insensitive key for a library-relative name: two names with equal keys clash on some file system. */
    static String clashKey(String relative) {
        return Normalizer.normalize(relative, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
