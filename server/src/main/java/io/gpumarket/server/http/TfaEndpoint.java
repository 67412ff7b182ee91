package io.gpumarket.server.http;

import io.gpumarket.server.service.TfaService;
import io.gpumarket.store.TfaRepo.TotpMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two-factor authentication, the routes vast-cli's {@code vastai tfa …} verbs call for an authenticator app
 * ({@code vastai/api/auth.py}): {@code GET /api/v0/tfa/status/} (what is set up, truthfully), {@code POST
 * /api/v0/tfa/totp-setup/} (a new secret and its {@code otpauth://} URI, shown once), {@code POST
 * /api/v0/tfa/confirm-new/} ({@code tfa activate}: a code from the app confirms it) and {@code DELETE /api/v0/tfa/}
 * ({@code tfa delete}, with a current code). Only TOTP is offered (no SMS, e-mail or backup codes), and the factor
 * guards the console's password sign-in: API keys stay a credential of their own, so Vast's {@code POST /api/v0/tfa/}
 * session login is not served (docs/console.md "Two-factor sign-in").
 */
public final class TfaEndpoint {
    private final TfaService tfa;

    public TfaEndpoint(TfaService tfa) {
        this.tfa = tfa;
    }

    public void register(Router r) {
        r.get(
                "/api/v0/tfa/status",
                Access.USER_READ,
                "api.tfa.status",
                (ctx, caller) -> Json.ok(ctx, status(tfa, caller.userId())));
        r.post("/api/v0/tfa/totp-setup", Access.USER_WRITE, "api.tfa.totp_setup", (ctx, caller) -> {
            TfaService.Enrolment e = tfa.enrol(caller, Params.string(Json.bodyMap(ctx), "label"));
            Json.ok(ctx, Json.success("secret", e.secret(), "provisioning_uri", e.uri()));
        });
        r.post("/api/v0/tfa/confirm-new", Access.USER_WRITE, "api.tfa.confirm_new", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            String method = Params.string(b, "tfa_method");
            if (method != null && !method.equals("totp")) {
                throw new io.gpumarket.core.error.DomainException.BadRequest(
                        "invalid_args", "Only 'totp' (an authenticator app) is offered here, not '" + method + "'.");
            }
            tfa.confirm(caller, Params.string(b, "secret"), Params.string(b, "code"));
            Json.ok(ctx, Json.success("msg", "Two-factor authentication is on: signing in now asks for a code."));
        });
        r.delete("/api/v0/tfa", Access.USER_WRITE, "api.tfa.delete", (ctx, caller) -> {
            tfa.remove(caller, Params.string(Json.bodyMap(ctx), "code"));
            Json.ok(ctx, Json.success("msg", "Two-factor authentication is off.", "remaining_methods", 0));
        });
    }

    /** vast-cli's {@code tfa status} shape: tfa_enabled, methods (confirmed ones only), backup_codes_remaining. */
    public static Map<String, Object> status(TfaService tfa, long userId) {
        List<Map<String, Object>> methods = new ArrayList<>();
        tfa.method(userId).filter(TotpMethod::confirmed).ifPresent(m -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", m.id());
            v.put("user_id", m.userId());
            v.put("is_primary", true);
            v.put("method", "totp");
            v.put("label", m.label());
            v.put("created_at", seconds(m.confirmedAt()));
            v.put("last_used", seconds(m.lastUsedAt()));
            v.put("fail_count", m.failCount());
            v.put("locked_until", null);
            methods.add(v);
        });
        return Json.success("tfa_enabled", !methods.isEmpty(), "methods", methods, "backup_codes_remaining", 0);
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }
}
