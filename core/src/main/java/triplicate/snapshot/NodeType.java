package triplicate.snapshot;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of entries a tree holds. */
public enum NodeType {
    FILE("file"), DIR("dir"), SYMLINK("symlink"), OTHER("other");

    private final String json;

    NodeType(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
