package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.permission.InstanceScope;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LogService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The renter's instances: the list, one instance with its live status (server-sent events: the status block is
 * re-rendered and pushed whenever it changes, so the page never reloads), the ssh command, start/stop/reboot/destroy
 * and the logs viewer. Each action is the API route's service call under the API route's permission check; another
 * account's instance is refused with 403 whether it exists or not.
 */
final class InstancePages {
    /** How often the events stream looks at the instance; its status changes at agent-sync pace (seconds). */
    static final long EVENT_POLL_MILLIS = 500;

    static final long KEEPALIVE_NANOS = 15_000_000_000L;

    private final InstanceService instances;
    private final LogService logs;

    InstancePages(InstanceService instances, LogService logs) {
        this.instances = instances;
        this.logs = logs;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/instances", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.INSTANCE_READ, "api.instances.show", Map.of());
            List<Map<String, Object>> all = instances.list(s.principal()).stream()
                    .map(ApiViews::instance)
                    .toList();
            ConsoleWeb.render(
                    ctx,
                    200,
                    "instances.jte",
                    Map.of("frame", ConsoleWeb.frame(s, "Instances", "instances"), "instances", all));
        }));
        routes.get("/console/instances/{id}", web.signedIn((ctx, s) -> {
            Map<String, Object> view = view(ctx, s);
            Map<String, Object> model = new HashMap<>();
            model.put("frame", ConsoleWeb.frame(s, "Instance " + view.get("id"), "instances"));
            model.put("i", view);
            model.put("logs", "");
            ConsoleWeb.render(ctx, 200, "instance.jte", model);
        }));
        routes.get("/console/instances/{id}/events", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            view(ctx, s); // refused before the stream opens
            new SseHandler(client -> stream(client, s, id)).handle(ctx);
        }));
        routes.post("/console/instances/{id}/state", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, InstanceScope.MANAGE, Map.of("id", Long.toString(id)));
            String state = ctx.formParam("state");
            IntendedStatus wanted = IntendedStatus.fromWire(state == null ? "" : state)
                    .orElseThrow(() -> new DomainException.BadRequest(
                            "invalid_args", "'state' must be running or stopped, got '" + state + "'"));
            instances.setState(s.principal(), List.of(id), wanted);
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/reboot", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, "api.instance.reboot", Map.of("id", Long.toString(id)));
            instances.reboot(s.principal(), id);
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/destroy", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, InstanceScope.DESTROY, Map.of("id", Long.toString(id)));
            instances.destroy(s.principal(), List.of(id));
            ctx.redirect("/console/instances", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/logs", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_READ, InstanceScope.REQUEST_LOGS, Map.of("id", Long.toString(id)));
            String tail = ctx.formParam("tail");
            Integer lines;
            try {
                lines = tail == null || tail.isBlank() ? null : Integer.valueOf(tail.strip());
            } catch (NumberFormatException e) {
                throw new DomainException.BadRequest(
                        "invalid_args", "'tail' must be a whole number, got '" + tail + "'");
            }
            String token = logs.request(s.principal(), id, lines, null);
            ctx.redirect("/console/instances/" + id + "/logs/" + token, HttpStatus.SEE_OTHER);
        }));
        routes.get("/console/instances/{id}/logs/{token}", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            view(ctx, s);
            ConsoleWeb.permit(s, Access.INSTANCE_READ, InstanceScope.REQUEST_LOGS, Map.of("id", Long.toString(id)));
            Optional<String> text = logs.content(ctx.pathParam("token"));
            // until the agent has uploaded them, the block asks again every second (htmx), replacing itself
            ConsoleWeb.render(
                    ctx,
                    200,
                    "logs.jte",
                    Map.of("url", ctx.path(), "text", text.orElse(""), "ready", text.isPresent()));
        }));
    }

    /** Pushes the status block whenever it changes, until the client goes away or the instance is gone. */
    private void stream(io.javalin.http.sse.SseClient client, ConsoleSessions.Live s, long id) {
        String last = null;
        long quietSince = System.nanoTime();
        while (!client.terminated()) {
            Optional<Map<String, Object>> view =
                    instances.show(s.principal(), id).map(ApiViews::instance);
            if (view.isEmpty()) {
                client.sendEvent("gone", "destroyed");
                return;
            }
            String html = ConsoleWeb.renderToString("instance_live.jte", Map.of("i", view.get()))
                    .replace('\n', ' ');
            if (!html.equals(last)) {
                client.sendEvent("status", html);
                last = html;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > KEEPALIVE_NANOS) {
                // a write is how a closed connection is noticed: without one, a page closed while nothing changed
                // would keep this loop (and its thread) alive until the instance is gone
                client.sendComment("keep-alive");
                quietSince = System.nanoTime();
            }
            try {
                Thread.sleep(EVENT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The session's instance as the API shows it; 403 when it is not theirs (or not there: the two look alike). */
    private Map<String, Object> view(Context ctx, ConsoleSessions.Live s) {
        long id = id(ctx);
        ConsoleWeb.permit(s, Access.INSTANCE_READ, InstanceScope.SHOW, Map.of("id", Long.toString(id)));
        return instances
                .show(s.principal(), id)
                .map(ApiViews::instance)
                .orElseThrow(() ->
                        new DomainException.Forbidden("not_authorized", "Instance " + id + " is not one of yours."));
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("no_such_instance", "No instance '" + ctx.pathParam("id") + "'");
        }
    }
}
