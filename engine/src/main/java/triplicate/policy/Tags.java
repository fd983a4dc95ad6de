package triplicate.policy;

/**
 * What a tag may be: 1 to 100 characters, no commas (lists of tags are written with commas), no control characters,
 * no spaces at either end. Backups and policies check tags with {@link #check}, so every tag can be named again.
 */
public final class Tags {
    public static final int MAX_LENGTH = 100;

    private Tags() {
    }

    /** Returns {@code tag}, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static String check(String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("a tag cannot be empty");
        }
        String shown = "'" + tag.replaceAll("\\p{Cntrl}", "?") + "'";
        if (tag.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the tag " + shown.substring(0, 20) + "…' is too long (" + tag.length()
                    + " characters; at most " + MAX_LENGTH + ")");
        }
        if (tag.indexOf(',') >= 0) {
            throw new IllegalArgumentException("the tag " + shown + " contains a comma, which separates tags in lists");
        }
        if (tag.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the tag " + shown + " contains a control character (tab, newline…)");
        }
        if (!tag.strip().equals(tag)) {
            throw new IllegalArgumentException("the tag " + shown + " starts or ends with a space");
        }
        return tag;
    }
}
