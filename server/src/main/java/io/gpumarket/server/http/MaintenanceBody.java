package io.gpumarket.server.http;

import java.util.Map;

/**
 * The body of {@code PUT /api/v0/machines/{id}/dnotify} (vastai's {@code schedule maint}): when, for how long, and
 * why. {@code sdate} stays as sent (epoch seconds from the CLI, an ISO-8601 date-time from the docs): core's
 * {@code MaintenanceWindow.request} reads it and refuses what it cannot.
 */
record MaintenanceBody(Object sdate, Double durationHours, String category, String reason) {
    static MaintenanceBody from(Map<String, Object> body) {
        return new MaintenanceBody(
                body.get("sdate"),
                Params.number(body, "duration"),
                Params.string(body, "maintenance_category"),
                Params.string(body, "maintenance_reason"));
    }
}
