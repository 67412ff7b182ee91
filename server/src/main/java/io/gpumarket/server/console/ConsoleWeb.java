package io.gpumarket.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ErrorMapper;
import io.gpumarket.server.http.Router;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The console's request plumbing: the session cookie, the CSRF and Origin checks every state-changing request
 * passes, the permission check it shares with the API ({@link Router#permit}), and rendering (jte templates
 * compiled at build time). A domain refusal becomes an HTML page with the API's status (403, 404, …), never a 500.
 */
public final class ConsoleWeb {
    public static final String SESSION_COOKIE = "gm_session";
    /** The sign-in form's double-submit token (there is no session to keep a synchronizer token in yet). */
    public static final String SIGN_IN_COOKIE = "gm_signin";

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    /** A console page handler, given the session's caller. */
    @FunctionalInterface
    public interface Page {
        void handle(Context ctx, ConsoleSessions.Live session) throws Exception;
    }

    private final ConsoleSessions sessions;

    ConsoleWeb(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /**
     * A handler for a signed-in page: without a live session a GET is sent to the sign-in page and anything else
     * refused (401); a state-changing request must come from this site (Origin) and carry the session's CSRF token.
     */
    io.javalin.http.Handler signedIn(Page page) {
        return ctx -> {
            Optional<ConsoleSessions.Live> live = sessions.find(ctx.cookie(SESSION_COOKIE));
            noStore(ctx);
            if (live.isEmpty()) {
                if (ctx.method().name().equals("GET")) {
                    ctx.redirect("/console/sign-in");
                } else {
                    error(ctx, null, 401, "Your session has ended; sign in again.");
                }
                return;
            }
            try {
                if (!ctx.method().name().equals("GET"))
                    requireSameSite(ctx, live.get().csrfToken());
                screenText(ctx);
                page.handle(ctx, live.get());
            } catch (DomainException e) {
                error(ctx, live.get(), ErrorMapper.status(e), e.getMessage());
            }
        };
    }

    /**
     * Refuses a cross-site request: a present Origin (or, without it, Referer) must name this host, and the form
     * field or {@code X-CSRF-Token} header must equal the session's token.
     */
    static void requireSameSite(Context ctx, String expectedToken) {
        String origin = ctx.header("Origin");
        if (origin == null) origin = ctx.header("Referer");
        if (origin != null && !origin.equals("null")) {
            String host;
            try {
                host = URI.create(origin).getRawAuthority();
            } catch (IllegalArgumentException e) {
                host = null;
            }
            if (host == null || !host.equalsIgnoreCase(ctx.host())) {
                throw new DomainException.Forbidden(
                        "csrf", "This request came from another site (" + origin + ") and was refused.");
            }
        } else if (origin != null) {
            throw new DomainException.Forbidden("csrf", "This request came from an opaque origin and was refused.");
        }
        String token = ctx.header("X-CSRF-Token");
        if (token == null) token = ctx.formParam("csrf");
        if (token == null
                || expectedToken == null
                || !java.security.MessageDigest.isEqual(
                        token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        expectedToken.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new DomainException.Forbidden(
                    "csrf", "The form's security token is missing or stale; reload the page and try again.");
        }
    }

    /**
     * Refuses form fields, query parameters and path segments carrying text no store can keep, as the API's router
     * does before any handler reads them (a 400 page, never a failed write).
     */
    static void screenText(Context ctx) {
        for (Map.Entry<String, java.util.List<String>> p : ctx.queryParamMap().entrySet()) {
            for (String v : p.getValue()) StorableText.require(v, "Query parameter '" + p.getKey() + "'");
        }
        if (!ctx.method().name().equals("GET")) {
            for (Map.Entry<String, java.util.List<String>> p :
                    ctx.formParamMap().entrySet()) {
                for (String v : p.getValue()) StorableText.require(v, "Field '" + p.getKey() + "'");
            }
        }
        for (Map.Entry<String, String> p : ctx.pathParamMap().entrySet())
            StorableText.require(p.getValue(), "The path");
    }

    /** The check the API route {@code name} makes for a scoped key, made for the session's caller. */
    static void permit(ConsoleSessions.Live s, Access access, String name, Map<String, String> params) {
        Router.permit(s.principal(), access, name, params);
    }

    static Frame frame(ConsoleSessions.Live s, String title, String nav) {
        if (s == null) return new Frame(title, nav, null, false, "");
        Principal p = s.principal();
        String who =
                p.user().email() + (s.withKey() ? " (API key " + p.keyId() + (p.scoped() ? ", scoped" : "") + ")" : "");
        return new Frame(title, nav, who, p.admin() && !p.scoped(), s.csrfToken());
    }

    static void render(Context ctx, int status, String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, model, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    static String renderToString(String template, Map<String, Object> model) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, model, out);
        return out.toString();
    }

    static void error(Context ctx, ConsoleSessions.Live s, int status, String message) {
        render(ctx, status, "error.jte", Map.of("frame", frame(s, "Error", ""), "status", status, "message", message));
    }

    static void setCookie(Context ctx, String name, String value, int maxAgeSeconds) {
        // HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Secure where served over TLS
        Cookie c = new Cookie(name, value, "/", maxAgeSeconds, "https".equals(ctx.scheme()), true, null, SameSite.LAX);
        ctx.cookie(c);
    }

    /** Console pages show per-account data: never cached by the browser or anything between. */
    static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    }

    /**
     * A fresh idempotency key for a form that moves money: sent back with the form, it makes a second submission of
     * the same rendered form (a double click, a resent POST) answer with the first ledger entry instead of a second.
     */
    static String onceKey(String what) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return what + "-" + java.util.HexFormat.of().formatHex(b);
    }

    /** A form field, trimmed; null when absent or blank. */
    static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
