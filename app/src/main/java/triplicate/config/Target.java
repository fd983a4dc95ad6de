package triplicate.config;

import java.util.regex.Pattern;
import triplicate.policy.MediaClass;
import triplicate.policy.Site;

/**
 * A place that holds copies of the library.
 *
 * @param name         its name in commands, reports and the catalog's copies ({@code usb}, {@code b2})
 * @param kind         mirror or vault
 * @param uri          where it is: for a mirror a local folder (an external drive, a mounted NAS share); for a vault
 *                     anything {@code --vault} takes (a folder, {@code sftp://}, {@code s3://}, {@code rclone:})
 * @param media        the kind of media it is on
 * @param location     on site or off site
 * @param passwordFile for a vault, the file holding its password (never the password itself); null: the usual
 *                     {@code TRIPLICATE_PASSWORD_FILE} / {@code TRIPLICATE_PASSWORD}
 */
public record Target(String name, TargetKind kind, String uri, MediaClass media, Site location, String passwordFile) {
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit; at most 40. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    /** Why {@code name} cannot name a target, or null when it can. */
    public static String invalidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a target's name is 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit";
        }
        if (name.equals(triplicate.policy.Holder.LIBRARY)) {
            return "'library' names the library itself in reports; choose another name";
        }
        return null;
    }

    /** Why {@code uri} cannot be a mirror's location, or null when it can: mirrors are local folders. */
    public static String invalidMirrorUri(String uri) {
        if (uri.startsWith("local:") || uri.startsWith("file:")) {
            return null;
        }
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
            return "a mirror is a local folder (an external drive, a mounted NAS share), not " + uri.replaceAll(":.*", ":")
                    + "…: mount the share and give its path, or make this target a vault";
        }
        if (!uri.startsWith("/") && !uri.startsWith("~/") && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
            return "a mirror's folder must be an absolute path (or start with ~/)";
        }
        return null;
    }
}
