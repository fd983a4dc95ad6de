package triplicate.backend.s3;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import triplicate.backend.LocationOptions;
import triplicate.backend.LocationPaths;

/**
 * What an {@code s3://} location and the environment say about where the vault lives and how to talk to it. The
 * grammar (documented in {@code docs/backends/s3.md}):
 *
 * <pre>
 *   s3://BUCKET[/PREFIX][?OPTIONS]                  AWS S3 (or the endpoint in $AWS_ENDPOINT_URL_S3 / $AWS_ENDPOINT_URL)
 *   s3://HOST[:PORT]/BUCKET[/PREFIX][?OPTIONS]      any S3-compatible service, over HTTPS
 *   s3+http://HOST[:PORT]/BUCKET[/PREFIX][?OPTIONS] the same over plain HTTP (a local MinIO, a test server)
 * </pre>
 *
 * <p>The first element names a host when it contains a dot or a colon, is an IP address, or is {@code localhost};
 * otherwise it is an AWS bucket. A bucket whose name contains dots is therefore written with its endpoint:
 * {@code s3://s3.eu-west-1.amazonaws.com/my.photos/vault}.
 *
 * <p>Options: {@code region}, {@code path-style}, {@code storage-class} (for data packs only), {@code archive}, {@code connections},
 * {@code part-size} and {@code multipart-threshold} (MiB), {@code conditional-writes}, {@code profile}. Credentials
 * never appear in a location; see {@link S3Credentials}.
 *
 * @param endpoint          the service's base URI, or {@code null} for AWS's own endpoints
 * @param bucket            the bucket
 * @param prefix            the key prefix of the vault: empty, or ending with {@code /}
 * @param region            the signing region (never null)
 * @param pathStyle         {@code host/bucket/key} addressing rather than {@code bucket.host/key}
 * @param packStorageClass  storage class for data packs, or {@code null} for the bucket's default
 * @param archive           the location acknowledges that data packs may be in a class that needs a thaw before a
 *                          read ({@code archive=true}): required for GLACIER and DEEP_ARCHIVE; restores then plan
 *                          the thaw before reading
 * @param connections       how many requests at once (pack uploads and multipart parts)
 * @param partSize          bytes per multipart part
 * @param multipartThreshold files larger than this are uploaded in parts
 * @param conditionalWrites whether to send {@code If-None-Match: *} so that nothing is ever overwritten
 * @param profile           the AWS profile for credentials, or {@code null} for $AWS_PROFILE or {@code default}
 * @param location          the location for messages: no options, no credentials
 */
