package io.gpumarket.bench.load;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;

/**
 * JDK HTTP clients for load generators: HTTP/1.1 with keep-alive, and their internal work on virtual threads. The
 * default executor is a cached pool of platform threads, which grows to hundreds under thousands of concurrent
 * requests (524 threads with 10,000 agents): on a small machine those threads take the CPU from the server being
 * measured. On virtual threads the whole generator runs on the carriers plus one selector thread per client.
 */
public final class LoadClients {
    private LoadClients() {}

    public static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor());
    }
}
