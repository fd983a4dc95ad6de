package triplicate.backend.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobStorageException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The Blob service calls whose data the backend moves (Put Blob, Put Block, Put Block List, Get Blob), sent through
 * the SDK client's own pipeline (signing, SAS, date, request id, logging) with the pipeline's synchronous path.
 *
 * <p>Why not the SDK's methods for these: in azure-storage-blob 12.37 they all run on its Reactor-based asynchronous
 * path, even from the synchronous client, and with the JDK HTTP client that path was seen to wait without end (an
 * answer the server had sent never reached the caller; after a server restart, uploads that never reached the
 * server), with no time-out able to end the wait. The synchronous path ends every call within the HTTP client's
 * time-outs. The SDK's methods that already use it (list, properties, delete, create container) are used as they are.
 *
 * <p>A refusal comes back as the {@link BlobStorageException} the SDK's own methods throw for it, so that one
 * mapping ({@link AzureFailures}) serves every call.
 */
final class BlobCalls {
    /** The key of the HTTP client's per-request answer time-out in a {@link Context} (azure-core-http-jdk-httpclient). */
    private static final String RESPONSE_TIMEOUT_KEY = "azure-response-timeout";
    private static final HttpHeaderName VERSION = HttpHeaderName.fromString("x-ms-version");
    private static final HttpHeaderName RANGE = HttpHeaderName.fromString("x-ms-range");
    private static final HttpHeaderName BLOB_TYPE = HttpHeaderName.fromString("x-ms-blob-type");
    private static final HttpHeaderName BLOB_CONTENT_TYPE = HttpHeaderName.fromString("x-ms-blob-content-type");
    private static final HttpHeaderName BLOB_CONTENT_MD5 = HttpHeaderName.fromString("x-ms-blob-content-md5");
    private static final HttpHeaderName ACCESS_TIER = HttpHeaderName.fromString("x-ms-access-tier");
    private static final String OCTET_STREAM = "application/octet-stream";

    private final HttpPipeline pipeline;
    private final String version;
    private final Duration answerTimeout;
    private final long slowestUpload;

    /**
     * @param pipeline      the SDK client's pipeline
     * @param version       the service version the client speaks ({@code x-ms-version})
     * @param answerTimeout how long an answer may take to begin once a request is sent
     * @param slowestUpload bytes per second an upload is allowed to crawl at, added to the answer time-out
     */
    BlobCalls(HttpPipeline pipeline, String version, Duration answerTimeout, long slowestUpload) {
        this.pipeline = pipeline;
        this.version = version;
        this.answerTimeout = answerTimeout;
        this.slowestUpload = slowestUpload;
    }

    /** Put Blob: the whole file in one request, refused if the blob exists. */
    void putBlob(String blobUrl, ByteBuffer body, byte[] md5, String tier) {
        HttpRequest put = request(HttpMethod.PUT, blobUrl, body.remaining());
        put.setHeader(BLOB_TYPE, "BlockBlob");
        put.setHeader(HttpHeaderName.CONTENT_MD5, Base64.getEncoder().encodeToString(md5));
        put.setHeader(HttpHeaderName.CONTENT_TYPE, OCTET_STREAM);
        put.setHeader(BLOB_CONTENT_TYPE, OCTET_STREAM);
        put.setHeader(HttpHeaderName.IF_NONE_MATCH, "*");
        if (tier != null) {
            put.setHeader(ACCESS_TIER, tier);
        }
        put.setBody(BinaryData.fromByteBuffer(body));
        expect(send(put, body.remaining()), 201);
    }

    /** Put Block: one block of a blob, staged under {@code id} (base64) until a block list names it. */
    void putBlock(String blobUrl, String id, byte[] block, byte[] md5) {
        HttpRequest put = request(HttpMethod.PUT, blobUrl + "?comp=block&blockid="
                + URLEncoder.encode(id, StandardCharsets.UTF_8), block.length);
        put.setHeader(HttpHeaderName.CONTENT_MD5, Base64.getEncoder().encodeToString(md5));
        put.setBody(BinaryData.fromBytes(block));
        expect(send(put, block.length), 201);
    }

    /** Put Block List: makes the blob of the staged blocks {@code ids}, refused if the blob exists. */
    void putBlockList(String blobUrl, List<String> ids, byte[] wholeMd5, String tier) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        for (String id : ids) {
            xml.append("<Latest>").append(id).append("</Latest>"); // base64: nothing to escape
        }
        byte[] body = xml.append("</BlockList>").toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest put = request(HttpMethod.PUT, blobUrl + "?comp=blocklist", body.length);
        put.setHeader(HttpHeaderName.CONTENT_TYPE, "application/xml; charset=utf-8");
        put.setHeader(BLOB_CONTENT_TYPE, OCTET_STREAM);
        put.setHeader(BLOB_CONTENT_MD5, Base64.getEncoder().encodeToString(wholeMd5));
        put.setHeader(HttpHeaderName.IF_NONE_MATCH, "*");
        if (tier != null) {
            put.setHeader(ACCESS_TIER, tier);
        }
        put.setBody(BinaryData.fromBytes(body));
        expect(send(put, body.length), 201);
    }

    /**
     * Get Blob, whole ({@code length < 0} and {@code offset == 0}) or a range: the answer, open, for the caller to
     * read and close; 200, 206 or 416 (a range past the end). Anything else is thrown.
     */
    HttpResponse getBlob(String blobUrl, long offset, long length) {
        HttpRequest get = request(HttpMethod.GET, blobUrl, 0);
        if (offset > 0 || length > 0) {
            get.setHeader(RANGE, "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1)));
        }
        HttpResponse response = send(get, 0);
        int status = response.getStatusCode();
        if (status == 200 || status == 206 || status == 416) {
            return response;
        }
        try (response) {
            throw refusal(response);
        }
    }

    private HttpRequest request(HttpMethod method, String url, long contentLength) {
        HttpRequest r = new HttpRequest(method, url);
        r.setHeader(VERSION, version);
        // also on bodiless requests, as the SDK's own carry it: its Shared Key signer signs a missing one as "null"
        r.setHeader(HttpHeaderName.CONTENT_LENGTH, Long.toString(contentLength));
        return r;
    }

    private HttpResponse send(HttpRequest request, long bytes) {
        Context context = new Context(RESPONSE_TIMEOUT_KEY, answerTimeout.plusSeconds(bytes / slowestUpload));
        return pipeline.sendSync(request, context);
    }

    private static void expect(HttpResponse response, int status) {
        try (response) {
            if (response.getStatusCode() != status) {
                throw refusal(response);
            }
        }
    }

    /** The exception the SDK throws for such an answer: its message is the service's error document. */
    static BlobStorageException refusal(HttpResponse response) {
        String body;
        try {
            body = response.getBodyAsBinaryData().toString();
        } catch (RuntimeException e) {
            body = "";
        }
        return new BlobStorageException("Status code " + response.getStatusCode() + ", "
                + (body.isEmpty() ? "(empty body)" : "\"" + body + "\""), response, null);
    }
}
