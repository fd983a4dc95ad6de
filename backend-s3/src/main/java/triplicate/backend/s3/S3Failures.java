package triplicate.backend.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import triplicate.backend.Handle;
import triplicate.backend.TransientBackendException;

/**
 * Turns what the SDK throws into the {@link triplicate.backend.Backend} contract's exceptions: missing files,
 * existing files, {@link TransientBackendException} for what a retry may cure (server errors, throttling,
 * time-outs, broken connections), and for refusals a plain {@link IOException} that names the location and the
 * likely fix. No message contains a credential: the known secrets are masked in whatever the service said.
 */
final class S3Failures {
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequests", "TooManyRequestsException", "RequestTimeout",
            "RequestTimeoutException", "InternalError", "ServiceUnavailable", "OperationAborted",
            "ConditionalRequestConflict", "PriorRequestNotComplete", "BandwidthLimitExceeded", "EC2ThrottledException");

    private final S3Config config;
    private final List<String> secrets;
    private volatile boolean reached;

    S3Failures(S3Config config, List<String> secrets) {
        this.config = config;
        this.secrets = List.copyOf(secrets);
    }

    /** Records that the service answered once: a host that resolved before is worth retrying when DNS fails. */
    void reached() {
        reached = true;
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    }

    FileAlreadyExistsException exists(Handle handle) {
        return new FileAlreadyExistsException(handle.toString(), null, "already exists in " + config.location()
                + " (files are written once)");
    }

    /** The contract's exception for {@code e}, thrown while doing {@code what} to {@code handle} (null: the bucket). */
    IOException map(Throwable e, String what, Handle handle) {
        String target = handle == null ? "the bucket \"" + config.bucket() + "\"" : handle.toString();
        String prefix = config.location() + ": " + what + " " + target + " failed: ";
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof AwsServiceException s) {
            return service(s, prefix, what, handle);
        }
        if (e instanceof InterruptedIOException i && !(e instanceof java.net.SocketTimeoutException)) {
            return i;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new TransientBackendException(prefix + "timed out talking to " + config.endpointName(), cause(e));
        }
        Throwable root = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                if (reached) {
                    return new TransientBackendException(prefix + "cannot resolve " + hostName() + " (" + clean(c) + ")", cause(e));
                }
                return new IOException(prefix + "cannot find the host " + hostName() + "; check the endpoint"
                        + " (a bucket whose name contains a dot is written s3://s3.REGION.amazonaws.com/BUCKET/…,"
                        + " since s3://NAME.WITH.DOTS/… names a host)", cause(e));
            }
            if (c instanceof SSLHandshakeException) {
                return new IOException(prefix + "the TLS handshake with " + config.endpointName() + " failed ("
                        + clean(c) + "); for a service without HTTPS write s3+http://HOST:PORT/BUCKET", cause(e));
            }
            if (c instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new InterruptedIOException(prefix + "interrupted");
            }
            if (c instanceof IOException) {
                return new TransientBackendException(prefix + "the connection to " + config.endpointName()
                        + " failed (" + clean(c) + ")", cause(e));
            }
            root = c;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Unable to load credentials") || m.contains("Unable to load an AWS credential")) {
            return new IOException(config.location() + ": no S3 credentials found: set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY (or TRIPLICATE_S3_ACCESS_KEY_ID and TRIPLICATE_S3_SECRET_ACCESS_KEY),"
                    + " or name an AWS profile with AWS_PROFILE or ?profile=NAME (see docs/backends/s3.md)");
        }
        if (e instanceof SdkException && e.getCause() == null && m.contains("Unable to execute HTTP request")) {
            return new TransientBackendException(prefix + clean(e), cause(e));
        }
        return new IOException(prefix + clean(root), cause(e));
    }

    private IOException service(AwsServiceException e, String prefix, String what, Handle handle) {
        int status = e.statusCode();
        String code = code(e);
        String said = clean(message(e));
        String detail = "HTTP " + status + (code.isEmpty() ? "" : " " + code) + (said.equals("null") ? "" : ": " + said);
        if (status >= 200 && status < 300) {
            // the SDK found fault with a successful answer (a truncated or unreadable body)
            return new TransientBackendException(prefix + detail, cause(e));
        }
        if (code.equals("NoSuchBucket")) {
            return new IOException(config.location() + ": the bucket \"" + config.bucket() + "\" does not exist at "
                    + config.endpointName() + "; check the bucket's name and region, or create the vault there with"
                    + " 'triplicate init' (it creates the bucket when the credentials allow)", cause(e));
        }
        if (status == 404 && handle != null) {
            return new NoSuchFileException(handle.toString(), null, "no such file in " + config.location());
        }
        if (status == 412) {
            return handle == null ? new IOException(prefix + detail, e) : exists(handle);
        }
        if (TRANSIENT_CODES.contains(code) || status == 408 || status == 429 || status == 307
                || (status >= 500 && status != 501)) {
            return new TransientBackendException(prefix + detail, cause(e));
        }
        String hint = switch (code) {
            case "InvalidAccessKeyId" -> "the access key id is not known to " + config.endpointName()
                    + " (a wrong key, or one made for another account, service or region); check AWS_ACCESS_KEY_ID"
                    + " or TRIPLICATE_S3_ACCESS_KEY_ID, or the profile";
            case "SignatureDoesNotMatch" -> "the secret key does not fit the access key id (a wrong secret key,"
                    + " or one with a stray character); check AWS_SECRET_ACCESS_KEY or TRIPLICATE_S3_SECRET_ACCESS_KEY,"
                    + " or the profile";
            case "RequestTimeTooSkewed" -> "this computer's clock is too far from the service's (more than 15"
                    + " minutes); set the clock right (NTP) and run again";
            case "ExpiredToken", "TokenRefreshRequired", "InvalidToken" -> "the session token has expired or is"
                    + " invalid; get fresh credentials";
            case "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "PermanentRedirect",
                 "AuthorizationQueryParametersError" -> "the bucket is in another region than " + config.region()
                    + "; add ?region=REGION to the location (or set AWS_REGION)";
            case "AccessDenied", "AllAccessDisabled", "AccountProblem" -> "access denied: these credentials may not"
                    + " do this in bucket \"" + config.bucket() + "\"; the key needs s3:ListBucket on the bucket"
                    + " and s3:GetObject, s3:PutObject and s3:DeleteObject on " + config.bucket() + "/"
                    + config.prefix() + "*";
            case "InvalidBucketName" -> "the service refuses the bucket name \"" + config.bucket() + "\"";
            default -> status == 403 ? "access denied (a wrong key, a missing permission, or a clock far off)"
                    : status == 301 ? "the bucket lives elsewhere: check the region and the endpoint"
                    : status == 501 ? "the service does not support this request"
                    : null;
        };
        String message = prefix + (hint == null ? detail : hint + " (" + detail + ")");
        if (status == 403 && what.equals("removing") && handle != null) {
            // the Backend contract: a delete refused for lack of permission (an append-only key) is an
            // AccessDeniedException, so forget and prune can say why
            AccessDeniedException denied = new AccessDeniedException(null, null, prefix + "this key may not delete"
                    + " (an append-only key, without s3:DeleteObject) (" + detail + ")");
            Throwable c = cause(e);
            if (c != null) {
                denied.initCause(c);
            }
            return denied;
        }
        return new IOException(message, cause(e));
    }

    /** {@code e} to chain as a cause, unless a message anywhere in its chain holds a secret. */
    private Throwable cause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !clean(m).equals(m)) {
                return null;
            }
        }
        return e;
    }

    private String hostName() {
        return config.endpoint() == null ? "the AWS endpoint for bucket " + config.bucket() : config.endpoint().getHost();
    }

    /** The message of {@code t} with every known secret masked. */
    String clean(Throwable t) {
        String m = t.getMessage();
        return clean(m == null ? t.getClass().getSimpleName() : m);
    }

    String clean(String s) {
        if (s == null) {
            return "null";
        }
        String out = s;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
