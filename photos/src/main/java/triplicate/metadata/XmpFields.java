package triplicate.metadata;

import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The XMP properties Triplicate reads, from one XMP packet (embedded or a sidecar). */
final class XmpFields {
    static final String NS_EXIF_EX = "http://cipa.jp/exif/1.0/";
    /** Lightroom and darktable write GPS as "48,51.504N" or "48,51,30.24N". */
    private static final Pattern GPS = Pattern.compile("(\\d{1,3}),(\\d{1,2}(?:\\.\\d+)?)(?:,(\\d{1,2}(?:\\.\\d+)?))?([NSEW])");

    private final XMPMeta meta;

    XmpFields(XMPMeta meta) {
        this.meta = meta;
    }

    /** A simple property's value, trimmed; null when absent, blank or not a simple value. */
    String get(String ns, String name) {
        try {
            String v = meta.getPropertyString(ns, name);
            return v == null || v.isBlank() ? null : v.trim();
        } catch (XMPException | RuntimeException e) {
            return null;
        }
    }

    /** The first item of an array property (or the value of a simple one), or null. */
    String first(String ns, String name) {
        List<String> all = items(ns, name);
        return all.isEmpty() ? get(ns, name) : all.get(0);
    }

    /** The items of an array property (dc:subject), in order; empty when absent. */
    List<String> items(String ns, String name) {
        List<String> out = new ArrayList<>();
        try {
            if (!meta.doesPropertyExist(ns, name) || !meta.getProperty(ns, name).getOptions().isArray()) {
                return out;
            }
            int n = meta.countArrayItems(ns, name);
            for (int i = 1; i <= n; i++) {
                String v = meta.getArrayItem(ns, name, i).getValue();
                if (v != null && !v.isBlank()) {
                    out.add(v.trim());
                }
            }
        } catch (XMPException | RuntimeException e) {
            // an odd array is as good as none
        }
        return out;
    }

    String rating() {
        return get(XMPConst.NS_XMP, "Rating");
    }

    String label() {
        return get(XMPConst.NS_XMP, "Label");
    }

    List<String> keywords() {
        return items(XMPConst.NS_DC, "subject");
    }

    /** The capture date candidates, best first: exif:DateTimeOriginal, photoshop:DateCreated, xmp:CreateDate. */
    List<String[]> dates() {
        List<String[]> out = new ArrayList<>();
        add(out, "XMP exif:DateTimeOriginal", get(XMPConst.NS_EXIF, "DateTimeOriginal"));
        add(out, "XMP exifEX:DateTimeOriginal", get(NS_EXIF_EX, "DateTimeOriginal"));
        add(out, "XMP photoshop:DateCreated", get(XMPConst.NS_PHOTOSHOP, "DateCreated"));
        add(out, "XMP xmp:CreateDate", get(XMPConst.NS_XMP, "CreateDate"));
        return out;
    }

    private static void add(List<String[]> out, String name, String value) {
        if (value != null) {
            out.add(new String[] {name, value});
        }
    }

    /** Degrees from an XMP GPS coordinate ("48,51.504N"); null when absent; NaN when unreadable. */
    static Double coordinate(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = GPS.matcher(v.trim());
        if (!m.matches()) {
            return Double.NaN;
        }
        double d = Integer.parseInt(m.group(1)) + Double.parseDouble(m.group(2)) / 60
                + (m.group(3) == null ? 0 : Double.parseDouble(m.group(3)) / 3600);
        return m.group(4).equals("S") || m.group(4).equals("W") ? -d : d;
    }

    /** A rational as XMP writes it ("1/250", "28/10", "50") in decimal; null when absent or unreadable. */
    static Double rational(String v) {
        if (v == null) {
            return null;
        }
        try {
            int slash = v.indexOf('/');
            if (slash < 0) {
                return Double.parseDouble(v.trim());
            }
            double den = Double.parseDouble(v.substring(slash + 1).trim());
            return den == 0 ? null : Double.parseDouble(v.substring(0, slash).trim()) / den;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
