package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import java.util.Map;

/** The body of {@code PUT /api/v0/admin/users/{id}/credit}: dollars to deposit and the ledger's memo. */
record CreditBody(double amount, String memo) {
    static CreditBody from(Map<String, Object> body) {
        return new CreditBody(amount(body), Params.string(body, "memo"));
    }

    /** The required {@code amount} in dollars of an operator's ledger entry (a credit or a refund). */
    static double amount(Map<String, Object> body) {
        Double amount = Params.number(body, "amount");
        if (amount == null) throw new DomainException.BadRequest("invalid_args", "'amount' (dollars) is required");
        return amount;
    }
}
