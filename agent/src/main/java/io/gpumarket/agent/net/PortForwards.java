package io.gpumarket.agent.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published ports for launchers that cannot map them (the process launcher shares the host's network): the
 * renter's {@code -p 8080:8080} got host port H from the machine's range, so connections to H are relayed to
 * the instance's port 8080 on loopback — what Docker's port mapping does for containers. One listener per
 * published port, one virtual thread per direction of each connection.
 */
public final class PortForwards implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwards.class);
    private final String bindHost;
    private final Map<Long, List<ServerSocket>> byInstance = new ConcurrentHashMap<>();

    public PortForwards(String bindHost) {
        this.bindHost = bindHost;
    }

    /**
     * Relays host port → instance port for each entry of {@code ports} ("8080/tcp" → host port); UDP and entries
     * whose host port equals the instance port (nothing to map) are skipped. Answers what could not be opened.
     */
    public synchronized List<String> open(long instanceId, Map<String, Integer> ports) {
        close(instanceId);
        List<ServerSocket> listeners = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            String[] spec = e.getKey().split("/");
            if (spec.length == 2 && !spec[1].equals("tcp")) continue;
            int inner = Integer.parseInt(spec[0]);
            int outer = e.getValue();
            if (inner == outer || inner == 22) continue;
            try {
                ServerSocket listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(bindHost, outer));
                listeners.add(listener);
                Thread.ofVirtual().name("forward-" + outer).start(() -> accept(listener, inner));
            } catch (IOException ex) {
                failed.add(outer + "→" + inner + " (" + ex.getMessage() + ")");
            }
        }
        byInstance.put(instanceId, listeners);
        return failed;
    }

    public synchronized void close(long instanceId) {
        List<ServerSocket> listeners = byInstance.remove(instanceId);
        if (listeners == null) return;
        for (ServerSocket s : listeners) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(byInstance.keySet()).forEach(this::close);
    }

    private static void accept(ServerSocket listener, int innerPort) {
        while (!listener.isClosed()) {
            try {
                Socket outside = listener.accept();
                Thread.ofVirtual().start(() -> relay(outside, innerPort));
            } catch (IOException e) {
                if (!listener.isClosed()) LOG.warn("forward to {} stopped accepting: {}", innerPort, e.toString());
                return;
            }
        }
    }

    private static void relay(Socket outside, int innerPort) {
        try (outside;
                Socket inside = new Socket(InetAddress.getLoopbackAddress(), innerPort)) {
            Thread back = Thread.ofVirtual().start(() -> pump(inside, outside));
            pump(outside, inside);
            back.join();
        } catch (IOException e) {
            // nothing listens inside (yet): the client sees the connection close, as with Docker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException ignored) {
            // either side went away; the other is closed by the try-with-resources above
        }
    }
}
