package triplicate.core;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte identifier: a blob id (HMAC-SHA-256 of the plaintext under the vault's id key) or a storage file name
 * (SHA-256 of the stored bytes). Immutable; shown and stored as 64 lowercase hex digits.
 */
public final class Id implements Comparable<Id> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Id(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}, which must be exactly {@value #LENGTH} bytes long. */
    public static Id of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an id has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new Id(bytes.clone());
    }

    /** Takes {@value #LENGTH} bytes starting at {@code offset}. */
    public static Id of(byte[] bytes, int offset) {
        return new Id(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    /** Parses 64 hex digits; throws {@link IllegalArgumentException} with the offending text otherwise. */
    public static Id parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("not an id (64 hex digits expected): " + hex);
        }
        try {
            return new Id(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an id (64 hex digits expected): " + hex, e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the id into {@code dst} at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, as shown to users. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        // the bytes are uniformly distributed: the first four are as good a hash as any
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(Id o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
