package io.gpumarket.bench;

import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.server.http.PrefixRouter;
import io.javalin.config.JavalinState;
import io.javalin.http.HandlerType;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding a request's route among the server's whole table, with the server's {@link PrefixRouter} and with
 * Javalin's own router holding the same routes in the same order: {@code bench/run.sh jmh RouteLookupBenchmark}.
 * Single-threaded time per lookup; it is part of every request's cost (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class RouteLookupBenchmark {
    /** The agent's sync, the quickstart search, a rent, an instance's page, the static route. */
    @Param({
        "POST /api/v0/agent/sync/",
        "POST /api/v0/bundles/",
        "PUT /api/v0/asks/12345/",
        "GET /api/v0/instances/678/",
        "GET /api/v0/gpu_names/unique/"
    })
    public String request;

    private ServerApp server;
    private InternalRouter ours;
    private InternalRouter javalins;
    private HandlerType method;
    private String path;

    @Setup
    public void start() throws IOException {
        server = ServerApp.start(ServerConfig.defaults(Files.createTempDirectory("gpumarket-routes"))
                .withListen("127.0.0.1", 0));
        ours = server.httpRouter();
        JavalinState fresh = new JavalinState();
        javalins = new InternalRouter(fresh.wsRouter, fresh.eventManager, ((PrefixRouter) ours).config(), fresh.jetty);
        for (ParsedEndpoint p : ours.allHttpHandlers()) javalins.addHttpEndpoint(p.endpoint);
        String[] parts = request.split(" ");
        method = HandlerType.findOrCreate(parts[0]);
        path = parts[1];
        ParsedEndpoint a = ours.findFirstHttpHandlerEntry(method, path);
        ParsedEndpoint b = javalins.findFirstHttpHandlerEntry(method, path);
        if (a == null || b == null || a.endpoint != b.endpoint)
            throw new IllegalStateException("the two routers disagree on " + request);
    }

    @TearDown
    public void stop() {
        server.close();
    }

    @Benchmark
    public ParsedEndpoint prefix_router() {
        return ours.findFirstHttpHandlerEntry(method, path);
    }

    @Benchmark
    public ParsedEndpoint javalin_router() {
        return javalins.findFirstHttpHandlerEntry(method, path);
    }
}
