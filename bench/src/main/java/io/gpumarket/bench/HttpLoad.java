package io.gpumarket.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load driver: N clients, each on a virtual thread, send the same search one after another
 * (a new request as soon as the previous answer is read) for a warm-up period and then a measured period.
 * Latency is from sending the request to having the whole body; throughput is completed requests over the
 * measured period. Client and server share this machine's cores, so both figures include the client's cost.
 */
public final class HttpLoad {
    /** What the measured period gave. */
    public record Result(int clients, double seconds, Samples samples, long errors) {
        public double requestsPerSecond() {
            return samples.count() / seconds;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final HttpRequest request;

    public HttpLoad(String baseUrl, String apiKey, String jsonBody) {
        this.request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v0/bundles/"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
    }

    /** One request; the body, which must come with 200. */
    public String once() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    public Result run(int clients, Duration warmup, Duration measured) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        AtomicLong errors = new AtomicLong();
        List<Future<Samples>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                workers.add(threads.submit(() -> client(measureFrom, end, errors)));
            }
        }
        Samples all = new Samples();
        for (Future<Samples> w : workers) {
            try {
                all.addAll(w.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("load client failed: " + e.getCause(), e.getCause());
            }
        }
        return new Result(clients, measured.toNanos() / 1e9, all, errors.get());
    }

    /** Requests until {@code end}; records those that started in the measured period and finished before its end. */
    private Samples client(long measureFrom, long end, AtomicLong errors) throws IOException, InterruptedException {
        Samples samples = new Samples();
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) return samples;
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            if (response.statusCode() != 200) {
                errors.incrementAndGet();
            } else if (t0 >= measureFrom && t1 <= end) {
                samples.add(t1 - t0);
            }
        }
    }
}
