package io.gpumarket.server.http;

import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.service.AgentService;
import io.gpumarket.server.service.CopyService;
import io.gpumarket.server.service.LogService;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent protocol (api {@code io.gpumarket.api.agent}), authenticated by machine token: the machine's
 * fingerprint, the sync (heartbeat, reports, desired state, long poll), and log uploads.
 */
public final class AgentEndpoint {
    private final CopyService copies;
    private final AgentService agents;
    private final LogService logs;

    /** What one direction of an agent's speed test moves (under the server's 1 MiB body limit). */
    static final int SPEED_TEST_BYTES = 1_000_000;

    /** Held syncs whose answer is not made yet (AgentService answers them once their wait ends). */
    private final AtomicInteger held = new AtomicInteger();

    public AgentEndpoint(AgentService agents, LogService logs, CopyService copies) {
        this.copies = copies;
        this.agents = agents;
        this.logs = logs;
    }

    public void register(Router r) {
        r.agent("PUT", "/api/v0/agent/machine", (ctx, machine) -> {
            var m = agents.register(machine, Json.body(ctx, MachineRegistration.class));
            Json.ok(ctx, Json.success("machine_id", m.id()));
        });
        // The host's network speed test, bounded both ways (inet_up / inet_down, Mbps): the agent times one download
        // and one upload of SPEED_TEST_BYTES; agent-class rate limits apply, and a larger upload is refused by the
        // server's body limit before it is read.
        r.agent("GET", "/api/v0/agent/speedtest", (ctx, machine) -> {
            // a body sent with the GET is read (and bounded) first: left unread, Jetty would cut the connection under
            // the megabyte being written back
            Json.bodyBytes(ctx);
            ctx.status(200);
            ctx.header("Content-Type", "application/octet-stream");
            ctx.result(new byte[SPEED_TEST_BYTES]);
        });
        r.agent(
                "PUT",
                "/api/v0/agent/speedtest",
                (ctx, machine) -> Json.ok(ctx, Json.success("received", Json.bodyBytes(ctx).length)));
        r.agent("POST", "/api/v0/agent/sync", (ctx, machine) -> {
            CompletableFuture<SyncResponse> answer =
                    agents.sync(machine, startsInRange(Json.body(ctx, SyncRequest.class)));
            if (answer.isDone()) Json.ok(ctx, answer.join());
            else {
                held.incrementAndGet();
                ctx.future(() -> answered(ctx, answer));
            }
        });
        r.agent("PUT", "/api/v0/agent/logs/{token}", (ctx, machine) -> {
            // a program's output may hold NUL bytes: kept as U+FFFD (PostgreSQL's text cannot hold NUL), not refused
            logs.upload(
                    machine,
                    ctx.pathParam("token"),
                    StorableText.replaceUnstorable(new String(Json.bodyBytes(ctx), StandardCharsets.UTF_8)));
            Json.ok(ctx, Json.success());
        });
        // an instance-to-instance copy's progress and end, from the destination's agent (CopyService.report)
        r.agent("PUT", "/api/v0/agent/copies/{id}", (ctx, machine) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            copies.report(machine, Params.id(ctx, "id"), Params.string(b, "state"), Params.string(b, "msg"));
            Json.ok(ctx, Json.success());
        });
    }

    /**
     * Waits (at most {@code max}) until every held sync has its answer, after the server's revisions were closed (which
     * ends every hold): the answers are made on threads of their own, and Jetty stopped before they are written would
     * have recycled their requests.
     */
    public void awaitHeldAnswers(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (held.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
    }

    /**
     * A held sync's answer written when it is ready; a failure reaches the exception handlers as itself (a 503 for a
     * busy store), not wrapped in the future's CompletionException.
     */
    private CompletableFuture<Void> answered(Context ctx, CompletableFuture<SyncResponse> answer) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        answer.whenComplete((a, failure) -> {
            try {
                write(ctx, a, failure, written);
            } finally {
                held.decrementAndGet(); // written (or failed): the shutdown need not wait for it any longer
            }
        });
        return written;
    }

    /** The answer, or the failure as itself (not wrapped in the future's CompletionException). */
    private static void write(Context ctx, SyncResponse a, Throwable failure, CompletableFuture<Void> written) {
        if (failure != null) {
            written.completeExceptionally(
                    failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            return;
        }
        try {
            Json.ok(ctx, a);
            written.complete(null);
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
    }

    /**
     * Refuses a run start no clock shows (before 1970, or past 9999-12-31, which neither an {@code Instant} of
     * seconds nor PostgreSQL's timestamp holds): a host's report must not turn into a 500.
     */
    private static SyncRequest startsInRange(SyncRequest request) {
        for (InstanceReport r : request.instances()) {
            if (r.startedAt() < 0 || r.startedAt() > BillingQuery.LAST_SECOND) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "instance " + r.id() + ": started_at must be epoch seconds between 0 and "
                                + BillingQuery.LAST_SECOND + ", got " + r.startedAt());
            }
        }
        return request;
    }
}
