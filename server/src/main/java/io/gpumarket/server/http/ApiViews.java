package io.gpumarket.server.http;

import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.search.Explain;
import io.gpumarket.server.service.BillingService.InstanceCharges;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.ShownInstance;
import java.util.Map;

/**
 * The API's views and body readers, for the web console: its pages show exactly the fields the API answers with
 * and read a rent form as the API reads a rent body, so the two cannot drift apart.
 */
public final class ApiViews {
    private ApiViews() {}

    public static Map<String, Object> instance(ShownInstance s) {
        return InstanceViews.of(s);
    }

    public static Map<String, Object> machine(Machine m, MachineService.Notes notes) {
        return MachineViews.of(m, notes);
    }

    public static Map<String, Object> explain(Explain e) {
        return ExplainView.of(e);
    }

    public static Map<String, Object> charges(InstanceCharges c) {
        return ChargeViews.of(c, false);
    }

    /** A {@code GET /api/v1/invoices/} row (deposits, transfers, refunds). */
    public static Map<String, Object> invoice(io.gpumarket.core.account.LedgerEntry e) {
        return InvoiceViews.v1(e);
    }

    /** The ledger kinds the invoices list shows. */
    public static java.util.Set<String> invoiceKinds() {
        return InvoiceViews.KINDS;
    }

    public static Map<String, Object> template(io.gpumarket.core.template.Template t, long viewerId) {
        return TemplateViews.of(t, viewerId);
    }

    public static Map<String, Object> maintenance(io.gpumarket.core.machine.MaintenanceWindow w) {
        return MaintenanceViews.of(w);
    }

    public static Map<String, Object> report(io.gpumarket.core.machine.MachineReport r) {
        return ReportViews.of(r);
    }

    /** {@code GET /api/v0/admin/anomalies/}'s body: host claims not believed, contracts set aside. */
    public static Map<String, Object> anomalies(MachineService machines, int limit) {
        return AdminEndpoint.anomalies(machines, limit);
    }

    /** {@code GET /api/v0/tfa/status/}'s body. */
    public static Map<String, Object> tfaStatus(io.gpumarket.server.service.TfaService tfa, long userId) {
        return TfaEndpoint.status(tfa, userId);
    }

    /** A rent request's fields, read as {@code PUT /api/v0/asks/{id}/} reads its body. */
    public static RentFields rentFields(Map<String, Object> body) {
        return InstancesEndpoint.rentFields(body);
    }

    /** The template a rent request names by hash id (null: none). */
    public static String templateHashId(Map<String, Object> body) {
        return InstancesEndpoint.templateHashId(body);
    }
}
