package io.gpumarket.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.audit.AuditLog;
import io.gpumarket.store.AuditRepo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's audit log, {@code GET /api/v0/audit_logs/} as vast-cli's {@code show audit-logs} reads it: a bare
 * array, newest first, each entry with the columns vastai prints ({@code ip_address}, {@code api_key_id},
 * {@code created_at} in epoch seconds, {@code api_route}, {@code args}) and ours beside them ({@code id},
 * {@code user_id}, {@code method}, {@code route_name}, {@code status}). {@code ?limit=} (1–1000, default 100) and
 * {@code ?before_id=} page back through older entries.
 */
public final class AuditLogsEndpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditLog audit;

    public AuditLogsEndpoint(AuditLog audit) {
        this.audit = audit;
    }

    public void register(Router r) {
        r.get("/api/v0/audit_logs", Access.MISC, "api.audit_logs.show", (ctx, caller) -> {
            int limit = intParam(ctx.queryParam("limit"), "limit", DEFAULT_LIMIT, MAX_LIMIT);
            String before = ctx.queryParam("before_id");
            Long beforeId = before == null ? null : (long) intParam(before, "before_id", 0, Integer.MAX_VALUE);
            List<Map<String, Object>> rows = audit.of(caller.userId(), beforeId, limit).stream()
                    .map(AuditLogsEndpoint::view)
                    .toList();
            Json.ok(ctx, rows);
        });
    }

    static Map<String, Object> view(AuditRepo.Entry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("user_id", e.userId());
        v.put("ip_address", e.ipAddress());
        v.put("api_key_id", e.apiKeyId());
        v.put("created_at", e.createdAt().toEpochMilli() / 1000.0);
        v.put("api_route", e.route() + "/");
        v.put("method", e.method());
        v.put("route_name", e.routeName());
        v.put("args", args(e.args()));
        v.put("status", e.status());
        // a team's log says which member made each call (their team key's member)
        v.put("member_id", e.memberId());
        v.put("member_email", e.memberEmail());
        return v;
    }

    private static Object args(String json) {
        try {
            return Json.read(json, new com.fasterxml.jackson.core.type.TypeReference<JsonNode>() {}, "args");
        } catch (java.io.IOException e) {
            return json;
        }
    }

    private static int intParam(String raw, String name, int fallback, int max) {
        if (raw == null || raw.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 1 && v <= max) return v;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "'" + name + "' must be a whole number from 1 to " + max + ", got '" + raw + "'");
    }
}
