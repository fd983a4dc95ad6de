package triplicate.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into maps, lists and scalars that each remember their line and column, so every mistake
 * found after parsing is reported where it is. Duplicate keys are refused (YAML forbids them; a silent "last one wins"
 * would hide a mistake). {@code lastLine} is the last line any token of the value is on.
 */
sealed interface Located {
    int line();

    int column();

    int lastLine();

    record Scalar(Object value, String text, int line, int column) implements Located {
        @Override
        public int lastLine() {
            return line;
        }
    }

    record Mapping(Map<String, Entry> entries, int line, int column, int lastLine) implements Located {
    }

    record Sequence(List<Located> items, int line, int column, int lastLine) implements Located {
    }

    /** A key (with its own position) and its value. */
    record Entry(String key, int line, int column, Located value) {
    }

    /** Reads {@code text}; an empty document is an empty mapping. */
    static Mapping read(Path file, String text) {
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Mapping(Map.of(), 1, 1, 1);
            }
            Located root = value(file, p);
            if (!(root instanceof Mapping m)) {
                throw new ConfigException(file, root.line(), root.column(), "the file must be a mapping of sections"
                        + " (library:, policy:, mirrors:, targets:)");
            }
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new ConfigException(file, l.getLineNr(), l.getColumnNr(), "only one YAML document is allowed");
            }
            return m;
        } catch (StreamReadException e) {
            JsonLocation l = e.getLocation();
            int line = l == null ? 0 : l.getLineNr();
            int column = l == null ? 0 : l.getColumnNr();
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;   // where the problem is, not where the parser was
                column = m.getProblemMark().getColumn() + 1;
            }
            throw new ConfigException(file, line, column, "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file, 0, 0, "cannot be read: " + e.getMessage());
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        // SnakeYAML's messages quote the surrounding text over several lines; the first and the "expected" line say it
        List<String> kept = new ArrayList<>();
        for (String l : message.split("\n")) {
            String s = l.strip();
            if (!s.isEmpty() && !s.startsWith("in 'reader'") && !s.startsWith("^") && !s.contains("line ")) {
                kept.add(s);
            }
        }
        return kept.isEmpty() ? message.strip() : String.join(" ", kept.subList(0, Math.min(2, kept.size())));
    }

    private static Located value(Path file, JsonParser p) throws IOException {
        JsonLocation start = p.currentTokenLocation();
        int line = start.getLineNr();
        int col = start.getColumnNr();
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                int last = line;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation k = p.currentTokenLocation();
                    String key = p.currentName();
                    p.nextToken();
                    Located v = value(file, p);
                    if (entries.containsKey(key)) {
                        throw new ConfigException(file, k.getLineNr(), k.getColumnNr(), "'" + key + "' appears twice"
                                + " (first on line " + entries.get(key).line() + ")");
                    }
                    entries.put(key, new Entry(key, k.getLineNr(), k.getColumnNr(), v));
                    last = Math.max(last, v.lastLine());
                }
                return new Mapping(entries, line, col, last);
            }
            case START_ARRAY -> {
                List<Located> items = new ArrayList<>();
                int last = line;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    Located v = value(file, p);
                    items.add(v);
                    last = Math.max(last, v.lastLine());
                }
                return new Sequence(items, line, col, last);
            }
            case VALUE_STRING -> {
                return new Scalar(p.getText(), p.getText(), line, col);
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(p.getLongValue(), p.getText(), line, col);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(p.getDoubleValue(), p.getText(), line, col);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(p.getBooleanValue(), p.getText(), line, col);
            }
            case VALUE_NULL -> {
                return new Scalar(null, "", line, col);
            }
            default -> throw new ConfigException(file, line, col, "unexpected " + p.currentToken());
        }
    }
}
