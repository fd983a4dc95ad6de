package triplicate.backend;

/** A listed file: its name (within its type) and its size in bytes. */
public record FileInfo(String name, long size) {
}
