package triplicate.backend;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The options of a backend location, read from its query ({@code s3://bucket/vault?connections=8&part-size=16}),
 * with errors that name the option, the allowed values and the location, never the value of an option that looks
 * like a credential.
 *
 * <p>Names are percent-decoded, lower-cased, and {@code _} reads as {@code -}, so {@code Part_Size} is
 * {@code part-size}; a name without {@code =} has the empty value. An unknown name, or one given twice, is refused
 * with {@link IllegalArgumentException}.
 */
public final class LocationOptions {
    /** One mebibyte, the unit of {@link #mebibytes}. */
    public static final long MIB = 1024 * 1024;

    private final Map<String, String> values;

    private LocationOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code rawQuery} (null or empty: no options), percent-decoding as {@link URLDecoder} does.
     *
     * @param shown         the location for messages, without its options or credentials
     * @param known         the option names the backend takes
     * @param secretName    names that look like credentials when unknown
     * @param secretRefusal the whole message that refuses such an option, from its name; it must not show the value
     */
    public static LocationOptions parse(String rawQuery, String shown, Set<String> known, Pattern secretName,
                                        Function<String, String> secretRefusal) {
        return parse(rawQuery, shown, known, secretName, secretRefusal,
                s -> URLDecoder.decode(s, StandardCharsets.UTF_8));
    }

    /**
     * As {@link #parse(String, String, Set, Pattern, Function)}, percent-decoding names and values by {@code decode}.
     */
    public static LocationOptions parse(String rawQuery, String shown, Set<String> known, Pattern secretName,
                                        Function<String, String> secretRefusal, UnaryOperator<String> decode) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new LocationOptions(out);
        }
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = decode.apply(eq < 0 ? param : param.substring(0, eq))
                    .toLowerCase(Locale.ROOT).replace('_', '-');
            String value = eq < 0 ? "" : decode.apply(param.substring(eq + 1));
            if (!known.contains(name)) {
                if (secretName.matcher(name).matches()) {
                    throw new IllegalArgumentException(secretRefusal.apply(name));
                }
                throw new IllegalArgumentException("unknown option \"" + name + "\" in " + shown + "; known: "
                        + String.join(", ", new TreeSet<>(known)));
            }
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("option \"" + name + "\" given twice in " + shown);
            }
        }
        return new LocationOptions(out);
    }

    /** The value of option {@code name} as given, or null when it is not given. */
    public String get(String name) {
        return values.get(name);
    }

    /**
     * Option {@code name} as true ({@code true}, {@code yes}, {@code 1} or empty) or false ({@code false}, {@code no},
     * {@code 0}); {@code dflt} when it is not given.
     */
    public boolean flag(String name, boolean dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("option " + name + " wants true or false, not \"" + v + "\"");
        };
    }

    /** Option {@code name} as a whole number from {@code min} to {@code max}, or {@code dflt} when it is not given. */
    public long number(String name, long dflt, long min, long max) {
        String v = values.get(name);
        return v == null ? dflt : parse(name, v, min, max, "");
    }

    /**
     * Option {@code name}, given in MiB from {@code min} to {@code max}, in bytes; {@code dflt} (in MiB) when it is not
     * given.
     */
    public long mebibytes(String name, long dflt, long min, long max) {
        String v = values.get(name);
        return (v == null ? dflt : parse(name, v, min, max, " (MiB)")) * MIB;
    }

    private static long parse(String name, String v, long min, long max, String unit) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + name + " wants a whole number from " + min + " to " + max
                    + unit + ", not \"" + v + "\"");
        }
        return n;
    }
}
