package triplicate.importer;

import java.util.List;
import java.util.Optional;

/**
 * What the importer needs to know about a photo to name it: when it was taken and with what. Each field is null
 * when the file does not say (blank text counts as not said).
 *
 * @param capture when it was taken
 * @param make    camera maker, e.g. {@code Canon}
 * @param model   camera model, e.g. {@code Canon EOS R5}
 * @param lens    lens model
 * @param serial  camera body serial number
 * @param warnings what the metadata reader found wrong with the file, in plain words (never null): reported with the
 *                 file when its capture time is a fallback, since they say why its name is a guess
 */
public record CaptureFacts(Capture capture, String make, String model, String lens, String serial,
                           List<String> warnings) {
    /** A file that says nothing. */
    public static final CaptureFacts NONE = new CaptureFacts(null, null, null, null, null, List.of());

    public CaptureFacts {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        make = clean(make);
        model = clean(model);
        lens = clean(lens);
        serial = clean(serial);
    }

    public Optional<Capture> captureIfKnown() {
        return Optional.ofNullable(capture);
    }

    /** The same facts with another capture time. */
    public CaptureFacts withCapture(Capture c) {
        return new CaptureFacts(c, make, model, lens, serial, warnings);
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
