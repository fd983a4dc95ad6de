package triplicate.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a file says about the photo (or movie, or sidecar) in it. Every field but {@code format},
 * {@code captureTime}, {@code keywords} and {@code warnings} is {@code null} when the file does not record it or
 * records something unusable; the reason for the latter is among the {@code warnings}.
 *
 * @param format       the file's format, from its content where that is recognised, else from its name
 * @param captureTime  when it was taken; never null: falls back to the file's modification time
 *                     ({@link CaptureTime#isFallback()}), and the fallback is among the warnings
 * @param make         camera maker, as recorded ("Canon", "NIKON CORPORATION")
 * @param model        camera model ("Canon EOS 40D")
 * @param serial       camera body serial number
 * @param lens         lens model ("EF-S18-55mm f/3.5-5.6")
 * @param focalLength  focal length in millimetres (as recorded, not the 35 mm equivalent)
 * @param exposureTime exposure time in seconds
 * @param fNumber      aperture as an f-number (2.8 for f/2.8)
 * @param iso          ISO speed
 * @param width        image (or video) width in pixels, as stored (before orientation is applied)
 * @param height       image height in pixels
 * @param orientation  EXIF orientation, 1-8 (1: as stored; 6: rotate 90° clockwise to view)
 * @param gps          where it was taken
 * @param rating       XMP rating: 1-5 stars, 0 unrated, -1 rejected
 * @param label        XMP colour label ("Red")
 * @param keywords     XMP dc:subject keywords, in file order (never null)
 * @param warnings     what could not be read and why, in plain words (never null; empty when all went well)
 */
public record PhotoMetadata(PhotoFormat format, CaptureTime captureTime, String make, String model, String serial,
                            String lens, Double focalLength, Double exposureTime, Double fNumber, Integer iso,
                            Integer width, Integer height, Integer orientation, GpsPosition gps, Integer rating,
                            String label, List<String> keywords, List<String> warnings) {
    public PhotoMetadata {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(captureTime, "captureTime");
        keywords = List.copyOf(keywords);
        warnings = List.copyOf(warnings);
    }

    /** Make and model as one name, without repeating the maker ("Canon EOS 40D", "NIKON D50"), or null. */
    public String camera() {
        return cameraName(make, model);
    }

    /** {@code make} and {@code model} as one name, without repeating the maker; null when both are null. */
    public static String cameraName(String make, String model) {
        if (model == null) {
            return make;
        }
        if (make == null) {
            return model;
        }
        String firstWord = make.trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
        return model.toLowerCase(Locale.ROOT).startsWith(firstWord) ? model : make.trim() + " " + model;
    }

    /** The exposure time as photographers write it ("1/250", "0.3", "2"), or null. */
    public String exposureText() {
        if (exposureTime == null) {
            return null;
        }
        if (exposureTime > 0 && exposureTime < 0.25) {
            return "1/" + Math.round(1 / exposureTime);
        }
        String s = String.format(Locale.ROOT, "%.1f", exposureTime);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    public static Builder builder(PhotoFormat format, CaptureTime captureTime) {
        return new Builder(format, captureTime);
    }

    /** A copy of this with {@code more} warnings added. */
    public PhotoMetadata withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new PhotoMetadata(format, captureTime, make, model, serial, lens, focalLength, exposureTime, fNumber,
                iso, width, height, orientation, gps, rating, label, keywords, all);
    }

    /** Builds a {@link PhotoMetadata}; every field not set is null (or empty). */
    public static final class Builder {
        private PhotoFormat format;
        private CaptureTime captureTime;
        private String make;
        private String model;
        private String serial;
        private String lens;
        private Double focalLength;
        private Double exposureTime;
        private Double fNumber;
        private Integer iso;
        private Integer width;
        private Integer height;
        private Integer orientation;
        private GpsPosition gps;
        private Integer rating;
        private String label;
        private final List<String> keywords = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private Builder(PhotoFormat format, CaptureTime captureTime) {
            this.format = format;
            this.captureTime = captureTime;
        }

        public Builder format(PhotoFormat v) {
            format = v;
            return this;
        }

        public Builder captureTime(CaptureTime v) {
            captureTime = v;
            return this;
        }

        public Builder make(String v) {
            make = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder serial(String v) {
            serial = v;
            return this;
        }

        public Builder lens(String v) {
            lens = v;
            return this;
        }

        public Builder focalLength(Double v) {
            focalLength = v;
            return this;
        }

        public Builder exposureTime(Double v) {
            exposureTime = v;
            return this;
        }

        public Builder fNumber(Double v) {
            fNumber = v;
            return this;
        }

        public Builder iso(Integer v) {
            iso = v;
            return this;
        }

        public Builder dimensions(Integer w, Integer h) {
            width = w;
            height = h;
            return this;
        }

        public Builder orientation(Integer v) {
            orientation = v;
            return this;
        }

        public Builder gps(GpsPosition v) {
            gps = v;
            return this;
        }

        public Builder rating(Integer v) {
            rating = v;
            return this;
        }

        public Builder label(String v) {
            label = v;
            return this;
        }

        public Builder keywords(List<String> v) {
            keywords.clear();
            keywords.addAll(v);
            return this;
        }

        public Builder warning(String w) {
            warnings.add(w);
            return this;
        }

        public PhotoMetadata build() {
            return new PhotoMetadata(format, captureTime, make, model, serial, lens, focalLength, exposureTime,
                    fNumber, iso, width, height, orientation, gps, rating, label, keywords, warnings);
        }
    }
}
