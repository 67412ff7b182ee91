package io.gpumarket.core.instance;

/**
 * One entry of an instance's {@code env} as the request gave it: a variable ({@code "TZ" → "UTC"}) or a Docker
 * option kept in Vast's dict form ({@code "-p 8080:8080" → "1"}, {@code "-h" → "hostname"}). Instances show
 * them as {@code extra_env} pairs and the agent receives them in this order.
 */
public record EnvPair(String key, String value) {
    public EnvPair {
        if (key == null) throw new IllegalArgumentException("env key is required");
        value = value == null ? "" : value;
    }

    /** A published port option ({@code -p …}). */
    public boolean isPort() {
        return key.startsWith("-p ");
    }
}
