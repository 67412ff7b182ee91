package io.gpumarket.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on the agent ({@code --metrics-listen HOST:PORT}; off by default): the JDK's own HTTP server,
 * one virtual thread per scrape. No authentication: bind it to an address only the operator's Prometheus reaches
 * (loopback, a management network). Anything else is 404.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** @throws IOException naming the address when it cannot be bound */
    public static MetricsServer start(String host, int port, AgentMetrics metrics) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException("--metrics-listen " + host + ":" + port + " cannot be bound: " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean metricsPath = exchange.getRequestURI().getPath().equals("/metrics");
                if (!metricsPath || !exchange.getRequestMethod().equals("GET")) {
                    exchange.sendResponseHeaders(metricsPath ? 405 : 404, -1);
                    return;
                }
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new MetricsServer(server);
    }

    /** The port it listens on (the one asked for, or the one chosen for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
