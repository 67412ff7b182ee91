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

    /** A rent request's fields, read as {@code PUT /api/v0/asks/{id}/} reads its body. */
    public static RentFields rentFields(Map<String, Object> body) {
        return InstancesEndpoint.rentFields(body);
    }

    /** The template a rent request names by hash id (null: none). */
    public static String templateHashId(Map<String, Object> body) {
        return InstancesEndpoint.templateHashId(body);
    }
}
