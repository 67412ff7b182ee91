package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small client of the Docker Engine API over its Unix socket, served alike by Docker and by
 * {@code podman system service}. Plain HTTP/1.1 over the JDK's Unix-domain {@link SocketChannel}, one
 * connection per call ({@code Connection: close}), JSON through Jackson.
 *
 * <p>Why not docker-java: its Unix-socket transports bring their own HTTP stacks (httpclient5 or the "zerodep"
 * shaded one) and Guava/commons on the agent's class path, and attaching to an exec (the SSH sessions) needs a
 * connection upgrade ("hijack") that Podman answers differently from Docker. The handful of calls the launcher
 * makes fit in this file, and a hijacked connection here is simply the socket.
 */
public final class EngineClient {
    /** The API version both engines serve (Docker 20.10+, Podman 4+). */
    static final String VERSION = "/v1.41";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    /** @param dockerHost {@code unix:///run/docker.sock} or a plain socket path */
    public EngineClient(String dockerHost) {
        if (dockerHost == null || dockerHost.isBlank()) throw new IllegalArgumentException("--docker-host is empty");
        String path = dockerHost.startsWith("unix://") ? dockerHost.substring("unix://".length()) : dockerHost;
        if (dockerHost.contains("://") && !dockerHost.startsWith("unix://")) {
            throw new IllegalArgumentException(
                    "--docker-host must be a Unix socket (unix:///run/docker.sock), got " + dockerHost);
        }
        this.socket = Path.of(path);
    }

    public Path socket() {
        return socket;
    }

    /** An answer: status and body (JSON or text). */
    public record Response(int status, byte[] body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public JsonNode json() throws IOException {
            return body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
        }

        /** The engine's error text ({"message": …}) or the body as text. */
        public String message() {
            try {
                JsonNode n = JSON.readTree(body);
                if (n != null && n.hasNonNull("message"))
                    return n.get("message").asText();
            } catch (IOException ignored) {
                // not JSON: use the text
            }
            return new String(body, StandardCharsets.UTF_8).strip();
        }
    }

    public Response get(String path) throws IOException {
        return call("GET", path, null);
    }

    public Response post(String path, Object body) throws IOException {
        return call("POST", path, body);
    }

    public Response delete(String path) throws IOException {
        return call("DELETE", path, null);
    }

    /** One call, its whole answer read (for short answers; see {@link #open} for streams). */
    public Response call(String method, String path, Object body) throws IOException {
        try (Connection c = open(method, path, body, Map.of())) {
            return new Response(c.status(), c.body().readAllBytes());
        }
    }

    /**
     * Sends a request and reads the status line and headers; the body is left to read as a stream (pull progress,
     * logs) or, after a 101 or a hijacked 200, the connection itself carries the exec's streams.
     */
    public Connection open(String method, String path, Object body, Map<String, String> headers) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException(
                    "the container engine at unix://" + socket + " cannot be reached: " + e.getMessage(), e);
        }
        byte[] payload = body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(VERSION).append(path).append(" HTTP/1.1\r\nHost: docker\r\n");
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("Connection", "close");
        h.putAll(headers);
        h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        if (payload != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(payload.length)
                    .append("\r\n");
        } else if (method.equals("POST") || method.equals("PUT")) {
            req.append("Content-Length: 0\r\n");
        }
        req.append("\r\n");
        Connection c = new Connection(ch);
        try {
            c.out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (payload != null) c.out.write(payload);
            c.readHead();
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** One call's connection: status, headers, then the body or, once upgraded, the raw streams. */
    public static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        final InputStream rawIn;
        final OutputStream out;
        private int status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        Connection(SocketChannel channel) {
            this.channel = channel;
            // Separate read and write paths on the channel: a session writes stdin while another thread reads output.
            this.rawIn = new BufferedInputStream(
                    new InputStream() {
                        @Override
                        public int read() throws IOException {
                            byte[] one = new byte[1];
                            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            if (len == 0) return 0;
                            return channel.read(ByteBuffer.wrap(b, off, len));
                        }
                    },
                    32 * 1024);
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) channel.write(buf);
                }
            };
        }

        public int status() {
            return status;
        }

        public String header(String name) {
            return headers.get(name);
        }

        /** The body as sent (chunked transfer decoded); ends where the answer ends. */
        public InputStream body() {
            if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", "")))
                return new ChunkedInputStream(rawIn);
            String length = headers.get("Content-Length");
            if (length != null) return new BoundedInputStream(rawIn, Long.parseLong(length.strip()));
            return rawIn;
        }

        /** What an upgraded (hijacked) connection reads and writes: the process's streams. */
        public InputStream input() {
            return rawIn;
        }

        public OutputStream output() {
            return out;
        }

        /** Half-close: the engine sees EOF on the process's stdin, output keeps coming. */
        public void closeOutput() {
            try {
                channel.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }

        private void readHead() throws IOException {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/"))
                throw new IOException("not an HTTP answer from the engine: " + statusLine);
            status = Integer.parseInt(parts[1]);
            for (String l = line(); !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                if (colon > 0)
                    headers.put(
                            l.substring(0, colon).strip(),
                            l.substring(colon + 1).strip());
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = rawIn.read()) >= 0 && c != '\n') {
                if (c != '\r') b.write(c);
            }
            if (c < 0 && b.size() == 0) throw new IOException("the engine closed the connection before answering");
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** HTTP/1.1 chunked transfer coding, decoded as the chunks arrive (pull progress is one JSON line per chunk). */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = line();
                if (size.isEmpty()) size = line(); // the CRLF that ends the previous chunk
                int semi = size.indexOf(';');
                left = size.isEmpty() ? 0 : Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the engine's answer ended inside a chunk");
            left -= n;
            return n;
        }

        /** One line without its CRLF; "" at the end of the stream. */
        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') s.append((char) c);
            }
            return s.toString();
        }
    }

    /** A Content-Length body. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int c = in.read();
            if (c >= 0) left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }
    }

    /** URL-encodes a query value. */
    static String q(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
