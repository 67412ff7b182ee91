package io.gpumarket.testkit;

import com.sun.net.httpserver.HttpServer;
import io.gpumarket.core.notify.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver of webhook deliveries on a loopback port: it keeps every request it answered (headers, body),
 * can be stopped (connections refused) and started again on the same port, or made to answer 503.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One delivery as it arrived. */
    public record Delivery(Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Whether {@code header} carries the signature {@code secret} gives over the timestamp and body. */
        public boolean signedWith(String secret, String header) {
            return WebhookSignature.verifies(secret, Long.parseLong(header("X-Vast-Timestamp")), body, header(header));
        }
    }

    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    private final List<Delivery> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile java.util.concurrent.CountDownLatch held;
    private HttpServer server;
    private int downPort;

    private WebhookReceiver() {}

    public static WebhookReceiver start() {
        WebhookReceiver r = new WebhookReceiver();
        r.listen(0);
        return r;
    }

    private void listen(int at) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", at), 50);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            Delivery d = new Delivery(headers, body);
            seen.add(d);
            java.util.concurrent.CountDownLatch gate = held;
            if (gate != null) {
                try {
                    gate.await(); // the sender waits for an answer meanwhile: "mid-delivery"
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            if (answer / 100 == 2) received.add(d);
            try {
                exchange.sendResponseHeaders(answer, -1);
            } catch (IOException e) {
                // the sender is gone (killed mid-delivery): it did not get this answer
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Stops listening: deliveries meanwhile find the port closed. */
    public void down() {
        int at = server.getAddress().getPort();
        server.stop(0);
        downPort = at;
    }

    /** Listens again on the same port. */
    public void up() {
        listen(downPort);
    }

    /** Answers every request with {@code code} (2xx: accepted and kept). */
    public void answer(int code) {
        this.status = code;
    }

    /** Keeps every request waiting for an answer until {@link #release}. */
    public void hold() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        var gate = held;
        held = null;
        if (gate != null) gate.countDown();
    }

    /** Every request that arrived, answered or not. */
    public List<Delivery> seen() {
        return new ArrayList<>(seen);
    }

    /** The deliveries answered 2xx. */
    public List<Delivery> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        release();
        if (server != null) server.stop(0);
    }
}
