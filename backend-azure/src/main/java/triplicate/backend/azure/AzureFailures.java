package triplicate.backend.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import triplicate.backend.Handle;
import triplicate.backend.TransientBackendException;

/**
 * Turns what the SDK throws into the {@link triplicate.backend.Backend} contract's exceptions: missing files,
 * existing files, {@link TransientBackendException} for what a retry may cure (server errors, throttling,
 * time-outs, broken connections, a block damaged on the way), and for refusals a plain {@link IOException} that
 * names the location, the account and the likely fix. No message contains a credential: the known secrets are masked
 * in whatever the service said, and a cause that would carry one is dropped.
 */
final class AzureFailures {
    private static final Set<String> TRANSIENT_CODES = Set.of("ServerBusy", "OperationTimedOut", "InternalError",
            "Md5Mismatch", "Crc64Mismatch", "ContainerBeingDeleted", "TooManyRequests");
    /** A 403 for these codes is a refusal of the credentials themselves (rather than of one permission). */
    private static final Set<String> AUTHENTICATION_CODES = Set.of("AuthenticationFailed", "AuthorizationFailure",
            "InvalidAuthenticationInfo", "NoAuthenticationInformation", "");

    private static final java.util.regex.Pattern MESSAGE = java.util.regex.Pattern.compile(
            "<Message>(.*?)</Message>", java.util.regex.Pattern.DOTALL);

    private final AzureConfig config;
    private final AzureCredentials.Credential credential;
    private final List<String> secrets;
    private volatile boolean reached;

    AzureFailures(AzureConfig config, AzureCredentials.Credential credential, List<String> secrets) {
        this.config = config;
        this.credential = credential;
        List<String> sorted = new ArrayList<>(secrets);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // a token before the signature inside it
        this.secrets = List.copyOf(sorted);
    }

    /** Records that the service answered once: a host that resolved before is worth retrying when DNS fails. */
    void reached() {
        reached = true;
    }

    /** The service's error code, or "" if the answer had none (a HEAD request's answer has no body). */
    static String code(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        if (code != null) {
            return code.toString();
        }
        String header = e.getResponse() == null ? null : e.getResponse().getHeaderValue("x-ms-error-code");
        return header == null ? "" : header;
    }

