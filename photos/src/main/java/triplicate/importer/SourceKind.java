package triplicate.importer;

/** What an import reads from, as recognised from its layout. */
public enum SourceKind {
    /** A camera's card or its copy: a {@code DCIM/} folder of DCF folders ({@code 100CANON}, {@code 101_FUJI}…). */
    CAMERA_CARD("camera card"),
    /** A phone's storage or a dump of it: {@code DCIM/Camera}, {@code DCIM/100APPLE}, or Android's folders. */
    PHONE("phone"),
    /** Any other folder: everything in it is looked at. */
    FOLDER("folder");

    private final String description;

    SourceKind(String description) {
        this.description = description;
    }

    /** In words, for messages. */
    public String description() {
        return description;
    }
}
