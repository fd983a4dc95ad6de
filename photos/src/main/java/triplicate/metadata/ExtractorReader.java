package triplicate.metadata;

import com.adobe.internal.xmp.XMPConst;
import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentData;
import com.drew.imaging.jpeg.JpegSegmentReader;
import com.drew.imaging.jpeg.JpegSegmentType;
import com.drew.lang.ByteArrayReader;
import com.drew.lang.GeoLocation;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.exif.PanasonicRawIFD0Directory;
import com.drew.metadata.exif.makernotes.CanonMakernoteDirectory;
import com.drew.metadata.exif.makernotes.NikonType2MakernoteDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mov.media.QuickTimeVideoDirectory;
import com.drew.metadata.mov.metadata.QuickTimeMetadataDirectory;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.drew.metadata.xmp.XmpReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link MetadataReader} on metadata-extractor, plus a CR3 box walker and the XMP fields photographers use. */
final class ExtractorReader implements MetadataReader {
    /** A sidecar larger than this is not a sidecar. */
    private static final long MAX_SIDECAR = 16L << 20;
    private static final Pattern ISO6709 = Pattern.compile("([+-]\\d+(?:\\.\\d+)?)([+-]\\d+(?:\\.\\d+)?)([+-]\\d+(?:\\.\\d+)?)?.*");
    /** The QuickTime epoch: a movie header that says 0 says "unknown". */
    private static final Instant QUICKTIME_EPOCH = Instant.parse("1904-01-01T00:00:00Z");

    private final InstantSource clock;
    private final ZoneId zone;

    ExtractorReader(InstantSource clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public PhotoMetadata read(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        PhotoFormat byName = PhotoFormat.fromFileName(file.getFileName().toString());
        Problems problems = new Problems();
        Metadata md = null;
        PhotoFormat format = byName;
        if (attrs.size() == 0) {
            problems.add("the file is empty");
        } else if (byName == PhotoFormat.XMP) {
            md = readSidecar(file, attrs.size(), problems);
        } else {
            FileType detected;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
                detected = FileTypeDetector.detectFileType(in);
            }
            format = decide(byName, detected, problems);
            if (format != PhotoFormat.OTHER) {
                md = readContent(file, attrs.size(), format, problems);
                if (format == PhotoFormat.JPEG) {
                    checkJpegEnd(file, attrs.size(), problems);
                }
            }
        }
        Fields f = new Fields(md == null ? new Metadata() : md, problems);
        PhotoMetadata.Builder b = PhotoMetadata.builder(format, captureTime(f, format, attrs, problems));
        f.fill(b, format);
        problems.all().forEach(b::warning);
        return b.build();
    }

    /** The format: the content's where it is recognised and differs from the name's, else the name's. */
    private static PhotoFormat decide(PhotoFormat byName, FileType detected, Problems problems) {
        PhotoFormat byContent = switch (detected) {
            case Jpeg -> PhotoFormat.JPEG;
            case Png -> PhotoFormat.PNG;
            case Heif -> PhotoFormat.HEIC;
            case Crx -> PhotoFormat.CR3;
            case Cr2 -> PhotoFormat.CR2;
            // metadata-extractor's "ARW" and "NEF" are any little- or big-endian TIFF whose first IFD is at 8
            case Tiff, Arw, Nef -> PhotoFormat.TIFF;
            case Orf -> PhotoFormat.ORF;
            case Raf -> PhotoFormat.RAF;
            case Rw2 -> PhotoFormat.RW2;
            case QuickTime -> PhotoFormat.MOV;
            case Mp4 -> PhotoFormat.MP4;
            default -> null;
        };
        if (byContent == null) {
            if (byName != PhotoFormat.OTHER) {
                problems.add("the content is not recognisable as " + byName + " (damaged or not a photo)");
            }
            return byName;
        }
        if (byContent == byName || byName == PhotoFormat.OTHER) {
            return byName == PhotoFormat.OTHER ? PhotoFormat.OTHER : byContent;
        }
        // TIFF-based RAW formats (DNG, NEF, ARW, and others a detector may take for plain TIFF) go by their name
        if (byContent == PhotoFormat.TIFF && byName.isRaw() && byName != PhotoFormat.CR3) {
            return byName;
        }
        // a MOV named .mp4 (or the reverse) is common and harmless; QuickTime and MP4 are one family
        if (byName.isVideo() && byContent.isVideo()) {
            return byName;
        }
        problems.add("the content is " + byContent + " although the name says " + byName);
        return byContent;
    }

