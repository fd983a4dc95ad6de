package triplicate.backend.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * A pipeline policy for tests: records every request as sent (after signing), and can break the ones a predicate picks
 * before they are sent (a reset connection), lose the answer of others after the service handled them, or change a
 * request's body on the way (as a faulty network would).
 */
final class Recorder implements HttpPipelinePolicy {
    /** One request as sent: the operation (named as in the REST API), its headers, the block number if a block. */
    record Request(String operation, String method, Map<String, String> headers, int block) {
        boolean is(String op) {
            return operation.equals(op);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    volatile Predicate<Request> breakIf = r -> false;
    volatile Predicate<Request> loseAnswerIf = r -> false;
    volatile Predicate<Request> damageIf = r -> false;

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        Request r = before(context.getHttpRequest());
        return next.process().map(response -> after(r, response));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Request r = before(context.getHttpRequest());
        return after(r, next.processSync());
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    private Request before(HttpRequest http) {
        Map<String, String> headers = new TreeMap<>();
        http.getHeaders().forEach(h -> headers.put(h.getName().toLowerCase(Locale.ROOT), h.getValue()));
        String query = http.getUrl().getQuery() == null ? "" : http.getUrl().getQuery();
        String method = http.getHttpMethod().name();
        String operation = operation(method, query, headers);
        int block = 0;
        for (String param : query.split("&")) {
            if (param.startsWith("blockid=")) {
                String id = new String(Base64.getDecoder().decode(java.net.URLDecoder.decode(
                        param.substring("blockid=".length()), StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
                block = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) + 1;
            }
        }
        headers.put("url", http.getUrl().toString());
        Request r = new Request(operation, method, headers, block);
        requests.add(r);
        if (breakIf.test(r)) {
            throw new UncheckedIOException(new SocketException("Connection reset (test)"));
        }
        if (damageIf.test(r) && http.getBodyAsBinaryData() != null) {
            byte[] body = http.getBodyAsBinaryData().toBytes().clone();
            body[body.length / 2] ^= 0x40;
            http.setBody(body);
        }
        return r;
    }

    private HttpResponse after(Request r, HttpResponse response) {
        if (loseAnswerIf.test(r)) {
            response.close();
            throw new UncheckedIOException(new SocketException("Connection reset after the request was handled (test)"));
        }
        return response;
    }

    private static String operation(String method, String query, Map<String, String> headers) {
        boolean container = query.contains("restype=container");
        if (query.contains("comp=blocklist")) {
            return "PutBlockList";
        }
        if (query.contains("comp=block")) {
            return "PutBlock";
        }
        if (container && query.contains("comp=list")) {
            return "ListBlobs";
        }
        if (container) {
            return method.equals("PUT") ? "CreateContainer" : method + "Container";
        }
        return switch (method) {
            case "PUT" -> "PutBlob";
            case "HEAD" -> "GetBlobProperties";
            case "GET" -> "GetBlob";
            case "DELETE" -> "DeleteBlob";
            default -> method;
        };
    }

    long count(String operation) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.is(operation)).count();
        }
    }

    List<Request> of(String operation) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.is(operation)).toList();
        }
    }

    List<String> operations() {
        synchronized (requests) {
            return requests.stream().map(Request::operation).toList();
        }
    }
}
