package triplicate.backend;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * MD5 digests for the {@code Content-MD5} that object stores (S3, Azure Blob Storage) check an upload against
 * before they store it: an integrity check of the transfer, not a security measure.
 */
public final class ContentMd5 {
    private ContentMd5() {
    }

    /** A fresh MD5 digest, for content that arrives in pieces. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** The MD5 of {@code b} from its position to its limit; reads the buffer to its limit. */
    public static byte[] of(ByteBuffer b) {
        MessageDigest md = digest();
        md.update(b);
        return md.digest();
    }

    /** The {@code Content-MD5} header's value for {@code b} from its position to its limit (base64 of its MD5). */
    public static String header(ByteBuffer b) {
        return Base64.getEncoder().encodeToString(of(b));
    }
}
