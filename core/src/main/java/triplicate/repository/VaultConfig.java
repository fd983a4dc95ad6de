package triplicate.repository;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import triplicate.chunker.ChunkerParams;
import triplicate.core.Id;
import triplicate.core.UnsupportedVersionException;
import triplicate.core.VaultCorruptException;
import triplicate.crypto.Sealer;
import triplicate.snapshot.Json;

/**
 * The vault's settings, fixed at {@code init}. Stored as {@code {"version":2,"data":"<base64 sealed JSON>"}}: the
 * version is readable without a password (so an unknown version gives a precise error before any key is tried), and
 * the sealed part binds the version through its AAD, so nobody without the key can change either. Version 1 vaults
 * are read as they are; {@link Repository#upgrade()} rewrites their config as version 2 (the sealed fields are the
 * same; the version says that every writer follows the {@code locks/} protocol of docs/design/retention.md).
 */
public record VaultConfig(
        @JsonProperty("id") Id id,
        @JsonProperty("created") Instant created,
        @JsonProperty("chunkerSeed") long chunkerSeed,
        @JsonProperty("chunkMin") int chunkMin,
        @JsonProperty("chunkAvg") int chunkAvg,
        @JsonProperty("chunkMax") int chunkMax,
        @JsonProperty("packSize") int packSize) {

    /** The format version this build writes. */
    public static final int VERSION = 2;
    /** The oldest format version this build reads (and upgrades with {@link Repository#upgrade()}). */
    public static final int OLDEST_READABLE = 1;

    public ChunkerParams chunkerParams() {
        return new ChunkerParams(chunkMin, chunkAvg, chunkMax, chunkerSeed);
    }

    record Outer(@JsonProperty("version") int version, @JsonProperty("data") String data) {
    }

    static byte[] aad(int version) {
        return ("triplicate config v" + version).getBytes(StandardCharsets.US_ASCII);
    }

    byte[] seal(Sealer sealer) {
        return seal(sealer, VERSION);
    }

    /** The config file of format {@code version} (tests write version 1 vaults with it). */
    byte[] seal(Sealer sealer, int version) {
        byte[] body = Json.encode(this);
        byte[] sealed = sealer.seal(body, 0, body.length, aad(version));
        return Json.encode(new Outer(version, Base64.getEncoder().encodeToString(sealed)));
    }

    /** Reads the version from the stored config; throws if it is unknown or the file is not a config. */
    static Outer readOuter(byte[] stored, String location) {
        Outer outer;
        try {
            outer = Json.mapper().readValue(stored, Outer.class);
        } catch (Exception e) {
            throw new VaultCorruptException("the config file of " + location + " is damaged (it does not parse): "
                    + "restore it from a copy, or run 'triplicate check' to see what else is affected", e);
        }
        if (outer.version() < OLDEST_READABLE || outer.version() > VERSION) {
            throw new UnsupportedVersionException("the vault at " + location + " uses format version "
                    + outer.version() + "; this Triplicate reads versions " + OLDEST_READABLE + " to " + VERSION
                    + (outer.version() > VERSION ? " (upgrade Triplicate to open it)" : ""));
        }
        if (outer.data() == null) {
            throw new VaultCorruptException("the config file of " + location + " is damaged (no sealed data)");
        }
        return outer;
    }

    static VaultConfig open(Outer outer, Sealer sealer, String location) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(outer.data());
        } catch (IllegalArgumentException e) {
            throw new VaultCorruptException("the config file of " + location + " is damaged (bad base64)", e);
        }
        byte[] body;
        try {
            body = sealer.open(sealed, 0, sealed.length, aad(outer.version()));
        } catch (VaultCorruptException e) {
            throw new VaultCorruptException("the config file of " + location
                    + " failed authentication: it was damaged or altered", e);
        }
        return Json.decode(body, VaultConfig.class, "the config of " + location);
    }
}
