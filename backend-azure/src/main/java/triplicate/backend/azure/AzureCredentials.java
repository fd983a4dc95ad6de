package triplicate.backend.azure;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the Azure backend finds its credentials, first match wins, all read from the environment the backend was
 * handed (the process's own in production), under the names the Azure CLI uses:
 *
 * <ol>
 *   <li>{@code AZURE_STORAGE_CONNECTION_STRING}: {@code AccountName=…;AccountKey=…}, or
 *       {@code SharedAccessSignature=…} (with a {@code BlobEndpoint}), or {@code UseDevelopmentStorage=true}
 *       (Azurite's well-known account); its {@code BlobEndpoint} or {@code EndpointSuffix} also says where the bare
 *       form {@code azure://ACCOUNT/…} goes;</li>
 *   <li>{@code AZURE_STORAGE_KEY}: the account's access key ({@code AZURE_STORAGE_ACCOUNT}, if set, must name the
 *       location's account);</li>
 *   <li>{@code AZURE_STORAGE_SAS_TOKEN}: a shared access signature for the account or the container.</li>
 * </ol>
 *
 * <p>Secrets are never shown: the records' {@code toString} hides them, and {@link #secrets} lists what messages must
 * not contain.
 */
final class AzureCredentials {
    /** How to give credentials, for messages. */
    static final String HOW = "set AZURE_STORAGE_KEY (an access key of the account), AZURE_STORAGE_SAS_TOKEN (a SAS"
            + " token) or AZURE_STORAGE_CONNECTION_STRING (see docs/backends/azure.md)";
    static final String CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
    static final String KEY = "AZURE_STORAGE_KEY";
    static final String ACCOUNT = "AZURE_STORAGE_ACCOUNT";
    static final String SAS_TOKEN = "AZURE_STORAGE_SAS_TOKEN";
    /** Azurite's (and the old storage emulator's) documented account; its key is public, not a secret. */
    static final String DEVELOPMENT_ACCOUNT = "devstoreaccount1";
    static final String DEVELOPMENT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzureCredentials() {
    }

    /** What the backend signs its requests with. */
    sealed interface Credential permits AccountKey, SasToken {
        /** The environment variable it came from, for messages. */
        String source();
    }

    /** Shared Key authorization with an access key of the account. */
    record AccountKey(String account, String key, String source) implements Credential {
        @Override
        public String toString() {
            return "AccountKey[" + account + ", from " + source + "]"; // never the key
        }
    }

    /** A shared access signature, without its leading {@code ?}. */
    record SasToken(String token, String source) implements Credential {
        @Override
        public String toString() {
            return "SasToken[from " + source + "]"; // never the token
        }
    }

    /** The parts of a connection string, keys as written (matched without regard to case). */
    record ConnectionString(Map<String, String> parts) {
        String get(String name) {
            for (Map.Entry<String, String> e : parts.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    String v = e.getValue().trim();
                    return v.isEmpty() ? null : v;
                }
            }
            return null;
        }

        boolean development() {
            return "true".equalsIgnoreCase(get("UseDevelopmentStorage"));
        }

        String account() {
            return development() ? DEVELOPMENT_ACCOUNT : get("AccountName");
        }

        /** The blob endpoint this string gives for {@code account}, or null for the public cloud's default. */
        URI blobEndpoint(String account) {
            String explicit = get("BlobEndpoint");
            String url;
            if (explicit != null) {
                url = explicit;
            } else if (development()) {
                url = "http://127.0.0.1:10000/" + DEVELOPMENT_ACCOUNT;
            } else if (get("EndpointSuffix") != null) {
                String protocol = get("DefaultEndpointsProtocol") == null ? "https"
                        : get("DefaultEndpointsProtocol").toLowerCase(Locale.ROOT);
                url = protocol + "://" + account + ".blob." + get("EndpointSuffix");
            } else {
                return null;
            }
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("the BlobEndpoint in " + CONNECTION_STRING
                        + " is not an http(s) URL");
            }
            return uri;
        }

        @Override
        public String toString() {
            return "ConnectionString[***]";
        }
    }

    /** The connection string in {@code env}, or null if none is set; fails (showing nothing of it) if malformed. */
    static ConnectionString connectionString(Map<String, String> env) {
        String text = env.get(CONNECTION_STRING);
        if (text == null || text.isBlank()) {
            return null;
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : text.trim().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(CONNECTION_STRING + " is not a connection string (want"
                        + " NAME=VALUE;NAME=VALUE…, e.g. as the portal's \"Access keys\" page shows it); its value"
                        + " is not shown");
            }
            parts.put(part.substring(0, eq).trim(), part.substring(eq + 1));
        }
        return new ConnectionString(parts);
    }

    /** The credential for {@code config}'s account, by the order above. */
    static Credential credential(AzureConfig config, Map<String, String> env) throws IOException {
        ConnectionString cs = connectionString(env);
        if (cs != null) {
            String account = cs.account();
            if (account != null && !account.equalsIgnoreCase(config.account())) {
                throw new IOException(config.location() + ": " + CONNECTION_STRING + " is for the storage account \""
                        + account + "\", but the location names the account \"" + config.account() + "\"; use the"
                        + " connection string of \"" + config.account() + "\", or unset it and " + HOW);
            }
            if (cs.development()) {
                return new AccountKey(DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY, CONNECTION_STRING);
            }
            String key = cs.get("AccountKey");
            if (key != null) {
                return new AccountKey(config.account(), key, CONNECTION_STRING);
            }
            String sas = cs.get("SharedAccessSignature");
            if (sas != null) {
                return new SasToken(stripQuestionMark(sas), CONNECTION_STRING);
            }
            throw new IOException(config.location() + ": " + CONNECTION_STRING + " holds neither an AccountKey nor a"
                    + " SharedAccessSignature");
        }
        String key = env.get(KEY);
        if (key != null && !key.isBlank()) {
            String account = env.get(ACCOUNT);
            if (account != null && !account.isBlank() && !account.trim().equalsIgnoreCase(config.account())) {
                throw new IOException(config.location() + ": " + KEY + " is the key of the storage account \""
                        + account.trim() + "\" (" + ACCOUNT + "), but the location names the account \""
                        + config.account() + "\"; set both for the location's account");
            }
            return new AccountKey(config.account(), key.trim(), KEY);
        }
        String sas = env.get(SAS_TOKEN);
        if (sas != null && !sas.isBlank()) {
            return new SasToken(stripQuestionMark(sas.trim()), SAS_TOKEN);
        }
        throw new IOException(config.location() + ": no Azure credentials found: " + HOW);
    }

    /** The secret values the environment holds, which no message may contain (each as written and URL-decoded). */
    static List<String> secrets(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        add(out, env.get(KEY));
        addSas(out, env.get(SAS_TOKEN));
        String text = env.get(CONNECTION_STRING);
        add(out, text);
        try {
            ConnectionString cs = connectionString(env);
            if (cs != null) {
                add(out, cs.get("AccountKey"));
                addSas(out, cs.get("SharedAccessSignature"));
            }
        } catch (IllegalArgumentException e) {
            // a malformed string is masked as a whole
        }
        out.remove(DEVELOPMENT_KEY); // public, and masking it would hide nothing
        return List.copyOf(out);
    }

    private static void addSas(List<String> out, String sas) {
        if (sas == null || sas.isBlank()) {
            return;
        }
        String token = stripQuestionMark(sas.trim());
        add(out, token);
        for (String param : token.split("&")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).equalsIgnoreCase("sig")) {
                String sig = param.substring(eq + 1);
                add(out, sig);
                try {
                    add(out, URLDecoder.decode(sig, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // not URL-encoded
                }
            }
        }
    }

    private static void add(List<String> out, String secret) {
        if (secret != null && secret.trim().length() >= 4 && !out.contains(secret.trim())) {
            out.add(secret.trim());
        }
    }

    private static String stripQuestionMark(String sas) {
        return sas.startsWith("?") ? sas.substring(1) : sas;
    }
}
