package io.gpumarket.server.http;

import io.gpumarket.core.machine.MaintenanceWindow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A maintenance window as {@code show maints} prints it (docs/vast-compatibility.md §h: machine_id, start_time, end_time,
 * duration_hours, maintenance_category), times in epoch seconds; also in each instance's {@code maintenances}.
 */
final class MaintenanceViews {
    private MaintenanceViews() {}

    static Map<String, Object> of(MaintenanceWindow w) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", w.id());
        v.put("machine_id", w.machineId());
        v.put("start_time", w.start().toEpochMilli() / 1000.0);
        v.put("end_time", w.end().toEpochMilli() / 1000.0);
        v.put("duration_hours", w.durationHours());
        v.put("maintenance_category", w.category());
        v.put("maintenance_reason", w.reason() == null ? "" : w.reason());
        return v;
    }
}
