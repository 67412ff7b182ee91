package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.PriceIncreaseService;
import io.gpumarket.store.PriceIncreaseRepo.PriceIncrease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Price-increase consent (docs/billing.md), as vast-cli's {@code vastai/api/price_increase.py} documents Vast's routes:
 * the caller's pending increases, and accepting or rejecting one by its row id. The two PUT bodies are exactly
 * {@code {"pending_price_increase_id": <int>}} (Vast forbids extra keys); a row that is not the caller's, not pending
 * or of a destroyed contract is a 404 {@code no_pending_price_increase}.
 */
public final class PriceIncreasesEndpoint {
    private static final String ID = "pending_price_increase_id";
    private static final double SECONDS_PER_HOUR = 3600.0;

    private final PriceIncreaseService increases;

    public PriceIncreasesEndpoint(PriceIncreaseService increases) {
        this.increases = increases;
    }

    public void register(Router r) {
        r.get(
                "/api/v0/instances/pending-price-increases",
                Access.INSTANCE_READ,
                "api.instances.pending_price_increases",
                (ctx, caller) -> {
                    PriceIncreaseService.Pending p = increases.pending(caller);
                    Map<String, Object> out = Json.success("count", p.rows().size(), "truncated", p.truncated());
                    out.put(
                            "pending_price_increases",
                            p.rows().stream().map(PriceIncreasesEndpoint::view).toList());
                    Json.ok(ctx, out);
                });
        r.put(
                "/api/v0/instances/accept-price-increase",
                Access.INSTANCE_WRITE,
                "api.instances.accept_price_increase",
                (ctx, caller) -> Json.ok(ctx, decided(increases.accept(caller, pendingId(Json.bodyMap(ctx))))));
        r.put(
                "/api/v0/instances/reject-price-increase",
                Access.INSTANCE_WRITE,
                "api.instances.reject_price_increase",
                (ctx, caller) -> Json.ok(ctx, decided(increases.reject(caller, pendingId(Json.bodyMap(ctx))))));
    }

    /** The body's one key; any other key is refused, as Vast's model ({@code extra='forbid'}) does. */
    private static long pendingId(Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!ID.equals(key)) {
                throw new DomainException.BadRequest(
                        "invalid_args", "unexpected field '" + key + "': the body is exactly {\"" + ID + "\": <int>}");
            }
        }
        Object raw = body.get(ID);
        if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1) {
            throw new DomainException.BadRequest("invalid_args", "'" + ID + "' must be a positive integer");
        }
        return n.longValue();
    }

    private static Map<String, Object> decided(PriceIncrease p) {
        return Json.success(ID, p.id(), "contract_id", p.instanceId());
    }

    /**
     * One row in Vast's shape. Costs are per second, as Vast's names say: GPU per GPU (the listing's unit); disk per
     * GB-month as listed (a running contract's disk price never changes, so old and new are the same); bandwidth per
     * GB; the platform fee as a fraction.
     */
    private static Map<String, Object> view(PriceIncrease p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ID, p.id());
        m.put("contract_id", p.instanceId());
        m.put("host_id", p.hostId());
        double fee = p.platformFeePpm() / 1_000_000.0;
        for (String side : List.of("new", "old")) {
            long gpu = side.equals("new") ? p.newGpuPrice() : p.oldGpuPrice();
            m.put(side + "_gpu_costpersec", Money.toDollars(gpu) / SECONDS_PER_HOUR);
            m.put(side + "_disk_ram_costpersec", Money.toDollars(p.diskPrice()) / (720 * SECONDS_PER_HOUR));
            m.put(side + "_bwu_cost", Money.toDollars(p.inetUpPrice()));
            m.put(side + "_bwd_cost", Money.toDollars(p.inetDownPrice()));
            m.put(side + "_platform_fee", fee);
        }
        m.put("contract_end_date", p.contractEndDate() > 0 ? (double) p.contractEndDate() : null);
        m.put("ask_end_date", p.askEndDate() > 0 ? (double) p.askEndDate() : null);
        m.put("created_at", p.createdAt().toEpochMilli() / 1000.0);
        return m;
    }
}
