package triplicate.backend.azure;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import triplicate.backend.LocationOptions;
import triplicate.backend.LocationPaths;

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
        String shown = LocationPaths.shown(uri);
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
        LocationOptions options = LocationOptions.parse(uri.getRawQuery(), shown, OPTIONS, SECRET_OPTION,
                name -> "credentials do not belong in the location " + shown + " (option \"" + name
                        + "\" looks like part of a SAS token or a key; its value is not shown): " + AzureCredentials.HOW);

        String authority = uri.getRawAuthority();
        List<String> path = LocationPaths.segments(uri.getPath() == null ? "" : uri.getPath(), shown);
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
        int connections = (int) options.number("connections", DEFAULT_CONNECTIONS, 1, 64);
        long blockSize = options.mebibytes("block-size", DEFAULT_BLOCK_SIZE / MIB, 1, 1024);
        long threshold = options.mebibytes("block-threshold", DEFAULT_BLOCK_THRESHOLD / MIB, 1, 1024);

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
}
