package io.gpumarket.bench.console;

import io.gpumarket.bench.BenchServer;
import io.gpumarket.bench.Environment;
import io.gpumarket.bench.SyntheticMarket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long the console's offer search page takes to render on a large market (issue 19: "the search page with a
 * 10k-offer market renders in under a second"): a server with a synthetic market in its store, a console session
 * signed in with the renter's key, then {@code GET /console/offers} with no filter (the default, price-sorted page of
 * 100 offers), with the filters a renter sets, and with filters nothing matches (the "why no offers" funnel), each
 * timed from request to the last byte of the page, one request at a time.
 *
 * <p>{@code bench/run.sh console [--machines N] [--runs N]}.
 */
public final class ConsoleRenderBench {
    private ConsoleRenderBench() {}

    public static void main(String[] args) throws Exception {
        int machines = 10_000;
        int runs = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--machines" -> machines = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/run.sh console [--machines N] [--runs N]");
                    System.exit(2);
                }
            }
        }
        System.out.println("Load at start (`uptime`): " + Environment.uptime());
        try (BenchServer server = BenchServer.start(SyntheticMarket.generate(machines), null)) {
            System.out.printf(
                    Locale.ROOT, "Market: %,d machines, %,d offers in the index%n", machines, server.indexedOffers());
            HttpClient http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            String cookie = signIn(http, server.baseUrl(), server.renterKey());
            for (String query : List.of(
                    "",
                    "?gpu_name=RTX+4090&num_gpus=2&price_max=2&reliability_min=0.9&sort=dph_total&dir=asc",
                    "?gpu_name=RTX+4090&price_max=0.001")) {
                // warm-up: the JIT, the index's caches
                for (int i = 0; i < 10; i++) get(http, server.baseUrl() + "/console/offers" + query, cookie);
                long[] nanos = new long[runs];
                int bytes = 0;
                for (int i = 0; i < runs; i++) {
                    long t = System.nanoTime();
                    bytes = get(http, server.baseUrl() + "/console/offers" + query, cookie);
                    nanos[i] = System.nanoTime() - t;
                }
                Arrays.sort(nanos);
                System.out.printf(
                        Locale.ROOT,
                        "GET /console/offers%s: %d runs, p50 %.1f ms, p90 %.1f ms, max %.1f ms, %,d bytes%n",
                        query,
                        runs,
                        nanos[runs / 2] / 1e6,
                        nanos[runs * 9 / 10] / 1e6,
                        nanos[runs - 1] / 1e6,
                        bytes);
            }
        }
        System.out.println("Load at end (`uptime`): " + Environment.uptime());
    }

    private static int get(HttpClient http, String url, String cookie) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
        return r.body().length;
    }

    /** Signs in with the API key as the sign-in form does (its double-submit token), returning the session cookie. */
    private static String signIn(HttpClient http, String base, String key) throws Exception {
        HttpResponse<String> form = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String token = form.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gm_signin="))
                .map(c -> c.substring("gm_signin=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", "gm_signin=" + token)
                        .header("Origin", base)
                        .POST(HttpRequest.BodyPublishers.ofString("api_key="
                                + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&csrf="
                                + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gm_session="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("sign-in answered " + signedIn.statusCode()));
    }
}