    private Metadata readContent(Path file, long size, PhotoFormat format, Problems problems) {
        try {
            if (format == PhotoFormat.CR3) {
                return readCr3(file, problems);
            }
            Metadata md = ImageMetadataReader.readMetadata(file.toFile());
            if (format == PhotoFormat.JPEG && md.getFirstDirectoryOfType(XmpDirectory.class) == null) {
                looseXmp(file, md);
            }
            return md;
        } catch (StackOverflowError e) {
            problems.add("metadata could not be read: its structure loops");
        } catch (Exception e) {
            problems.add("metadata could not be read: " + describe(e));
        }
        return null;
    }

    /**
     * Old writers (exiftool 7, 2008) put a space before the NUL after the XMP namespace that starts an APP1 segment,
     * and metadata-extractor then skips the packet: find it and read it anyway.
     */
    private static void looseXmp(Path file, Metadata md) {
        byte[] preamble = "http://ns.adobe.com/xap/1.0/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            JpegSegmentData segments = JpegSegmentReader.readSegments(file.toFile(), List.of(JpegSegmentType.APP1));
            for (byte[] seg : segments.getSegments(JpegSegmentType.APP1)) {
                if (seg.length > preamble.length + 2
                        && java.util.Arrays.equals(seg, 0, preamble.length, preamble, 0, preamble.length)) {
                    int start = preamble.length;
                    while (start < seg.length && seg[start] != '<') {
                        start++;
                    }
                    if (start < seg.length && start - preamble.length <= 4) {
                        new XmpReader().extract(seg, start, seg.length - start, md, null);
                    }
                }
            }
        } catch (Exception e) {
            // the packet stays unread, as metadata-extractor left it
        }
    }

    /** The four TIFF structures of a CR3, mapped onto the directories metadata-extractor gives other RAW files. */
    private static Metadata readCr3(Path file, Problems problems) throws IOException {
        Metadata md = new Metadata();
        Map<String, byte[]> boxes = Cr3Boxes.read(file);
        if (boxes.isEmpty()) {
            problems.add("no Canon metadata boxes (CMT1-CMT4) in this CR3");
        }
        for (Map.Entry<String, byte[]> e : boxes.entrySet()) {
            Directory target = switch (e.getKey()) {
                case "CMT1" -> new ExifIFD0Directory();
                case "CMT2" -> new ExifSubIFDDirectory();
                case "CMT3" -> new CanonMakernoteDirectory();
                case "CMT4" -> new GpsDirectory();
                default -> null;
            };
            if (target == null) {
                continue;
            }
            Metadata one = new Metadata();
            new ExifReader().extract(new ByteArrayReader(e.getValue()), one, 0);
            for (ExifIFD0Directory d : one.getDirectoriesOfType(ExifIFD0Directory.class)) {
                for (Tag t : d.getTags()) {
                    target.setObject(t.getTagType(), d.getObject(t.getTagType()));
                }
                for (String err : d.getErrors()) {
                    target.addError(err);
                }
                break;
            }
            md.addDirectory(target);
        }
        return md;
    }

    private static Metadata readSidecar(Path file, long size, Problems problems) throws IOException {
        if (size > MAX_SIDECAR) {
            problems.add("the XMP sidecar is " + size + " bytes, too large to be one; not read");
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        Metadata md = new Metadata();
        try {
            new XmpReader().extract(bytes, md);
        } catch (RuntimeException e) {
            problems.add("the XMP sidecar could not be read: " + describe(e));
        }
        if (md.getFirstDirectoryOfType(XmpDirectory.class) == null
                || md.getFirstDirectoryOfType(XmpDirectory.class).getXMPMeta() == null) {
            problems.add("the XMP sidecar holds no readable XMP");
        }
        return md;
    }

    /** A JPEG ends with the end-of-image marker (some cameras pad after it); a file without one was cut short. */
    private static void checkJpegEnd(Path file, long size, Problems problems) {
        int tail = (int) Math.min(size, 64 * 1024);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(tail);
            while (b.hasRemaining() && ch.read(b, size - tail + b.position()) >= 0) {
                // read the tail
            }
            byte[] a = b.array();
            for (int i = b.position() - 2; i >= 0; i--) {
                if ((a[i] & 0xff) == 0xff && (a[i + 1] & 0xff) == 0xd9) {
                    return;
                }
            }
            problems.add("the JPEG has no end-of-image marker: the file is truncated (cut short), the image is incomplete");
        } catch (IOException e) {
            problems.add("the end of the JPEG could not be read: " + describe(e));
        }
    }

    // ------------------------------------------------------------------------------------------------ capture time

    private CaptureTime captureTime(Fields f, PhotoFormat format, BasicFileAttributes attrs, Problems problems) {
        LocalDateTime latest = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.MAX);
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(f.exifDate("DateTimeOriginal", ExifDirectoryBase.TAG_DATETIME_ORIGINAL,
                ExifDirectoryBase.TAG_SUBSECOND_TIME_ORIGINAL, ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL,
                TimeSource.EXIF_ORIGINAL));
        for (String[] d : f.xmpDates()) {
            candidates.add(new Candidate(d[0], d[1], null, null, TimeSource.XMP));
        }
        candidates.add(f.exifDate("DateTimeDigitized", ExifDirectoryBase.TAG_DATETIME_DIGITIZED,
                ExifDirectoryBase.TAG_SUBSECOND_TIME_DIGITIZED, ExifDirectoryBase.TAG_TIME_ZONE_DIGITIZED,
                TimeSource.EXIF_DIGITIZED));
        candidates.add(f.quickTimeCreationDate());
        for (Candidate c : candidates) {
            CaptureTime t = c == null ? null : c.resolve(latest, problems);
            if (t != null) {
                return t;
            }
        }
        CaptureTime movie = movieHeaderTime(f, latest, problems);
        if (movie != null) {
            return movie;
        }
        Candidate modified = f.exifDate("DateTime", ExifDirectoryBase.TAG_DATETIME, ExifDirectoryBase.TAG_SUBSECOND_TIME,
                ExifDirectoryBase.TAG_TIME_ZONE, TimeSource.EXIF_MODIFIED);
        CaptureTime t = modified == null ? null : modified.resolve(latest, problems);
        if (t != null) {
            return t;
        }
        Instant mtime = attrs.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
        ZoneOffset offset = zone.getRules().getOffset(mtime);
        CaptureTime fallback = new CaptureTime(LocalDateTime.ofInstant(mtime, offset), offset, 0, TimeSource.FILE_MTIME);
        if (format != PhotoFormat.XMP) {
            // a sidecar need not carry a date: its photo does
            problems.add("no capture date in the file; its modification time " + fallback + " is used instead"
                    + (format == PhotoFormat.OTHER ? " (not a photo format Triplicate reads)" : ""));
        }
        return fallback;
    }

    /** The QuickTime/MP4 movie header's creation time: UTC, shown in the reader's zone. 0 (1904) means unknown. */
    private CaptureTime movieHeaderTime(Fields f, LocalDateTime latest, Problems problems) {
        Date d = f.date(QuickTimeDirectory.class, QuickTimeDirectory.TAG_CREATION_TIME);
        if (d == null) {
            d = f.date(Mp4Directory.class, Mp4Directory.TAG_CREATION_TIME);
        }
        if (d == null || !d.toInstant().isAfter(QUICKTIME_EPOCH)) {
            return null;
        }
        Instant i = d.toInstant();
        ZoneOffset offset = zone.getRules().getOffset(i);
        LocalDateTime local = LocalDateTime.ofInstant(i, offset);
        String why = Dates.implausible(local, latest);
        if (why != null) {
            problems.add("the movie's creation time " + i + " " + why + "; ignored");
            return null;
        }
        return new CaptureTime(local, offset, 0, TimeSource.QUICKTIME);
    }

    /** A date string found in the file, with what goes with it. */
    private record Candidate(String name, String text, String subsec, String offset, TimeSource source) {
        /** The capture time this gives, or null (absent, or unusable: the reason goes to {@code problems}). */
        CaptureTime resolve(LocalDateTime latest, Problems problems) {
            Dates.Parsed p;
            try {
                p = Dates.parse(text);
            } catch (Dates.BadDate e) {
                problems.add(name + " " + e.getMessage() + "; ignored");
                return null;
            }
            if (p == null) {
                return null;
            }
            String why = Dates.implausible(p.local(), latest);
            if (why != null) {
                problems.add(name + " '" + text.trim() + "' " + why + "; ignored");
                return null;
            }
            LocalDateTime local = p.local();
            int digits = p.subsecondDigits();
            int[] ss = Dates.subseconds(subsec);
            if (digits == 0 && ss != null) {
                local = local.withNano(ss[1]);
                digits = ss[0];
            } else if (ss == null && subsec != null && !subsec.replace('\0', ' ').isBlank()) {
                problems.add(name + "'s sub-seconds '" + subsec.trim() + "' are not digits; ignored");
            }
            ZoneOffset off = p.offset();
            if (off == null) {
                try {
                    off = Dates.offset(offset);
                } catch (Dates.BadDate e) {
                    problems.add(name + "'s " + e.getMessage() + "; ignored");
                }
            }
            return new CaptureTime(local, off, digits, source);
        }
    }

    // ------------------------------------------------------------------------------------------------ fields

    /** Reads fields from every directory of a type, first useful value wins (a CR2 has several IFD0s). */
    private static final class Fields {
        private final Metadata md;
        private final Problems problems;
        private final List<XmpFields> xmp = new ArrayList<>();

        Fields(Metadata md, Problems problems) {
            this.md = md;
            this.problems = problems;
            for (XmpDirectory d : md.getDirectoriesOfType(XmpDirectory.class)) {
                if (d.getXMPMeta() != null) {
                    xmp.add(new XmpFields(d.getXMPMeta()));
                }
            }
            for (Directory d : md.getDirectories()) {
                for (String e : d.getErrors()) {
                    problems.add(d.getName() + ": " + e);
                }
            }
        }

        <T extends Directory> String string(Class<T> type, int tag) {
            for (T d : md.getDirectoriesOfType(type)) {
                String s = clean(d.getString(tag));
                if (s != null) {
                    return s;
                }
            }
            return null;
        }

        /**
         * EXIF tags live in IFD0 or the EXIF sub-IFD depending on the writer; look in both, the sub-IFD first (a
         * Panasonic RW2's IFD0 is a directory of its own).
         */
        String exif(int tag) {
            String s = string(ExifSubIFDDirectory.class, tag);
            if (s == null) {
                s = string(ExifIFD0Directory.class, tag);
            }
            return s != null ? s : string(PanasonicRawIFD0Directory.class, tag);
        }

        <T extends Directory> Rational rational(Class<T> type, int tag) {
            for (T d : md.getDirectoriesOfType(type)) {
                Rational r = d.getRational(tag);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        <T extends Directory> Integer integer(Class<T> type, int tag) {
            for (T d : md.getDirectoriesOfType(type)) {
                try {
                    Integer i = d.getInteger(tag);
                    if (i != null) {
                        return i;
                    }
                } catch (RuntimeException e) {
                    // a value of the wrong type is no value
                }
            }
            return null;
        }

        <T extends Directory> Date date(Class<T> type, int tag) {
            for (T d : md.getDirectoriesOfType(type)) {
                Date v = d.getDate(tag);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        String xmp(Function<XmpFields, String> get) {
            for (XmpFields x : xmp) {
                String v = get.apply(x);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        List<String[]> xmpDates() {
            List<String[]> out = new ArrayList<>();
            xmp.forEach(x -> out.addAll(x.dates()));
            return out;
        }

        Candidate exifDate(String name, int tag, int subsecTag, int offsetTag, TimeSource source) {
            String text = string(ExifSubIFDDirectory.class, tag);
            Class<? extends Directory> where = ExifSubIFDDirectory.class;
            if (text == null) {
                text = string(ExifIFD0Directory.class, tag);
                where = ExifIFD0Directory.class;
            }
            if (text == null) {
                return null;
            }
            String subsec = string(where, subsecTag);
            if (subsec == null) {
                subsec = exif(subsecTag);
            }
            String offset = string(where, offsetTag);
            if (offset == null) {
                offset = exif(offsetTag);
            }
            return new Candidate("EXIF " + name, text, subsec, offset, source);
        }

        Candidate quickTimeCreationDate() {
            String s = string(QuickTimeMetadataDirectory.class, QuickTimeMetadataDirectory.TAG_CREATION_DATE);
            return s == null ? null : new Candidate("QuickTime creation date", s, null, null, TimeSource.QUICKTIME);
        }

        void fill(PhotoMetadata.Builder b, PhotoFormat format) {
            b.make(first(exif(ExifDirectoryBase.TAG_MAKE),
                    string(QuickTimeMetadataDirectory.class, QuickTimeMetadataDirectory.TAG_MAKE),
                    xmp(x -> x.get(XMPConst.NS_TIFF, "Make"))));
            b.model(first(exif(ExifDirectoryBase.TAG_MODEL),
                    string(QuickTimeMetadataDirectory.class, QuickTimeMetadataDirectory.TAG_MODEL),
                    xmp(x -> x.get(XMPConst.NS_TIFF, "Model"))));
            b.serial(first(exif(ExifDirectoryBase.TAG_BODY_SERIAL_NUMBER),
                    string(CanonMakernoteDirectory.class, CanonMakernoteDirectory.TAG_CANON_SERIAL_NUMBER),
                    string(NikonType2MakernoteDirectory.class, NikonType2MakernoteDirectory.TAG_CAMERA_SERIAL_NUMBER),
                    xmp(x -> x.get(XMPConst.NS_EXIF_AUX, "SerialNumber")),
                    xmp(x -> x.get(XmpFields.NS_EXIF_EX, "BodySerialNumber"))));
            b.lens(first(exif(ExifDirectoryBase.TAG_LENS_MODEL),
                    string(CanonMakernoteDirectory.class, CanonMakernoteDirectory.TAG_LENS_MODEL),
                    xmp(x -> x.get(XmpFields.NS_EXIF_EX, "LensModel")),
                    xmp(x -> x.get(XMPConst.NS_EXIF_AUX, "Lens"))));
            b.focalLength(positive(rationalExif(ExifDirectoryBase.TAG_FOCAL_LENGTH),
                    XmpFields.rational(xmp(x -> x.get(XMPConst.NS_EXIF, "FocalLength")))));
            b.exposureTime(positive(rationalExif(ExifDirectoryBase.TAG_EXPOSURE_TIME),
                    XmpFields.rational(xmp(x -> x.get(XMPConst.NS_EXIF, "ExposureTime")))));
            b.fNumber(positive(rationalExif(ExifDirectoryBase.TAG_FNUMBER),
                    XmpFields.rational(xmp(x -> x.get(XMPConst.NS_EXIF, "FNumber")))));
            Integer iso = integer(ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_ISO_EQUIVALENT);
            if (iso == null) {
                iso = integer(ExifIFD0Directory.class, ExifDirectoryBase.TAG_ISO_EQUIVALENT);
            }
            if (iso == null) {
                Double x = XmpFields.rational(xmp(v -> v.first(XMPConst.NS_EXIF, "ISOSpeedRatings")));
                iso = x == null ? null : x.intValue();
            }
            b.iso(iso != null && iso > 0 ? iso : null);
            dimensions(b, format);
            Integer o = integer(ExifIFD0Directory.class, ExifDirectoryBase.TAG_ORIENTATION);
            if (o == null) {
                o = integer(PanasonicRawIFD0Directory.class, PanasonicRawIFD0Directory.TagOrientation);
            }
            if (o == null) {
                Double x = XmpFields.rational(xmp(v -> v.get(XMPConst.NS_TIFF, "Orientation")));
                o = x == null ? null : x.intValue();
            }
            if (o != null && (o < 1 || o > 8)) {
                problems.add("orientation " + o + " is not an EXIF orientation (1-8); ignored");
                o = null;
            }
            b.orientation(o);
            b.gps(gps());
            String rating = xmp(XmpFields::rating);
            if (rating != null) {
                try {
                    int r = (int) Math.round(Double.parseDouble(rating));
                    if (r < -1 || r > 5) {
                        problems.add("XMP rating " + rating + " is outside -1..5; ignored");
                    } else {
                        b.rating(r);
                    }
                } catch (NumberFormatException e) {
                    problems.add("XMP rating '" + rating + "' is not a number; ignored");
                }
            }
            b.label(xmp(XmpFields::label));
            Set<String> keywords = new LinkedHashSet<>();
            xmp.forEach(x -> keywords.addAll(x.keywords()));
            for (IptcDirectory d : md.getDirectoriesOfType(IptcDirectory.class)) {
                List<String> k = d.getKeywords();
                if (k != null) {
                    k.stream().map(ExtractorReader::clean).filter(java.util.Objects::nonNull).forEach(keywords::add);
                }
            }
            b.keywords(List.copyOf(keywords));
        }

        private Double rationalExif(int tag) {
            Rational r = rational(ExifSubIFDDirectory.class, tag);
            if (r == null) {
                r = rational(ExifIFD0Directory.class, tag);
            }
            return r == null || r.getDenominator() == 0 ? null : r.doubleValue();
        }

        private void dimensions(PhotoMetadata.Builder b, PhotoFormat format) {
            Integer w = null;
            Integer h = null;
            switch (format) {
                case JPEG -> {
                    w = integer(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH);
                    h = integer(JpegDirectory.class, JpegDirectory.TAG_IMAGE_HEIGHT);
                }
                case PNG -> {
                    w = integer(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH);
                    h = integer(PngDirectory.class, PngDirectory.TAG_IMAGE_HEIGHT);
                }
                case TIFF -> {
                    w = integer(ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_WIDTH);
                    h = integer(ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_HEIGHT);
                }
                case MP4 -> {
                    w = integer(Mp4VideoDirectory.class, Mp4VideoDirectory.TAG_WIDTH);
                    h = integer(Mp4VideoDirectory.class, Mp4VideoDirectory.TAG_HEIGHT);
                }
                case MOV -> {
                    w = integer(QuickTimeVideoDirectory.class, QuickTimeVideoDirectory.TAG_WIDTH);
                    h = integer(QuickTimeVideoDirectory.class, QuickTimeVideoDirectory.TAG_HEIGHT);
                }
                case HEIC, DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2, XMP, OTHER -> {
                    // the EXIF dimensions are the full image's; HEIC's own boxes give tile sizes, RAW IFD0s previews
                }
            }
            if (w == null || h == null) {
                w = integer(ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_EXIF_IMAGE_WIDTH);
                h = integer(ExifSubIFDDirectory.class, ExifDirectoryBase.TAG_EXIF_IMAGE_HEIGHT);
            }
            if (w == null || h == null) {
                int[] best = largest(ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_WIDTH,
                        ExifDirectoryBase.TAG_IMAGE_HEIGHT);
                if (best == null) {
                    best = largest(HeifDirectory.class, HeifDirectory.TAG_IMAGE_WIDTH, HeifDirectory.TAG_IMAGE_HEIGHT);
                }
                if (best != null) {
                    w = best[0];
                    h = best[1];
                }
            }
            if (w == null || h == null) {
                Double x = XmpFields.rational(xmp(v -> v.get(XMPConst.NS_EXIF, "PixelXDimension")));
                Double y = XmpFields.rational(xmp(v -> v.get(XMPConst.NS_EXIF, "PixelYDimension")));
                w = x == null ? null : x.intValue();
                h = y == null ? null : y.intValue();
            }
            if (w != null && h != null && w > 0 && h > 0) {
                b.dimensions(w, h);
            }
        }

        private <T extends Directory> int[] largest(Class<T> type, int wTag, int hTag) {
            int[] best = null;
            for (T d : md.getDirectoriesOfType(type)) {
                Integer w = d.getInteger(wTag);
                Integer h = d.getInteger(hTag);
                if (w != null && h != null && (best == null || (long) w * h > (long) best[0] * best[1])) {
                    best = new int[] {w, h};
                }
            }
            return best;
        }

        private GpsPosition gps() {
            for (GpsDirectory d : md.getDirectoriesOfType(GpsDirectory.class)) {
                GeoLocation g;
                try {
                    g = d.getGeoLocation();
                } catch (RuntimeException e) {
                    g = null;
                }
                if (g == null) {
                    if (d.containsTag(GpsDirectory.TAG_LATITUDE)) {
                        problems.add("the GPS position is unreadable; ignored");
                    }
                    continue;
                }
                Double alt = null;
                Rational a = d.getRational(GpsDirectory.TAG_ALTITUDE);
                if (a != null && a.getDenominator() != 0) {
                    Integer ref = d.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
                    alt = (ref != null && ref == 1 ? -1 : 1) * a.doubleValue();
                }
                return position(g.getLatitude(), g.getLongitude(), alt, "EXIF GPS");
            }
            Double lat = null;
            Double lon = null;
            for (Mp4Directory d : md.getDirectoriesOfType(Mp4Directory.class)) {
                lat = d.getDoubleObject(Mp4Directory.TAG_LATITUDE);
                lon = d.getDoubleObject(Mp4Directory.TAG_LONGITUDE);
            }
            if (lat != null && lon != null) {
                return position(lat, lon, null, "MP4 location");
            }
            String iso6709 = string(QuickTimeMetadataDirectory.class, QuickTimeMetadataDirectory.TAG_LOCATION_ISO6709);
            if (iso6709 != null) {
                Matcher m = ISO6709.matcher(iso6709);
                if (m.matches()) {
                    return position(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                            m.group(3) == null ? null : Double.parseDouble(m.group(3)), "QuickTime location");
                }
                problems.add("QuickTime location '" + iso6709 + "' is unreadable; ignored");
            }
            Double xlat = XmpFields.coordinate(xmp(x -> x.get(XMPConst.NS_EXIF, "GPSLatitude")));
            Double xlon = XmpFields.coordinate(xmp(x -> x.get(XMPConst.NS_EXIF, "GPSLongitude")));
            if (xlat != null && xlon != null) {
                return position(xlat, xlon, null, "XMP GPS");
            }
            return null;
        }

        private GpsPosition position(double lat, double lon, Double alt, String what) {
            if (Double.isNaN(lat) || Double.isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                problems.add(what + " " + lat + ", " + lon + " is not a position on Earth; ignored");
                return null;
            }
            if (lat == 0 && lon == 0) {
                problems.add(what + " 0, 0 (the receiver had no fix); ignored");
                return null;
            }
            return new GpsPosition(lat, lon, alt != null && Double.isFinite(alt) ? alt : null);
        }
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replace('\0', ' ').trim();
        return t.isEmpty() ? null : t;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Double positive(Double... values) {
        for (Double v : values) {
            if (v != null && v > 0 && Double.isFinite(v)) {
                return v;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    /** The warnings of one read, without repeats, in order. */
    private static final class Problems {
        private final Set<String> all = new LinkedHashSet<>();

        void add(String p) {
            all.add(p);
        }

        List<String> all() {
            return List.copyOf(all);
        }
    }
}
