package triplicate.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import triplicate.core.TriplicateException;

/**
 * A mirror's checksum manifest: one line per file the mirror holds for the library, {@code SHA256  PATH}, exactly as
 * {@code sha256sum} writes and checks it ({@code cd MIRROR && sha256sum -c .triplicate-mirror/manifest} works). A
 * path with a backslash or a newline is written as sha256sum does: the line starts with '\' and the name escapes
 * them as {@code \\} and {@code \n}. Written atomically (temporary file, forced, renamed), sorted by path.
 */
final class Manifest {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Manifest() {
    }

    /** The manifest is not what this class writes: which line and why. */
    static final class DamagedException extends TriplicateException {
        DamagedException(String message) {
            super(message);
        }
    }

    /** Path → SHA-256 of the manifest at {@code file}; empty when there is none. */
    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new TreeMap<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return out;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DamagedException("the manifest " + file + " is damaged: it is not UTF-8 text");
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new DamagedException("the manifest " + file + " is damaged: its last line is cut short");
        }
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && text.isEmpty()) {
                continue;
            }
            boolean escaped = line.startsWith("\\");
            String l = escaped ? line.substring(1) : line;
            if (l.length() < 67 || !HEX.matcher(l.substring(0, 64)).matches() || !l.startsWith("  ", 64)) {
                throw new DamagedException("the manifest " + file + " is damaged: line " + (i + 1)
                        + " is not 'SHA256  PATH'");
            }
            String path = escaped ? unescape(l.substring(66)) : l.substring(66);
            if (path == null || path.startsWith("/") || path.contains("\0")
                    || java.util.Arrays.stream(path.split("/", -1)).anyMatch(p -> p.isEmpty() || p.equals("..") || p.equals("."))) {
                throw new DamagedException("the manifest " + file + " is damaged: line " + (i + 1)
                        + " names no path inside the mirror");
            }
            if (out.put(path, l.substring(0, 64)) != null) {
                throw new DamagedException("the manifest " + file + " is damaged: line " + (i + 1) + " repeats " + path);
            }
        }
        return out;
    }

    /** Writes {@code entries} to {@code file}, replacing it atomically. */
    static void write(Path file, Map<String, String> entries) throws IOException {
        StringBuilder b = new StringBuilder(entries.size() * 100);
        for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
            String p = e.getKey();
            if (p.indexOf('\\') >= 0 || p.indexOf('\n') >= 0) {
                b.append('\\').append(e.getValue()).append("  ").append(p.replace("\\", "\\\\").replace("\n", "\\n"));
            } else {
                b.append(e.getValue()).append("  ").append(p);
            }
            b.append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= s.length()) {
                return null;
            }
            char n = s.charAt(i);
            if (n == '\\') {
                b.append('\\');
            } else if (n == 'n') {
                b.append('\n');
            } else {
                return null;
            }
        }
        return b.toString();
    }
}
