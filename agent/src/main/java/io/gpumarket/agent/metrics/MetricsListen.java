package io.gpumarket.agent.metrics;

/** Where the agent serves its metrics: {@code --metrics-listen HOST:PORT} (port 0: any free port). */
public record MetricsListen(String host, int port) {
    public MetricsListen {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--metrics-listen needs a host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--metrics-listen port must be 0 to 65535, got " + port);
        }
    }

    /**
     * Reads {@code HOST:PORT} ({@code [::1]:9101} for IPv6).
     *
     * @throws IllegalArgumentException naming the flag and the value
     */
    public static MetricsListen parse(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(
                    "--metrics-listen must be HOST:PORT, e.g. 127.0.0.1:9101; got \"" + value + "\"");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--metrics-listen must be HOST:PORT with a numeric port; got \"" + value + "\"", e);
        }
        return new MetricsListen(host, port);
    }
}
