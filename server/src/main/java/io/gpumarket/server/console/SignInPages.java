package io.gpumarket.server.console;

import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.ratelimit.RateLimiter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in (email and password, or an API key) and out. A failed sign-in counts as a failed authentication of
 * the client's address in the API's rate limiter, so the lockout that stops key guessing stops password guessing
 * too. The form is protected from login CSRF by a double-submit token and the Origin check.
 */
final class SignInPages {
    /**
     * The lockout exempts a caller that authenticated lately; a sign-in form has no such caller (a success must not
     * exempt its address from the lockout for the next guesses), so it asks under a name nothing ever proves.
     */
    private static final String NEVER_PROVEN = "console-sign-in";

    private final ConsoleSessions sessions;
    private final RateLimiter limiter;

    SignInPages(ConsoleSessions sessions, RateLimiter limiter) {
        this.sessions = sessions;
        this.limiter = limiter;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/sign-in", ctx -> {
            ConsoleWeb.noStore(ctx);
            if (sessions.find(ctx.cookie(ConsoleWeb.SESSION_COOKIE)).isPresent()) {
                ctx.redirect("/console/offers");
                return;
            }
            form(ctx, 200, null, "", false);
        });
        routes.post("/console/sign-in", this::signIn);
        routes.post("/console/sign-out", web.signedIn((ctx, s) -> {
            sessions.end(ctx.cookie(ConsoleWeb.SESSION_COOKIE));
            ConsoleWeb.setCookie(ctx, ConsoleWeb.SESSION_COOKIE, "", 0);
            ctx.redirect("/console/sign-in");
        }));
    }

    private void signIn(Context ctx) {
        ConsoleWeb.noStore(ctx);
        ConsoleWeb.screenText(ctx); // text no store can keep: a 400, before any lookup
        String email = ConsoleWeb.field(ctx, "email");
        try {
            ConsoleWeb.requireSameSite(ctx, ctx.cookie(ConsoleWeb.SIGN_IN_COOKIE));
        } catch (io.gpumarket.core.error.DomainException e) {
            form(ctx, 403, e.getMessage(), email, false);
            return;
        }
        Optional<RateLimiter.Refusal> locked = limiter.lockedOut(ctx.ip(), NEVER_PROVEN);
        if (locked.isPresent()) {
            ctx.header("Retry-After", Long.toString(locked.get().retryAfterSeconds()));
            form(ctx, 429, locked.get().msg(), email, false);
            return;
        }
        String key = ConsoleWeb.field(ctx, "api_key");
        // An API key signs in without the authenticator's code: it is a credential of its own, that works with curl
        // without one (docs/console.md "Two-factor sign-in").
        ConsoleSessions.SignIn signIn = key != null
                ? new ConsoleSessions.SignIn(sessions.withKey(key), false)
                : sessions.withPassword(email, ctx.formParam("password"), ConsoleWeb.field(ctx, "code"));
        Optional<ConsoleSessions.Opened> opened = signIn.opened();
        if (opened.isEmpty()) {
            // a missing or wrong code counts as a failure too: the lockout stops guessing codes as it stops passwords
            limiter.failedAuthentication(ctx.ip());
            String why = key != null
                    ? "That API key is not valid."
                    : signIn.codeNeeded()
                            ? "This account has two-factor sign-in: enter your password again with the 6-digit code"
                                    + " your authenticator app shows now (a code is good once)."
                            : "Wrong email or password.";
            form(ctx, 401, why, email, signIn.codeNeeded());
            return;
        }
        ConsoleWeb.setCookie(
                ctx, ConsoleWeb.SESSION_COOKIE, opened.get().secret(), (int) ConsoleSessions.LIFETIME.toSeconds());
        ConsoleWeb.setCookie(ctx, ConsoleWeb.SIGN_IN_COOKIE, "", 0);
        ctx.redirect("/console/offers", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The sign-in form with a fresh double-submit token in its cookie and in the form. */
    private static void form(Context ctx, int status, String error, String email, boolean codeNeeded) {
        String token = Secrets.newSecret();
        ConsoleWeb.setCookie(ctx, ConsoleWeb.SIGN_IN_COOKIE, token, 3600);
        Map<String, Object> model = new HashMap<>();
        model.put("frame", new Frame("Sign in", "", null, false, token));
        model.put("error", error);
        model.put("email", email == null ? "" : email);
        model.put("codeNeeded", codeNeeded);
        ConsoleWeb.render(ctx, status, "signin.jte", model);
    }
}
