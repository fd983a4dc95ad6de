package triplicate.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import triplicate.core.Id;
import triplicate.core.VaultCorruptException;

/** The JSON encoding of snapshots and trees: ids as hex, instants as ISO-8601, compact, stable field order. */
public final class Json {
    private static final ObjectMapper MAPPER = build();

    private Json() {
    }

    private static ObjectMapper build() {
        SimpleModule m = new SimpleModule("triplicate");
        m.addSerializer(Id.class, new JsonSerializer<>() {
            @Override
            public void serialize(Id v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.hex());
            }
        });
        m.addDeserializer(Id.class, new JsonDeserializer<>() {
            @Override
            public Id deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Id.parse(p.getValueAsString());
            }
        });
        m.addKeyDeserializer(Id.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext c) {
                return Id.parse(key);
            }
        });
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        return JsonMapper.builder()
                .addModule(m)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** The shared mapper (immutable configuration, thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Encoded bytes: the first {@code length} bytes of {@code buffer}. */
    public record Encoded(byte[] buffer, int length) {
    }

    /**
     * As {@link #encode}, without the final copy into an array of the exact size: for large values (the tree of a
     * folder of 100,000 files is ~25 MB of JSON) that copy would double the memory needed at the peak.
     */
    public static Encoded encodeToBuffer(Object value) {
        final class Out extends java.io.ByteArrayOutputStream {
            Out() {
                super(4096);
            }

            Encoded encoded() {
                return new Encoded(buf, count);
            }
        }
        Out out = new Out();
        try {
            MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
        return out.encoded();
    }

    public static <T> T decode(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new VaultCorruptException(what + " does not parse: " + e.getMessage(), e);
        }
    }
}
