package triplicate.app;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes a small, deterministic photographer's library for the demo and for tests: shoots in
 * {@code YYYY/YYYY-MM-DD_event/}, real JPEGs with an EXIF block (camera, capture time), RAW-like TIFF files with a
 * JPEG twin, and XMP sidecars.
 */
public final class SampleLibrary {
    private static final String[] EVENTS = {"wedding", "portraits", "landscape", "studio"};
    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private SampleLibrary() {
    }

    /** What was written. */
    public record Summary(int files, long bytes) {
    }

    /** Writes {@code shoots} shoots of {@code photos} photos each under {@code root}. */
    public static Summary write(Path root, int shoots, int photos, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        int files = 0;
        long bytes = 0;
        LocalDateTime day = LocalDateTime.of(2024, 5, 4, 10, 0);
        for (int s = 0; s < shoots; s++) {
            day = day.plusDays(3 + rnd.nextInt(20));
            String event = EVENTS[s % EVENTS.length];
            Path dir = root.resolve(String.valueOf(day.getYear())).resolve(day.toLocalDate() + "_" + event);
            Files.createDirectories(dir);
            for (int i = 1; i <= photos; i++) {
                LocalDateTime taken = day.plusSeconds(i * 7L + rnd.nextInt(5));
                String base = String.format("IMG_%04d", s * 100 + i);
                byte[] jpeg = jpeg(rnd, taken, s % 2 == 0 ? "Canon" : "Nikon", s % 2 == 0 ? "EOS R5" : "Z 8");
                bytes += write(dir.resolve(base + ".JPG"), jpeg, taken);
                files++;
                if (i % 3 == 0) {
                    byte[] raw = raw(rnd, 3 * 1024 * 1024 + rnd.nextInt(1024 * 1024));
                    bytes += write(dir.resolve(base + ".CR2"), raw, taken);
                    byte[] xmp = xmp(rnd.nextInt(6)).getBytes(StandardCharsets.UTF_8);
                    bytes += write(dir.resolve(base + ".xmp"), xmp, taken);
                    files += 2;
                }
            }
        }
        return new Summary(files, bytes);
    }

    private static long write(Path p, byte[] data, LocalDateTime taken) throws IOException {
        Files.write(p, data);
        Files.setLastModifiedTime(p, FileTime.from(taken.toInstant(ZoneOffset.UTC)));
        return data.length;
    }

    /** XMP sidecar with a rating, as Lightroom writes them (shortened). */
    public static String xmp(int rating) {
        return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:Rating=\"" + rating + "\"/>"
                + "</rdf:RDF></x:xmpmeta>\n";
    }

    private static byte[] jpeg(SplittableRandom rnd, LocalDateTime taken, String make, String model) throws IOException {
        int w = 1200;
        int h = 800;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int r0 = rnd.nextInt(256);
        int g0 = rnd.nextInt(256);
        int b0 = rnd.nextInt(256);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int n = rnd.nextInt(64);
                int r = (r0 + x / 8 + n) & 0xff;
                int g = (g0 + y / 6 + n) & 0xff;
                int b = (b0 + (x + y) / 10 + n) & 0xff;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return withExif(out.toByteArray(), make, model, EXIF_TIME.format(taken));
    }

    /** Inserts an APP1 Exif segment (Make, Model, DateTimeOriginal) right after the JPEG's SOI marker. */
    static byte[] withExif(byte[] jpeg, String make, String model, String dateTime) {
        byte[] mk = (make + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] md = (model + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] dt = (dateTime + "\0").getBytes(StandardCharsets.US_ASCII);
        // TIFF: header(8) IFD0(2 + 3*12 + 4) ExifIFD(2 + 12 + 4) then values
        int ifd0 = 8;
        int ifd0Size = 2 + 3 * 12 + 4;
        int exifIfd = ifd0 + ifd0Size;
        int exifSize = 2 + 12 + 4;
        int values = exifIfd + exifSize;
        ByteBuffer t = ByteBuffer.allocate(values + mk.length + md.length + dt.length).order(ByteOrder.BIG_ENDIAN);
        t.put(new byte[] {'M', 'M', 0, 42}).putInt(ifd0);
        t.putShort((short) 3);
        t.putShort((short) 0x010F).putShort((short) 2).putInt(mk.length).putInt(values);
        t.putShort((short) 0x0110).putShort((short) 2).putInt(md.length).putInt(values + mk.length);
        t.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(exifIfd);
        t.putInt(0);
        t.putShort((short) 1);
        t.putShort((short) 0x9003).putShort((short) 2).putInt(dt.length).putInt(values + mk.length + md.length);
        t.putInt(0);
        t.put(mk).put(md).put(dt);
        byte[] tiff = t.array();
        int segLen = 2 + 6 + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + segLen);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) segLen);
        out.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(tiff);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** A RAW-like file: a TIFF header pointing at a strip of sensor-like noise. */
    private static byte[] raw(SplittableRandom rnd, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long v = rnd.nextLong();
            for (int k = 0; k < 8 && i + k < size; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'I', 'I', 42, 0}).putInt(8);
        h.putShort((short) 2);
        h.putShort((short) 0x0111).putShort((short) 4).putInt(1).putInt(4096); // StripOffsets
        h.putShort((short) 0x0117).putShort((short) 4).putInt(1).putInt(size - 4096); // StripByteCounts
        h.putInt(0);
        return b;
    }
}
