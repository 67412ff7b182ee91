package io.gpumarket.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Failed requests counted by kind: an HTTP status with the Vast error code of its body, or what went wrong with the
 * connection (reset, refused, closed, timed out), which is what tells a server that sheds load (429/503) from one
 * that stalls (timeouts) or drops connections (resets, a full listen queue).
 */
public final class ErrorCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** A response that was not the success expected. */
    public void status(int status, String errorCode) {
        add("HTTP " + status + (errorCode == null || errorCode.isBlank() ? "" : " " + errorCode));
    }

    /** A request that got no response. */
    public void failure(Throwable e) {
        add(kind(e));
    }

    public long total() {
        return total.sum();
    }

    /** "kind: count, …" by kind, or "none". */
    public String summary() {
        if (counts.isEmpty()) return "none";
        return new TreeMap<>(counts)
                .entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue().sum())
                        .collect(Collectors.joining(", "));
    }

    private void add(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        total.increment();
    }

    static String kind(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof HttpTimeoutException) && t.getMessage() == null) t = t.getCause();
        if (t instanceof HttpConnectTimeoutException) return "connect timeout";
        if (t instanceof HttpTimeoutException) return "timeout";
        if (t instanceof ConnectException) return "connection refused";
        if (t instanceof EOFException) return "connection closed (EOF)";
        String msg = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("reset")) return "connection reset";
            if (m.contains("broken pipe")) return "broken pipe";
        }
        if (msg.contains("closed") || msg.contains("eof")) return "connection closed";
        if (t instanceof IOException) return "I/O: " + t.getClass().getSimpleName() + " " + trim(t.getMessage());
        return t.getClass().getSimpleName() + " " + trim(t.getMessage());
    }

    private static String trim(String s) {
        if (s == null) return "";
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
