package triplicate.config;

import java.nio.file.Path;
import triplicate.core.TriplicateException;

/** The config file is not valid: where (file, line, column; 0 when unknown) and why. */
public final class ConfigException extends TriplicateException {
    private final Path file;
    private final int line;
    private final int column;
    private final String reason;

    public ConfigException(Path file, int line, int column, String reason) {
        super(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** The line (from 1), or 0 when the mistake is not on one line. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