    /** The first {@link BlobStorageException} in {@code t}'s chain, or null. */
    static BlobStorageException serviceAnswer(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BlobStorageException b) {
                return b;
            }
        }
        return null;
    }

    FileAlreadyExistsException exists(Handle handle) {
        return new FileAlreadyExistsException(handle.toString(), null, "already exists in " + config.location()
                + " (files are written once)");
    }

    /** The contract's exception for {@code e}, thrown while doing {@code what} to {@code handle} (null: the container). */
    IOException map(Throwable e, String what, Handle handle) {
        String target = handle == null ? "the container \"" + config.container() + "\"" : handle.toString();
        String prefix = config.location() + ": " + what + " " + target + " failed: ";
        BlobStorageException answer = serviceAnswer(e);
        if (answer != null) {
            return service(answer, what, prefix, handle);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                if (reached) {
                    return new TransientBackendException(prefix + "cannot resolve " + config.endpoint().getHost()
                            + " (" + clean(c) + ")", cause(e));
                }
                return new IOException(prefix + "cannot find the host " + config.endpoint().getHost()
                        + (config.endpoint().getHost().endsWith(".blob." + AzureConfig.PUBLIC_SUFFIX)
                        ? ": there is no storage account \"" + config.account() + "\" (check its name), or this"
                        + " computer has no network" : "; check the endpoint and the network"), cause(e));
            }
            if (c instanceof SSLHandshakeException) {
                return new IOException(prefix + "the TLS handshake with " + config.endpointName() + " failed ("
                        + clean(c) + "); for an endpoint without HTTPS (Azurite) write azure+http://HOST:PORT/ACCOUNT/"
                        + "CONTAINER", cause(e));
            }
            if (c instanceof InterruptedException || (c instanceof InterruptedIOException
                    && !(c instanceof java.net.SocketTimeoutException))) {
                Thread.currentThread().interrupt();
                return new InterruptedIOException(prefix + "interrupted");
            }
            if (c instanceof HttpTimeoutException || c instanceof java.net.SocketTimeoutException
                    || c instanceof TimeoutException) {
                return new TransientBackendException(prefix + "timed out talking to " + config.endpointName()
                        + " (" + clean(c) + ")", cause(e));
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return new TransientBackendException(prefix + "the connection to " + config.endpointName()
                        + " failed (" + clean(c) + ")", cause(e));
            }
        }
        return new IOException(prefix + clean(e), cause(e));
    }

    private IOException service(BlobStorageException e, String what, String prefix, Handle handle) {
        int status = e.getStatusCode();
        String code = code(e);
        String said = said(e);
        String detail = "HTTP " + status + (code.isEmpty() ? "" : " " + code) + (said == null ? "" : ": " + said);
        if (status >= 200 && status < 300) {
            // the SDK found fault with a successful answer (a truncated or unreadable body)
            return new TransientBackendException(prefix + detail, cause(e));
        }
        if (code.equals("ContainerNotFound") || (status == 404 && handle == null)) {
            return new IOException(config.location() + ": the container \"" + config.container() + "\" does not exist"
                    + " in the storage account \"" + config.account() + "\" at " + config.endpointName() + "; check"
                    + " the container's name, or create the vault there with 'triplicate init' (it creates the"
                    + " container when the credentials allow)", cause(e));
        }
        if (status == 404) {
            return new NoSuchFileException(handle.toString(), null, "no such file in " + config.location());
        }
        if (handle != null && (code.equals("BlobAlreadyExists") || status == 412)) {
            return exists(handle);
        }
        if (code.equals("BlobArchived") || code.equals("BlobBeingRehydrated")) {
            return new IOException(prefix + "the file is in the Archive access tier, where it cannot be read before it"
                    + " is rehydrated to Hot or Cool (hours; see docs/backends/azure.md) (" + detail + ")", cause(e));
        }
        if (TRANSIENT_CODES.contains(code) || status == 408 || status == 429 || (status >= 500 && status != 501
                && status != 505)) {
            return new TransientBackendException(prefix + detail, cause(e));
        }
        String hint = switch (code) {
            case "AuthorizationPermissionMismatch" -> "the " + kind() + " lacks a permission this needs in the"
                    + " storage account \"" + config.account() + "\""
                    + (credential instanceof AzureCredentials.SasToken ? " (a vault needs read, add, create, write,"
                    + " delete and list: sp=racwdl)" : " (the role assignment does not allow it)");
            case "AuthorizationResourceTypeMismatch" -> "the SAS token does not cover this kind of resource in the"
                    + " storage account \"" + config.account() + "\" (an account SAS needs srt=co: containers and"
                    + " objects)";
            case "AuthorizationServiceMismatch" -> "the SAS token is not for the blob service (an account SAS"
                    + " needs ss=b)";
            case "AuthorizationProtocolMismatch" -> "the SAS token allows HTTPS only (spr=https) and the location"
                    + " uses plain HTTP";
            case "AuthorizationSourceIPMismatch" -> "the " + kind() + " does not allow requests from this"
                    + " computer's IP address (the SAS token's sip=, or the account's firewall)";
            case "InsufficientAccountPermissions" -> "the " + kind() + " may not do this in the storage account \""
                    + config.account() + "\"";
            case "AccountIsDisabled" -> "the storage account \"" + config.account() + "\" is disabled";
            case "InvalidBlobTier", "BlobAccessTierNotSupportedForAccountType", "InvalidHeaderValue" ->
                    config.packTier() != null && status == 400 ? "the storage account \"" + config.account()
                            + "\" refused the access tier " + config.packTier() + " (tiers need a general-purpose v2"
                            + " or Blob Storage account with standard performance; Cold also needs a recent service)"
                            + "; remove access-tier from the location" : null;
            default -> status == 403 && AUTHENTICATION_CODES.contains(code) ? authentication(e.getMessage())
                    : status == 403 ? "access denied in the storage account \"" + config.account() + "\""
                    : status == 501 ? "the service does not support this request" : null;
        };
        if (what.equals("removing") && handle != null && code.startsWith("BlobImmutableDueTo")) {
            return new AccessDeniedException(null, null, prefix + "the container's immutable storage (a time-based"
                    + " retention policy or a legal hold) keeps this blob (" + detail + ")");
        }
        if (status == 403 && what.equals("removing") && handle != null && !AUTHENTICATION_CODES.contains(code)) {
            // the Backend contract: a delete refused for lack of permission (append-only credentials) is an
            // AccessDeniedException, so forget and prune can say why
            AccessDeniedException denied = new AccessDeniedException(null, null, prefix + "the " + kind()
                    + " may not delete (append-only: a SAS token without d, or a role without delete) (" + detail + ")");
            Throwable c = cause(e);
            if (c != null) {
                denied.initCause(c);
            }
            return denied;
        }
        return new IOException(prefix + (hint == null ? detail : hint + " (" + detail + ")"), cause(e));
    }

    /** The likely causes when the service refuses the credentials themselves. */
    private String authentication(String answer) {
        String text = answer == null ? "" : answer.toLowerCase(java.util.Locale.ROOT);
        if (credential instanceof AzureCredentials.SasToken sas) {
            if (text.contains("time frame") || text.contains("expired")) {
                return "the SAS token (from " + sas.source() + ") has expired or is not valid yet (its se= and st="
                        + " times); make a new one, or set this computer's clock right";
            }
            return "the storage account \"" + config.account() + "\" refused the SAS token (from " + sas.source()
                    + "): it may have expired (se=) or not be valid yet (st=), be for another account or container,"
                    + " lack a permission (a vault needs sp=racwdl), have been revoked with its stored access policy or"
                    + " the key that signed it; or this computer's clock is far off";
        }
        String source = credential == null ? "the credentials" : "the key from " + credential.source();
        if (text.contains("date header too old") || text.contains("x-ms-date") || text.contains("clock")) {
            return "this computer's clock is too far from the service's (more than 15 minutes); set the clock right"
                    + " (NTP) and run again";
        }
        return "the storage account \"" + config.account() + "\" refused " + source + ": the key is wrong (use key1"
                + " or key2 from the account's \"Access keys\" in the Azure portal, whole and without stray"
                + " characters), belongs to another account, or was rotated; or this computer's clock is more than 15"
                + " minutes off";
    }

    private String kind() {
        return credential instanceof AzureCredentials.SasToken ? "SAS token" : "account key";
    }

    /**
     * The first line of what the service said (the {@code Message} of its error document; the SDK's own message is
     * that document whole), masked; null if it said nothing (HEAD answers have no body).
     */
    private String said(BlobStorageException e) {
        String text = e.getMessage();
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = MESSAGE.matcher(text);
        if (!m.find()) {
            return null;
        }
        String message = m.group(1).strip();
        int nl = message.indexOf('\n');
        message = (nl < 0 ? message : message.substring(0, nl)).strip();
        message = message.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
        return message.isEmpty() ? null : clean(message);
    }

    /** {@code e} to chain as a cause, unless a message anywhere in its chain holds a secret. */
    private Throwable cause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !clean(m).equals(m)) {
                return null;
            }
            for (Throwable s : c.getSuppressed()) {
                String sm = s.getMessage();
                if (sm != null && !clean(sm).equals(sm)) {
                    return null;
                }
            }
        }
        return e;
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
