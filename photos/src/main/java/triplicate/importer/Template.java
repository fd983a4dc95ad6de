package triplicate.importer;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.core.TriplicateException;

/**
 * A naming template: where in the library an imported asset goes and what it is called, e.g.
 * {@code {yyyy}/{yyyy-MM-dd}[_{shoot}]/{yyyyMMdd-HHmmss}_{seq:4}.{ext}}. The language is documented with examples in
 * docs/import.md:
 * <ul>
 *   <li>{@code {…}} is a token. A token made only of the letters {@code y M d H m s S E} and the separators
 *       {@code - _ .} and space is a pattern of the capture time ({@code {yyyy}}, {@code {MM}}, {@code {yyyy-MM-dd}},
 *       {@code {HHmmss}}, {@code {SSS}} milliseconds, {@code {MMM}} month name, {@code {E}} day name).</li>
 *   <li>{@code {make}}, {@code {model}}, {@code {camera}} (model, with the make in front unless the model starts
 *       with it), {@code {lens}}, {@code {serial}}, {@code {original}} (the original name without extension),
 *       {@code {shoot}}; each takes {@code :lower} or {@code :upper}.</li>
 *   <li>{@code {num}} the number in the original name ({@code 0123} in {@code IMG_0123}); {@code {seq}} the
 *       asset's number in its folder among this import's assets, in capture order; both take a width:
 *       {@code {seq:4}} is {@code 0001}.</li>
 *   <li>{@code {ext}} the file's own extension; the template must end with {@code .{ext}} ({@code .{ext:lower}},
 *       {@code .{ext:upper}}), so a RAW, its JPEG twin and its sidecars share one name and keep their types.</li>
 *   <li>{@code [ … ]} is optional: left out when a token inside has no value. Outside one, a missing value is
 *       {@code unknown}.</li>
 *   <li>{@code /} separates folders. {@code {{ }} [[ ]]} are literal braces and brackets.</li>
 * </ul>
 * Values are made portable (see {@link Names}): a {@code /} or {@code :} in a camera model never makes a folder or an
 * illegal name. Immutable and thread-safe.
 */
public final class Template {
    /** The template used when none is given. */
    public static final String DEFAULT = "{yyyy}/{yyyy-MM-dd}[_{shoot}]/{yyyyMMdd-HHmmss}_{seq:4}.{ext}";

