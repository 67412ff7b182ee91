package io.gpumarket.server.http;

import io.gpumarket.core.billing.ReservedDeposit;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.PrepayService;
import io.gpumarket.store.DepositRepo.Deposit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reserved instances as Vast's document has them: {@code PUT /instances/prepay/{id}/ {"amount"}} answers the months the
 * deposit covers ({@code timescale}) and its {@code discount_rate} (411 {@code Insufficient credit} when the balance
 * does not cover it; 404 {@code No such instance}, where Vast's document says 400: every other instance route
 * here answers a missing or foreign instance with 404); {@code GET /instances/balance/{id}/} answers the deposit
 * ({@code refundable_deposit}, {@code total_discount}, {@code discount_months}, and ours: {@code deposit_balance},
 * {@code discount_rate}, {@code deposited}).
 */
public final class ReservedEndpoint {
    private final PrepayService prepay;

    public ReservedEndpoint(PrepayService prepay) {
        this.prepay = prepay;
    }

    public void register(Router r) {
        r.put("/api/v0/instances/prepay/{id}", Access.INSTANCE_WRITE, "api.instance.prepay", (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            Double amount = Params.number(Json.bodyMap(ctx), "amount");
            PrepayService.Prepaid p;
            try {
                p = prepay.prepay(caller, id, amount);
            } catch (PrepayService.InsufficientCredit e) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("success", false);
                out.put("error", "insufficient_credit");
                out.put("msg", e.getMessage());
                Json.send(ctx, 411, out);
                return;
            }
            Json.ok(ctx, Json.success("timescale", p.months(), "discount_rate", p.discountRate()));
        });
        r.get("/api/v0/instances/balance/{id}", Access.INSTANCE_READ, "api.instance.balance", (ctx, caller) -> {
            Optional<Deposit> d = prepay.balance(caller, Params.id(ctx, "id"));
            Map<String, Object> out = Json.success();
            ReservedDeposit s = d.map(Deposit::state).orElse(new ReservedDeposit(0, 0, 0, 0, 0));
            out.put("refundable_deposit", Money.toDollars(s.refundable()));
            out.put("total_discount", Money.toDollars(s.discountTotal()));
            out.put(
                    "discount_months",
                    d.map(x -> (int) Math.min(Integer.MAX_VALUE, x.monthsPpm() / ReservedDeposit.PPM))
                            .orElse(0));
            out.put("deposit_balance", Money.toDollars(s.balance()));
            out.put("discount_rate", s.discountPpm() / (double) ReservedDeposit.PPM);
            out.put("deposited", Money.toDollars(d.map(Deposit::deposited).orElse(0L)));
            Json.ok(ctx, out);
        });
    }
}
