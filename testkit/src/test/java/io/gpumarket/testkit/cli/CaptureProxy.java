package io.gpumarket.testkit.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pass-through HTTP proxy in front of a real server that keeps every request exactly as it arrived (method,
 * path and query as written, the Authorization header, the body bytes), so tests can assert what the CLI sends
 * on the wire, while the server still answers it.
 */
final class CaptureProxy implements AutoCloseable {
    record Request(String method, String target, String authorization, String contentType, byte[] body) {
        String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final String upstream;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    CaptureProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request last() {
        if (requests.isEmpty()) throw new AssertionError("no request reached the proxy");
        return requests.get(requests.size() - 1);
    }

    void clear() {
        requests.clear();
    }

    private void forward(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String target = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery());
        requests.add(new Request(
                ex.getRequestMethod(),
                target,
                ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Content-Type"),
                body));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + target))
                .method(
                        ex.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) b.header("Authorization", auth);
        if (body.length > 0) b.header("Content-Type", "application/json");
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers()
                    .firstValue("Content-Type")
                    .ifPresent(ct -> ex.getResponseHeaders().add("Content-Type", ct));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.sendResponseHeaders(502, -1);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
