package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.store.StoreBusyException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a refusal into an HTTP status and the Vast error body
 * {@code {"success": false, "error": code, "msg": text}}. Unknown exceptions are logged once and answered 500
 * without a stack trace.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    public static int status(DomainException e) {
        return switch (e) {
            case DomainException.BadRequest b -> 400;
            case DomainException.Unauthorized u -> 401;
            case DomainException.Forbidden f -> 403;
            case DomainException.NotFound n -> 404;
            case DomainException.Conflict c -> 409;
            case DomainException.Gone g -> 410;
        };
    }

    public static void domain(DomainException e, Context ctx) {
        Json.send(ctx, status(e), body(e.code(), e.getMessage()));
    }

    /**
     * Javalin's own refusals: no such route (404), and a body over the limit, which Vast clients should see as
     * the 400 every other bad request gets rather than 413.
     */
    public static void http(HttpResponseException e, Context ctx, long maxBodyBytes) {
        switch (e.getStatus()) {
            case 404 -> Json.send(ctx, 404, body("not_found", "No route for " + ctx.method() + " " + ctx.path()));
            case 405 ->
                Json.send(ctx, 405, body("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
            case 413 ->
                Json.send(
                        ctx, 400, body("invalid_request", "Request body too large (limit " + maxBodyBytes + " bytes)"));
            default -> {
                if (e.getStatus() >= 500) serverError(ctx, e.getStatus(), "server_error", e.getMessage());
                else Json.send(ctx, e.getStatus(), body("invalid_request", e.getMessage()));
            }
        }
    }

    /**
     * A write refused because the database's write queue is full (SQLite under more writes than it commits): 503
     * with {@code Retry-After}, so clients (our agent included) back off instead of piling on. Nothing was changed.
     */
    public static void busy(StoreBusyException e, Context ctx) {
        ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        serverError(ctx, 503, "server_busy", e.getMessage());
    }

    public static void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        serverError(ctx, 500, "server_error", "Internal server error; the server log has the details.");
    }

    /**
     * A request cut short because the server is stopping (a long-polling agent woken by the shutdown, its store
     * already closed): 503, which clients retry elsewhere or later, and one log line instead of a stack trace.
     */
    public static void stopping(Context ctx) {
        LOG.info("{} {} cut short: the server is stopping", ctx.method(), ctx.path());
        serverError(ctx, 503, "server_stopping", "The server is stopping; try again shortly.");
    }

    /**
     * A 5xx answer: the Vast error body whose message quotes the request's id (also given as {@code request_id}),
     * the key to the server's log lines of this request ({@link RequestIds}).
     */
    public static void serverError(Context ctx, int status, String code, String msg) {
        String id = RequestIds.of(ctx);
        Map<String, Object> body = body(code, msg + " (request id " + id + ")");
        body.put("request_id", id);
        Json.send(ctx, status, body);
    }

    public static Map<String, Object> body(String code, String msg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", code);
        // a message quoting a request's text must not carry what cannot be written as UTF-8 (a lone surrogate)
        body.put("msg", msg == null ? null : StorableText.replaceUnstorable(msg));
        return body;
    }
}
