package triplicate.core;

/** What a blob inside a pack holds. The code is stored in pack headers and bound into each blob's seal. */
public enum BlobType {
    DATA((byte) 1),
    TREE((byte) 2);

    private final byte code;

    BlobType(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    public static BlobType fromCode(int code) {
        for (BlobType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new VaultCorruptException("unknown blob type code " + code);
    }
}