record S3Config(URI endpoint, String bucket, String prefix, String region, boolean pathStyle, String packStorageClass,
                boolean archive, int connections, long partSize, long multipartThreshold, boolean conditionalWrites, String profile,
                String location) {
    static final int DEFAULT_CONNECTIONS = 4;
    static final long MIB = 1024 * 1024;
    static final long DEFAULT_PART_SIZE = 16 * MIB;
    static final long DEFAULT_MULTIPART_THRESHOLD = 64 * MIB;
    /** The smallest part S3 accepts (except the last). */
    static final long MIN_PART_SIZE = 5 * MIB;

    static final Set<String> OPTIONS = Set.of("region", "path-style", "storage-class", "archive", "connections",
            "part-size", "multipart-threshold", "conditional-writes", "profile");
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i).*(secret|key|token|pass|cred|auth|sig).*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hosts whose name carries the region: AWS, Wasabi and Backblaze B2 regional endpoints. */
    private static final Pattern REGIONAL_HOST = Pattern.compile(
            "s3[.-](?:dualstack\\.)?([a-z]{2}(?:-[a-z]+)+-\\d{1,3})\\.(?:amazonaws\\.com|wasabisys\\.com|backblazeb2\\.com)");
    private static final Pattern STORAGE_CLASS = Pattern.compile("[A-Z][A-Z0-9_]*");

    /**
     * Reads {@code uri} ({@code s3} or {@code s3+http}) with settings from {@code env}; fails with
     * {@link IllegalArgumentException} naming what is wrong (never echoing an option's value, in case it is secret).
     */
    static S3Config parse(URI uri, Map<String, String> env) {
        String shown = LocationPaths.shown(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("s3") && !scheme.equals("s3+http")) {
            throw new IllegalArgumentException("not an s3 location: " + shown);
        }
        boolean plainHttp = scheme.equals("s3+http");
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("not a valid s3 location: " + shown
                    + " (write s3://BUCKET/PREFIX or s3://HOST[:PORT]/BUCKET/PREFIX)");
        }
        String beforeQuery = uri.getRawSchemeSpecificPart() == null ? "" : uri.getRawSchemeSpecificPart();
        if (beforeQuery.indexOf('?') >= 0) {
            beforeQuery = beforeQuery.substring(0, beforeQuery.indexOf('?'));
        }
        if (uri.getRawUserInfo() != null || beforeQuery.contains("@")) {
            // an '@' is never part of a bucket, and a secret with a '/' in it splits the user info from the host
            // in a way java.net.URI does not see: refuse, and echo nothing of the location
            throw new IllegalArgumentException("credentials do not belong in the location " + scheme + "://… (it has"
                    + " an '@')"
                    + " (locations are shown in messages and kept in shell history): set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY, or TRIPLICATE_S3_ACCESS_KEY_ID and TRIPLICATE_S3_SECRET_ACCESS_KEY,"
                    + " or use an AWS profile (see docs/backends/s3.md)");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("an s3 location has no #fragment: " + shown);
        }
        LocationOptions options = LocationOptions.parse(uri.getRawQuery(), shown, OPTIONS, SECRET_OPTION,
                name -> "credentials do not belong in the location " + shown + " (option \"" + name
                        + "\"; its value is not shown): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
                        + " TRIPLICATE_S3_ACCESS_KEY_ID and TRIPLICATE_S3_SECRET_ACCESS_KEY, or use an AWS profile"
                        + " (see docs/backends/s3.md)");

        String authority = uri.getRawAuthority();
        List<String> path = LocationPaths.segments(uri.getPath() == null ? "" : uri.getPath(), shown);
        boolean hostFirst = looksLikeHost(authority);
        URI endpoint;
        String bucket;
        List<String> prefix;
        if (hostFirst) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("no bucket in " + shown + ": \"" + authority + "\" is taken for a host"
                        + " (it has a dot or a port); write s3://HOST/BUCKET[/PREFIX], or s3://BUCKET[/PREFIX] for AWS");
            }
            endpoint = URI.create((plainHttp ? "http://" : "https://") + authority);
            bucket = path.get(0);
            prefix = path.subList(1, path.size());
        } else {
            bucket = authority;
            prefix = path;
            String fromEnv = firstSet(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
            if (fromEnv != null) {
                endpoint = URI.create(fromEnv.endsWith("/") ? fromEnv.substring(0, fromEnv.length() - 1) : fromEnv);
                if (endpoint.getScheme() == null || endpoint.getHost() == null
                        || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
                    throw new IllegalArgumentException("the endpoint in AWS_ENDPOINT_URL(_S3) is not an http(s) URL");
                }
            } else if (plainHttp) {
                throw new IllegalArgumentException(shown + " names no host: s3+http:// is for a service of your own,"
                        + " written s3+http://HOST[:PORT]/BUCKET[/PREFIX]");
            } else {
                endpoint = null;
            }
        }
        if (!BUCKET.matcher(bucket).matches() || IPV4.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("not a valid bucket name in " + shown + ": \"" + bucket
                    + "\" (3 to 63 lower-case letters, digits, dots and hyphens)" + (hostFirst ? "; \"" + authority
                    + "\" is taken for a host, since it has a dot or a port (an AWS bucket whose name has dots is"
                    + " written s3://s3.REGION.amazonaws.com/BUCKET/PREFIX)" : ""));
        }

        String region = options.get("region");
        if (region == null && endpoint != null) {
            Matcher m = REGIONAL_HOST.matcher(endpoint.getHost().toLowerCase(Locale.ROOT));
            region = m.matches() ? m.group(1) : null;
        }
        String profile = options.get("profile");
        if (region == null) {
            region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        }
        if (region == null) {
            region = S3Credentials.profileRegion(profile, env);
        }
        if (region == null) {
            region = "us-east-1";
        }
        if (!region.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("not a valid region: \"" + region + "\"");
        }

        // custom services: path style works everywhere (IP addresses, localhost, dotted buckets); AWS: virtual hosts
        boolean pathStyle = options.flag("path-style", endpoint != null);
        String storageClass = options.get("storage-class");
        if (storageClass != null) {
            storageClass = storageClass.toUpperCase(Locale.ROOT);
            if (!STORAGE_CLASS.matcher(storageClass).matches()) {
                throw new IllegalArgumentException("not a valid storage class: \"" + storageClass + "\"");
            }
        }
        boolean archive = options.flag("archive", false);
        if (storageClass != null && S3Cold.isCold(storageClass) && !archive) {
            throw new IllegalArgumentException("storage class " + storageClass + " needs a thaw (an S3 restore"
                    + " request that takes minutes to days, and is billed) before any data pack can be read again:"
                    + " restores, check --read-data, heal and prune's repacking then wait for it, and a backup cannot"
                    + " reuse a pack an interrupted backup left behind until it is thawed. Only the data packs go"
                    + " there; config, keys, index files, snapshots, locks and folder listings stay in the bucket's"
                    + " default class. If that is what you want (an archive vault), add archive=true to the location"
                    + " (…?storage-class=" + storageClass + "&archive=true); otherwise use GLACIER_IR, STANDARD_IA or"
                    + " ONEZONE_IA, which are read at once");
        }
        int connections = (int) options.number("connections", DEFAULT_CONNECTIONS, 1, 64);
        long partSize = options.mebibytes("part-size", DEFAULT_PART_SIZE / MIB, MIN_PART_SIZE / MIB, 1024);
        long threshold = options.mebibytes("multipart-threshold", DEFAULT_MULTIPART_THRESHOLD / MIB, 1, 1024);
        boolean conditional = options.flag("conditional-writes", true);

        String display = scheme + "://" + (hostFirst ? authority + "/" : "") + bucket
                + (prefix.isEmpty() ? "" : "/" + String.join("/", prefix));
        return new S3Config(endpoint, bucket, prefix.isEmpty() ? "" : String.join("/", prefix) + "/", region,
                pathStyle, storageClass, archive, connections, partSize, threshold, conditional, profile, display);
    }

    /** Whether this is AWS itself (no endpoint of its own). */
    boolean isAws() {
        return endpoint == null;
    }

    /** Where requests go, for messages. */
    String endpointName() {
        return endpoint == null ? "AWS S3 (" + region + ")" : endpoint.toString();
    }

    private static boolean looksLikeHost(String authority) {
        String host = authority;
        if (host.startsWith("[")) {
            return true; // an IPv6 literal
        }
        return host.contains(".") || host.contains(":") || host.equalsIgnoreCase("localhost");
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
