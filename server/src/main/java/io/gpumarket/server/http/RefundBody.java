package io.gpumarket.server.http;

import java.util.Map;

/**
 * The body of {@code PUT /api/v0/admin/users/{id}/refund}: dollars to give back, why, and the instance it is for
 * (optional).
 */
record RefundBody(double amount, String reason, Long instanceId) {
    static RefundBody from(Map<String, Object> body) {
        return new RefundBody(CreditBody.amount(body), Params.string(body, "reason"), Params.id(body, "instance_id"));
    }
}
