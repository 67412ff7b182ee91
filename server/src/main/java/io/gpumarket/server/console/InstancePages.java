package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.permission.InstanceScope;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LogService;
import io.gpumarket.server.service.SshKeyService;
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

    /** The API's names of the instance key routes ({@code /api/v0/instances/{id}/ssh/…}), checked for a scoped key. */
    static final String SHOW_KEYS = "api.instance.ssh_key.show";

    static final String ATTACH = "api.instance.ssh_key.attach";
    static final String DETACH = "api.instance.ssh_key.detach";

    private final InstanceService instances;
    private final io.gpumarket.server.service.MigrationService migrations;
    private final LogService logs;
    private final SshKeyService sshKeys;

    InstancePages(
            InstanceService instances,
            io.gpumarket.server.service.MigrationService migrations,
            LogService logs,
            SshKeyService sshKeys) {
        this.instances = instances;
        this.migrations = migrations;
        this.logs = logs;
        this.sshKeys = sshKeys;
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
        routes.get("/console/instances/{id}", web.signedIn((ctx, s) -> page(ctx, s, 200, null)));
        routes.post("/console/instances/{id}/label", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            // the label is PUT /instances/{id}/ {"label": …}: that route's check, and a blank label clears it
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, InstanceScope.MANAGE, Map.of("id", Long.toString(id)));
            mine(s, id);
            try {
                instances.setLabel(s.principal(), id, ConsoleWeb.field(ctx, "label"));
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/ssh", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, ATTACH, Map.of("id", Long.toString(id)));
            mine(s, id);
            try {
                sshKeys.attach(s.principal(), id, ConsoleWeb.field(ctx, "ssh_key"));
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/instances/" + id + "#attached-keys", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/ssh/{key}/detach", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            String key = ctx.pathParam("key");
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, DETACH, Map.of("id", Long.toString(id), "key", key));
            mine(s, id);
            long keyId;
            try {
                keyId = Long.parseLong(key);
            } catch (NumberFormatException e) {
                throw new DomainException.NotFound("no_such_ssh_key", "No SSH key '" + key + "'");
            }
            sshKeys.detach(s.principal(), id, keyId);
            ctx.redirect("/console/instances/" + id + "#attached-keys", HttpStatus.SEE_OTHER);
        }));
        routes.get("/console/instances/{id}/events", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            view(ctx, s); // refused before the stream opens
            new SseHandler(client -> stream(client, s, id)).handle(ctx);
        }));
        routes.post("/console/instances/{id}/state", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, InstanceScope.MANAGE, Map.of("id", Long.toString(id)));
            mine(s, id);
            String state = ctx.formParam("state");
            IntendedStatus wanted = IntendedStatus.fromWire(state == null ? "" : state)
                    .orElseThrow(() -> new DomainException.BadRequest(
                            "invalid_args", "'state' must be running or stopped, got '" + state + "'"));
            instances.setState(s.principal(), List.of(id), wanted);
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        // "Move to another machine" (docs/migrate.md): an offer id, or the cheapest match of the instance's kind
        routes.post("/console/instances/{id}/migrate", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, "api.instance.migrate", Map.of("id", Long.toString(id)));
            mine(s, id);
            String offer = ConsoleWeb.field(ctx, "offer_id");
            Long offerId = null;
            if (offer != null && !offer.isBlank()) {
                try {
                    offerId = Long.valueOf(offer.strip());
                } catch (NumberFormatException e) {
                    page(ctx, s, 400, "'" + offer + "' is not an offer id");
                    return;
                }
            }
            try {
                migrations.request(s.principal(), id, offerId, offerId == null ? Map.of() : null);
            } catch (DomainException e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/reboot", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, "api.instance.reboot", Map.of("id", Long.toString(id)));
            mine(s, id);
            instances.reboot(s.principal(), id);
            ctx.redirect("/console/instances/" + id, HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/destroy", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_WRITE, InstanceScope.DESTROY, Map.of("id", Long.toString(id)));
            mine(s, id);
            instances.destroy(s.principal(), List.of(id));
            ctx.redirect("/console/instances", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/instances/{id}/logs", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.INSTANCE_READ, InstanceScope.REQUEST_LOGS, Map.of("id", Long.toString(id)));
            mine(s, id);
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

    /**
     * The instance page: its facts, live status, actions, label, the keys attached to it (when the session may list
     * them: {@code GET /instances/{id}/ssh/}'s own check) and the logs viewer; {@code error} is shown above the forms.
     */
    private void page(Context ctx, ConsoleSessions.Live s, int status, String error) {
        Map<String, Object> view = view(ctx, s);
        long id = id(ctx);
        List<Map<String, Object>> attached = null;
        if (may(s, Access.INSTANCE_READ, SHOW_KEYS, id)) {
            attached = sshKeys.attached(s.principal(), id).stream()
                    .map(InstancePages::key)
                    .toList();
        }
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Instance " + view.get("id"), "instances"));
        model.put("i", view);
        model.put("logs", "");
        model.put("attached", attached);
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "instance.jte", model);
    }

    /** An attached key as the page lists it: its id, type, comment (the API's {@code name}) and the key itself. */
    private static Map<String, Object> key(SshKey k) {
        String[] parts = k.publicKey().split(" ", 3);
        Map<String, Object> v = new HashMap<>();
        v.put("id", k.id());
        v.put("type", parts[0]);
        v.put("name", parts.length == 3 ? parts[2] : "");
        v.put("public_key", k.publicKey());
        return v;
    }

    private static boolean may(ConsoleSessions.Live s, Access access, String route, long id) {
        try {
            ConsoleWeb.permit(s, access, route, Map.of("id", Long.toString(id)));
            return true;
        } catch (DomainException.Forbidden e) {
            return false;
        }
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

    /**
     * Refuses (403) an instance that is not the session's, before an action on it: the page answers so, and an action
     * must not tell another account's instance from a missing one either.
     */
    private void mine(ConsoleSessions.Live s, long id) {
        if (instances.show(s.principal(), id).isEmpty()) {
            throw new DomainException.Forbidden("not_authorized", "Instance " + id + " is not one of yours.");
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
