package triplicate.backend;

import triplicate.core.FileType;

/**
 * Names one stored file: its type and its name within that type. The name is 64 hex digits for content-addressed
 * files, {@code "config"} for the config file, and {@code KIND-…} in the locks folder (see the vault format); names
 * never contain a separator and never start with a dot (backends keep temporary files under such names).
 */
public record Handle(FileType type, String name) {
    public Handle {
        if (type == null || name == null || name.isEmpty() || name.contains("/") || name.contains("\\")
                || name.startsWith(".") || name.indexOf('\0') >= 0
                || (type == FileType.CONFIG) != name.equals("config")) {
            throw new IllegalArgumentException("invalid handle: " + type + "/" + name);
        }
    }

    public static Handle config() {
        return new Handle(FileType.CONFIG, "config");
    }

    @Override
    public String toString() {
        return type == FileType.CONFIG ? "config" : type.folder() + "/" + name;
    }
}
