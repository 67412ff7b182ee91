package io.gpumarket.server.http;

import io.gpumarket.core.machine.MachineReport;
import io.gpumarket.server.service.ReportService;
import java.util.Map;

/**
 * Renters' reports about machines. Renters file them on an instance they rent or rented: {@code POST
 * /api/v0/instances/{id}/reports/} (our route: Vast's site has a report button but publishes no route for it). The
 * host reads them with Vast's {@code GET /api/v0/machines/{id}/reports/}, which vastai sends with a JSON body
 * ({@code {"machine_id": id}}) that is ignored: the path names the machine.
 */
public final class ReportsEndpoint {
    private final ReportService reports;

    public ReportsEndpoint(ReportService reports) {
        this.reports = reports;
    }

    public void register(Router r) {
        r.post("/api/v0/instances/{id}/reports", Access.INSTANCE_WRITE, "api.instance.report", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            MachineReport filed = reports.file(
                    caller, Params.id(ctx, "id"), Params.string(body, "problem"), Params.string(body, "message"));
            Json.ok(ctx, Json.success("report", ReportViews.of(filed)));
        });
        r.get(
                "/api/v0/machines/{id}/reports",
                Access.MACHINE_READ,
                (ctx, caller) -> Json.ok(
                        ctx,
                        reports.ofMachine(caller, Params.id(ctx, "id")).stream()
                                .map(ReportViews::of)
                                .toList()));
    }
}
