package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.TfaService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * Two-factor sign-in (TOTP) in the console, through the checks of the API's {@code /api/v0/tfa/…} routes: the page
 * shows what {@code GET /api/v0/tfa/status/} answers; setting up shows a new secret and its {@code otpauth://} URI
 * once (as {@code POST /api/v0/tfa/totp-setup/} answers them); a code confirms it ({@code confirm-new}) and a code
 * removes it ({@code DELETE /api/v0/tfa/}).
 */
final class SecurityPages {
    private final TfaService tfa;

    SecurityPages(TfaService tfa) {
        this.tfa = tfa;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get(
                "/console/security", web.signedIn((ctx, s) -> page(ctx, s, 200, null, null, ctx.queryParam("notice"))));
        routes.post("/console/security/tfa/setup", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.tfa.totp_setup", Map.of());
            TfaService.Enrolment e = tfa.enrol(s.principal(), ConsoleWeb.field(ctx, "label"));
            page(ctx, s, 200, e, null, null);
        }));
        routes.post("/console/security/tfa/confirm", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.tfa.confirm_new", Map.of());
            try {
                tfa.confirm(s.principal(), null, ConsoleWeb.field(ctx, "code"));
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, null, e.getMessage(), null);
                return;
            }
            ctx.redirect("/console/security?notice=on", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/security/tfa/delete", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.tfa.delete", Map.of());
            try {
                tfa.remove(s.principal(), ConsoleWeb.field(ctx, "code"));
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, null, e.getMessage(), null);
                return;
            }
            ctx.redirect("/console/security?notice=off", HttpStatus.SEE_OTHER);
        }));
    }

    private void page(
            Context ctx, ConsoleSessions.Live s, int status, TfaService.Enrolment shown, String error, String notice) {
        ConsoleWeb.permit(s, Access.USER_READ, "api.tfa.status", Map.of());
        long user = s.principal().userId();
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Security", "security"));
        model.put("status", ApiViews.tfaStatus(tfa, user));
        model.put("pending", tfa.method(user).map(m -> !m.confirmed()).orElse(false));
        model.put("shown", shown);
        model.put("qr", shown == null ? null : QrSvg.of(shown.uri()));
        model.put("error", error);
        model.put(
                "notice",
                "on".equals(notice)
                        ? "Two-factor sign-in is on: signing in with your password now asks for a code."
                        : "off".equals(notice) ? "Two-factor sign-in is off." : null);
        model.put("scoped", s.principal().scoped());
        ConsoleWeb.render(ctx, status, "security.jte", model);
    }
}
