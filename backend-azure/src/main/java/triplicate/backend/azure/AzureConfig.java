package triplicate.backend.azure;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an {@code azure://} location and the environment say about where the vault lives. The grammar (documented in
 * {@code docs/backends/azure.md}):
 *
 * <pre>
 *   azure://ACCOUNT/CONTAINER[/PREFIX][?OPTIONS]                 https://ACCOUNT.blob.core.windows.net, or the endpoint
 *                                                                that $AZURE_STORAGE_CONNECTION_STRING names
 *   azure://ACCOUNT.blob.SUFFIX/CONTAINER[/PREFIX]               an endpoint named by host (another Azure cloud, a
 *                                                                private endpoint): the account is the host's first label
 *   azure://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX]                 a host with a port, an IP address or a name without a
 *                                                                dot (localhost): the account follows in the path, as
 *                                                                Azurite wants it (and as the SDK reads such URLs)
 *   azure+http://…                                               any of the endpoint forms over plain HTTP (Azurite)
 * </pre>
 *
 * <p>The first element names a host when it contains a dot or a colon (a port), is an IP address, or is
 * {@code localhost}; otherwise it is a storage account (3 to 24 lower-case letters and digits, so never a host).
 *
 * <p>Options: {@code access-tier} (data packs only: {@code Hot}, {@code Cool} or {@code Cold}), {@code connections},
 * {@code block-size} and {@code block-threshold} (MiB). Credentials never appear in a location; see
 * {@link AzureCredentials}.
 *
 * @param endpoint       the account's blob service URL, e.g. {@code https://photos.blob.core.windows.net} or
 *                       {@code http://127.0.0.1:10000/devstoreaccount1} (no trailing slash)
 * @param account        the storage account
 * @param container      the container
 * @param prefix         the blob name prefix of the vault: empty, or ending with {@code /}
 * @param packTier       access tier for data packs ({@code Hot}, {@code Cool}, {@code Cold}), or {@code null} for the
 *                       account's default
 * @param connections    how many requests at once (pack uploads, and blocks of one upload)
 * @param blockSize      bytes per staged block
 * @param blockThreshold files larger than this are uploaded in blocks
 * @param location       the location for messages: no options, no credentials
 */
record AzureConfig(URI endpoint, String account, String container, String prefix, String packTier, int connections,
                   long blockSize, long blockThreshold, String location) {
    static final int DEFAULT_CONNECTIONS = 4;
    static final long MIB = 1024 * 1024;
    static final long DEFAULT_BLOCK_SIZE = 16 * MIB;
    static final long DEFAULT_BLOCK_THRESHOLD = 64 * MIB;
    /** The service's default endpoint suffix (the public Azure cloud). */
    static final String PUBLIC_SUFFIX = "core.windows.net";

    static final Set<String> OPTIONS = Set.of("access-tier", "connections", "block-size", "block-threshold");
    /** Names that belong to a SAS token or to credentials: pasting one into the location is refused, never echoed. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)(sv|ss|srt|sp|se|st|spr|sig|sr|si|sip|skoid|sktid|skt|ske|sks|skv|sdd|ses|"
                    + ".*(secret|key|token|pass|cred|auth|sas|connection).*)");
    static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Reads {@code uri} ({@code azure} or {@code azure+http}) with settings from {@code env}; fails with
     * {@link IllegalArgumentException} naming what is wrong (never echoing an option's value, in case it is secret).
     */
    static AzureConfig parse(URI uri, Map<String, String> env) {
        String shown = withoutQuery(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("azure") && !scheme.equals("azure+http")) {
            throw new IllegalArgumentException("not an azure location: " + shown);
        }
        boolean plainHttp = scheme.equals("azure+http");
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("not a valid azure location: " + shown
                    + " (write azure://ACCOUNT/CONTAINER/PREFIX, or azure+http://HOST:PORT/ACCOUNT/CONTAINER/PREFIX"
                    + " for Azurite)");
        }
        String beforeQuery = uri.getRawSchemeSpecificPart() == null ? "" : uri.getRawSchemeSpecificPart();
        if (beforeQuery.indexOf('?') >= 0) {
            beforeQuery = beforeQuery.substring(0, beforeQuery.indexOf('?'));
        }
        if (uri.getRawUserInfo() != null || beforeQuery.contains("@")) {
            throw new IllegalArgumentException("credentials do not belong in the location " + scheme + "://… (it has"
                    + " an '@') (locations are shown in messages and kept in shell history): " + AzureCredentials.HOW);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an azure location has no #fragment: " + shown);
        }
        Map<String, String> options = options(uri.getRawQuery(), shown);

        String authority = uri.getRawAuthority();
        List<String> path = segments(uri.getPath() == null ? "" : uri.getPath(), shown);
        boolean hostFirst = looksLikeHost(authority);
        boolean accountInPath = false;
        URI endpoint;
        String account;
        List<String> rest;
        if (hostFirst) {
            String host = uri.getHost() == null ? authority : uri.getHost();
            accountInPath = uri.getPort() >= 0 || pathStyle(host);
            // the SDK reads the account from the path exactly when the URL has a port: give it one
            String base = (plainHttp ? "http://" : "https://") + authority
                    + (accountInPath && uri.getPort() < 0 ? (plainHttp ? ":80" : ":443") : "");
            if (accountInPath) {
                if (path.isEmpty()) {
                    throw new IllegalArgumentException("no account in " + shown + ": write " + scheme
                            + "://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX] for an endpoint given by IP address or by a"
                            + " name without a dot");
                }
                account = path.get(0);
                rest = path.subList(1, path.size());
                endpoint = URI.create(base + "/" + account);
            } else {
                account = host.substring(0, host.indexOf('.')).toLowerCase(Locale.ROOT);
                rest = path;
                endpoint = URI.create(base);
            }
        } else {
            account = authority;
            rest = path;
            AzureCredentials.ConnectionString cs = AzureCredentials.connectionString(env);
            URI fromEnv = cs == null ? null : cs.blobEndpoint(account);
            if (fromEnv != null) {
                endpoint = fromEnv;
            } else if (plainHttp) {
                throw new IllegalArgumentException(shown + " names no host: azure+http:// is for an endpoint of your"
                        + " own, written azure+http://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX] (Azurite)");
            } else {
                endpoint = URI.create("https://" + account + ".blob." + PUBLIC_SUFFIX);
            }
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("not a valid storage account name in " + shown + ": \"" + account
                    + "\" (3 to 24 lower-case letters and digits)" + (hostFirst ? "; \"" + authority + "\" is taken"
                    + " for a host, since it has a dot or a port" : ""));
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no container in " + shown + ": write azure://ACCOUNT/CONTAINER[/PREFIX]");
        }
        String container = rest.get(0);
        if (!CONTAINER.matcher(container).matches()) {
            throw new IllegalArgumentException("not a valid container name in " + shown + ": \"" + container
                    + "\" (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter"
                    + " or digit)");
        }
        List<String> prefix = rest.subList(1, rest.size());

        String tier = tier(options.get("access-tier"));
        int connections = (int) number(options, "connections", DEFAULT_CONNECTIONS, 1, 64, 1);
        long blockSize = number(options, "block-size", DEFAULT_BLOCK_SIZE / MIB, 1, 1024, MIB);
        long threshold = number(options, "block-threshold", DEFAULT_BLOCK_THRESHOLD / MIB, 1, 1024, MIB);

        String display = scheme + "://" + (hostFirst ? authority + "/" + (accountInPath ? account + "/" : "")
                : account + "/") + container
                + (prefix.isEmpty() ? "" : "/" + String.join("/", prefix));
        return new AzureConfig(endpoint, account, container, prefix.isEmpty() ? "" : String.join("/", prefix) + "/",
                tier, connections, blockSize, threshold, display);
    }

    /** Where requests go, for messages: the endpoint without the account path of path-style endpoints. */
    String endpointName() {
        return endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    }

    /** The blob service URL of the container, e.g. {@code https://photos.blob.core.windows.net/vault}. */
    String containerUrl() {
        return endpoint + "/" + container;
    }

    private static String tier(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "hot" -> "Hot";
            case "cool" -> "Cool";
            case "cold" -> "Cold";
            case "archive" -> throw new IllegalArgumentException("access tier Archive cannot be read without"
                    + " rehydrating each blob first, which takes hours, and Triplicate reads data packs to resume a"
                    + " backup, to check and to restore; use access-tier=Cool or access-tier=Cold, or move old packs"
                    + " to Archive with a lifecycle management rule on the data/ prefix (see docs/backends/azure.md)");
            default -> throw new IllegalArgumentException("option access-tier wants Hot, Cool or Cold, not \""
                    + value + "\"");
        };
    }

    private static boolean looksLikeHost(String authority) {
        return authority.startsWith("[") || authority.contains(".") || authority.contains(":")
                || authority.equalsIgnoreCase("localhost");
    }

    /** IP addresses and names without a dot carry the account in the path (Azurite), as do hosts with a port. */
    private static boolean pathStyle(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches() || !host.contains(".");
    }

    private static List<String> segments(String path, String shown) {
        List<String> out = new ArrayList<>();
        String p = path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return out;
        }
        for (String s : p.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("the path in " + shown + " has an empty, '.' or '..' element");
            }
            out.add(s);
        }
        return out;
    }

    private static Map<String, String> options(String rawQuery, String shown) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? param : param.substring(0, eq), StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT).replace('_', '-');
            String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            if (!OPTIONS.contains(name)) {
                if (SECRET_OPTION.matcher(name).matches()) {
                    throw new IllegalArgumentException("credentials do not belong in the location " + shown
                            + " (option \"" + name + "\" looks like part of a SAS token or a key; its value is not"
                            + " shown): " + AzureCredentials.HOW);
                }
                throw new IllegalArgumentException("unknown option \"" + name + "\" in " + shown + "; known: "
                        + String.join(", ", new TreeSet<>(OPTIONS)));
            }
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("option \"" + name + "\" given twice in " + shown);
            }
        }
        return out;
    }

    private static long number(Map<String, String> options, String name, long dflt, long min, long max, long unit) {
        String v = options.get(name);
        if (v == null) {
            return dflt * unit;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + name + " wants a whole number from " + min + " to " + max
                    + (unit == MIB ? " (MiB)" : "") + ", not \"" + v + "\"");
        }
        return n * unit;
    }

    private static String withoutQuery(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        s = q >= 0 ? s.substring(0, q) : s;
        int at = s.indexOf('@');
        int start = s.indexOf("://");
        if (at >= 0 && start >= 0 && at > start) {
            s = s.substring(0, start + 3) + "…@" + s.substring(at + 1);
        }
        return s;
    }
}
