package io.gpumarket.cli.client;

import picocli.CommandLine.Option;

/**
 * The options every client verb takes, before the verb ({@code gpumarket --raw show instances}) or after it
 * ({@code gpumarket show instances --raw}), as vastai takes them.
 */
public final class ClientOptions {
    @Option(names = "--url", description = "server URL (else $GPUMARKET_URL, the config file, http://127.0.0.1:8080)")
    String url;

    @Option(names = "--api-key", description = "API key (else $GPUMARKET_API_KEY, else the key saved by `set api-key`)")
    String apiKey;

    @Option(names = "--raw", description = "print the server's JSON instead of a table")
    boolean raw;

    @Option(names = "--explain", description = "print each request (method, URL, body) to stderr")
    boolean explain;

    @Option(names = "--retry", description = "attempts on 429/502/503/504 and connection errors (default 3)")
    Integer retry;

    /** This verb's options, falling back to the ones given before the verb. */
    ClientOptions over(ClientOptions root) {
        ClientOptions o = new ClientOptions();
        o.url = url != null ? url : root == null ? null : root.url;
        o.apiKey = apiKey != null ? apiKey : root == null ? null : root.apiKey;
        o.raw = raw || root != null && root.raw;
        o.explain = explain || root != null && root.explain;
        o.retry = retry != null ? retry : root == null ? null : root.retry;
        return o;
    }
}