    private static final Pattern DATE = Pattern.compile("[yMdHmsSE][yMdHmsSE\\-_. ]*");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)\\D*$");
    private static final List<String> TEXT_TOKENS = List.of("make", "model", "camera", "lens", "serial", "original",
            "shoot");
    private static final String KNOWN = "date patterns such as {yyyy} {MM} {dd} {HH} {mm} {ss} {SSS} {yyyy-MM-dd},"
            + " {make} {model} {camera} {lens} {serial} {original} {num} {seq} {shoot} {ext}";

    private final String text;
    private final List<Part> stem;
    private final Case extCase;
    private final boolean usesSeq;

    private Template(String text, List<Part> stem, Case extCase, boolean usesSeq) {
        this.text = text;
        this.stem = stem;
        this.extCase = extCase;
        this.usesSeq = usesSeq;
    }

    /** What a template is filled with: the facts of an asset's primary file, and the import's shoot. */
    record Values(LocalDateTime time, String make, String model, String lens, String serial, String original,
                  String shoot) {
        Values {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(original, "original");
        }
    }

    /** A rendered name: library-relative folders, and the file name without collision suffix or extension. */
    record Name(List<String> folders, String stem) {
        String folder() {
            return String.join("/", folders);
        }
    }

    enum Case { AS_IS, LOWER, UPPER }

    private sealed interface Part permits Literal, Token, Optional {
    }

    private record Literal(String text) implements Part {
    }

    private record Token(String name, String arg, DateTimeFormatter date, Case textCase, int width) implements Part {
    }

    private record Optional(List<Part> parts) implements Part {
    }

    /** Parses a template; a {@link TriplicateException} says what is wrong and where. */
    public static Template parse(String text) {
        Objects.requireNonNull(text, "template");
        Parser p = new Parser(text);
        List<Part> parts = p.parts(false);
        if (parts.isEmpty()) {
            throw p.error("the template is empty", 0);
        }
        // must end with .{ext}
        if (parts.size() < 2 || !(parts.get(parts.size() - 1) instanceof Token ext && ext.name().equals("ext"))
                || !(parts.get(parts.size() - 2) instanceof Literal dot && dot.text().endsWith("."))) {
            throw new TriplicateException("template '" + text + "' must end with .{ext} (or .{ext:lower},"
                    + " .{ext:upper}), so a RAW, its JPEG twin and its sidecars keep their types under one name");
        }
        List<Part> stem = new ArrayList<>(parts.subList(0, parts.size() - 2));
        String lastLiteral = dot.text().substring(0, dot.text().length() - 1);
        if (!lastLiteral.isEmpty()) {
            stem.add(new Literal(lastLiteral));
        }
        String flat = flatten(stem);
        if (flat.endsWith("/") || flat.isEmpty()) {
            throw new TriplicateException("template '" + text + "' gives files no name before .{ext}");
        }
        if (flat.startsWith("/")) {
            throw new TriplicateException("template '" + text + "' must be relative to the library (no leading /)");
        }
        if (flat.contains("//")) {
            throw new TriplicateException("template '" + text + "' has an empty folder name (//)");
        }
        for (String seg : flat.split("/")) {
            String trimmed = seg.strip();
            if (trimmed.equals(".") || trimmed.equals("..") || trimmed.startsWith(".")) {
                throw new TriplicateException("template '" + text + "': a folder or file name may not start with a"
                        + " dot ('" + seg + "'): it would be hidden, or leave the library");
            }
        }
        int seq = flat.indexOf("\u0001seq");
        if (seq >= 0 && flat.indexOf('/', seq) >= 0) {
            throw new TriplicateException("template '" + text + "': {seq} numbers files within a folder, so it can only"
                    + " be in the file name (after the last /)");
        }
        if (containsToken(stem, "ext")) {
            throw new TriplicateException("template '" + text + "': {ext} can only be at the end (.{ext})");
        }
        return new Template(text, List.copyOf(stem), ext.textCase(), seq >= 0);
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    /** Whether the template numbers files with {@code {seq}}. */
    public boolean usesSeq() {
        return usesSeq;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Renders the name of an asset; {@code seq} is its number in its folder (ignored if the template has none). */
    Name render(Values v, int seq) {
        StringBuilder b = new StringBuilder();
        renderInto(stem, v, seq, b);
        String[] segs = b.toString().split("/", -1);
        List<String> folders = new ArrayList<>(segs.length - 1);
        for (int i = 0; i < segs.length - 1; i++) {
            folders.add(Names.segment(segs[i]));
        }
        return new Name(List.copyOf(folders), Names.segment(segs[segs.length - 1]));
    }

    /** The extension as the template wants it. */
    String extension(String ext) {
        String e = Names.extension(ext);
        return switch (extCase) {
            case AS_IS -> e;
            case LOWER -> e.toLowerCase(Locale.ROOT);
            case UPPER -> e.toUpperCase(Locale.ROOT);
        };
    }

    /** Renders parts; false if a token had no value (the enclosing optional section is then left out). */
    private static boolean renderInto(List<Part> parts, Values v, int seq, StringBuilder out) {
        boolean complete = true;
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case Optional o -> {
                    StringBuilder inner = new StringBuilder();
                    if (renderInto(o.parts(), v, seq, inner)) {
                        out.append(inner);
                    }
                }
                case Token t -> {
                    String value = value(t, v, seq);
                    if (value == null || value.isEmpty()) {
                        complete = false;
                        out.append("unknown");
                    } else {
                        out.append(value);
                    }
                }
            }
        }
        return complete;
    }

    private static String value(Token t, Values v, int seq) {
        if (t.date() != null) {
            return t.date().format(v.time());
        }
        String raw = switch (t.name()) {
            case "make" -> v.make();
            case "model" -> v.model();
            case "camera" -> camera(v.make(), v.model());
            case "lens" -> v.lens();
            case "serial" -> v.serial();
            case "original" -> v.original();
            case "shoot" -> v.shoot();
            case "num" -> {
                Matcher m = DIGITS.matcher(v.original());
                yield m.find() ? pad(m.group(1), t.width()) : null;
            }
            case "seq" -> pad(Integer.toString(seq), t.width());
            default -> throw new IllegalStateException("token " + t.name());
        };
        if (raw == null) {
            return null;
        }
        String s = Names.value(raw);
        return switch (t.textCase()) {
            case AS_IS -> s;
            case LOWER -> s.toLowerCase(Locale.ROOT);
            case UPPER -> s.toUpperCase(Locale.ROOT);
        };
    }

    /** The camera's name: the model, with the make in front unless the model already starts with (a word of) it. */
    static String camera(String make, String model) {
        if (model == null) {
            return make;
        }
        if (make == null) {
            return model;
        }
        String first = make.split("\\s+")[0].toLowerCase(Locale.ROOT);
        return model.toLowerCase(Locale.ROOT).startsWith(first) ? model : make + " " + model;
    }

    private static String pad(String digits, int width) {
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /** The template's literal text with every token as \u0001name, for the structural checks. */
    private static String flatten(List<Part> parts) {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> b.append(l.text());
                case Token t -> b.append('\u0001').append(t.name());
                case Optional o -> b.append(flatten(o.parts()));
            }
        }
        return b.toString();
    }

    private static boolean containsToken(List<Part> parts, String name) {
        for (Part p : parts) {
            boolean found = switch (p) {
                case Literal l -> false;
                case Token t -> t.name().equals(name);
                case Optional o -> containsToken(o.parts(), name);
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        TriplicateException error(String what, int at) {
            return new TriplicateException("template '" + s + "': " + what + " (at character " + (at + 1) + ")");
        }

        List<Part> parts(boolean inOptional) {
            List<Part> parts = new ArrayList<>();
            StringBuilder lit = new StringBuilder();
            int opened = i - 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if ((c == '{' || c == '}' || c == '[' || c == ']') && i + 1 < s.length() && s.charAt(i + 1) == c) {
                    lit.append(c);
                    i += 2;
                } else if (c == '{') {
                    flush(lit, parts);
                    parts.add(token());
                } else if (c == '[') {
                    flush(lit, parts);
                    int at = i;
                    i++;
                    List<Part> inner = parts(true);
                    if (inner.stream().noneMatch(p -> !(p instanceof Literal))) {
                        throw error("an optional part [...] needs a token inside", at);
                    }
                    parts.add(new Optional(List.copyOf(inner)));
                } else if (c == ']') {
                    if (!inOptional) {
                        throw error("']' without '[' (write ]] for a literal ])", i);
                    }
                    i++;
                    flush(lit, parts);
                    return parts;
                } else if (c == '}') {
                    throw error("'}' without '{' (write }} for a literal })", i);
                } else {
                    if (c != '/' && Names.illegal(c)) {
                        throw error("'" + printable(c) + "' is not allowed in file names on every system", i);
                    }
                    lit.append(c);
                    i++;
                }
            }
            if (inOptional) {
                throw error("'[' is never closed", opened);
            }
            flush(lit, parts);
            return parts;
        }

        private static String printable(char c) {
            return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        }

        private static void flush(StringBuilder lit, List<Part> parts) {
            if (!lit.isEmpty()) {
                parts.add(new Literal(lit.toString()));
                lit.setLength(0);
            }
        }

        private Token token() {
            int at = i;
            int close = s.indexOf('}', i);
            if (close < 0) {
                throw error("'{' is never closed", at);
            }
            String body = s.substring(i + 1, close);
            i = close + 1;
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String arg = colon < 0 ? null : body.substring(colon + 1);
            if (DATE.matcher(body).matches()) {
                try {
                    return new Token(body, null, DateTimeFormatter.ofPattern(body, Locale.ENGLISH), Case.AS_IS, 0);
                } catch (IllegalArgumentException e) {
                    throw error("{" + body + "} is not a date pattern: " + e.getMessage(), at);
                }
            }
            if (TEXT_TOKENS.contains(name) || name.equals("ext")) {
                Case c = arg == null ? Case.AS_IS : switch (arg) {
                    case "lower" -> Case.LOWER;
                    case "upper" -> Case.UPPER;
                    default -> throw error("{" + name + "} takes :lower or :upper, not :" + arg, at);
                };
                return new Token(name, arg, null, c, 0);
            }
            if (name.equals("seq") || name.equals("num")) {
                int width = name.equals("seq") ? 1 : 0;
                if (arg != null) {
                    if (!arg.matches("[1-9]")) {
                        throw error("{" + name + "} takes a width from 1 to 9, e.g. {" + name + ":4}", at);
                    }
                    width = Integer.parseInt(arg);
                }
                return new Token(name, arg, null, Case.AS_IS, width);
            }
            throw error("unknown token {" + body + "}; known: " + KNOWN, at);
        }
    }
}
