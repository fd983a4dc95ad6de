package triplicate.backend;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The parts of a backend location's URI that every object-store backend reads alike. */
public final class LocationPaths {
    private LocationPaths() {
    }

    /**
     * The elements of a location's path ({@code /bucket/a/b/} → bucket, a, b); an empty, {@code .} or {@code ..}
     * element is refused with {@link IllegalArgumentException}, naming {@code shown}.
     */
    public static List<String> segments(String path, String shown) {
        List<String> out = new ArrayList<>();
        String p = path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("the path in " + shown + " has an empty, '.' or '..' element");
            }
            out.add(s);
        }
        return out;
    }

    /** The location as messages show it: without its query (options) and with any user information masked. */
    public static String shown(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        s = q >= 0 ? s.substring(0, q) : s;
        int at = s.indexOf('@');
        int start = s.indexOf("://");
        if (at >= 0 && start >= 0 && at > start) {
            s = s.substring(0, start + 3) + "…@" + s.substring(at + 1);
        }
        return s;
    }
}
