package io.gpumarket.server.http;

import io.gpumarket.core.machine.MachineReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A renter's report as {@code reports ID} reads it (docs/vast-compatibility.md §h: problem, message, created_at in epoch seconds), with
 * the instance it was filed on. The renter is not named: hosts see what went wrong, not who said so.
 */
final class ReportViews {
    private ReportViews() {}

    static Map<String, Object> of(MachineReport r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("machine_id", r.machineId());
        v.put("instance_id", r.instanceId());
        v.put("problem", r.problem());
        v.put("message", r.message());
        v.put("created_at", r.createdAt().toEpochMilli() / 1000.0);
        return v;
    }
}
