package io.gpumarket.server.http;

import io.gpumarket.core.account.User;
import io.gpumarket.core.billing.Charges;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.BillingService.Earned;
import io.gpumarket.server.service.BillingService.Earnings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /users/me/machine-earnings} (docs/vast-compatibility.md §b.6): totals per item, per machine and per day, net of the
 * platform's cut, in dollars; {@code current} has the balance and the cut.
 */
final class EarningViews {
    private EarningViews() {}

    static Map<String, Object> of(User host, Earnings e, long balance) {
        Map<String, Object> body = new LinkedHashMap<>();
        Charges t = e.total().net();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total_gpu", Money.toDollars(t.gpu()));
        summary.put("total_stor", Money.toDollars(t.disk()));
        summary.put("total_bwu", Money.toDollars(t.bwu()));
        summary.put("total_bwd", Money.toDollars(t.bwd()));
        body.put("summary", summary);
        InvoiceViews.account(body, host);
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("balance", Money.toDollars(balance));
        current.put("service_fee", Money.toDollars(e.total().fees()));
        current.put("total", Money.toDollars(t.total()));
        current.put("credit", Money.toDollars(balance));
        body.put("current", current);
        List<Map<String, Object>> perMachine = new ArrayList<>();
        e.perMachine().forEach((machine, earned) -> perMachine.add(row("machine_id", machine, earned)));
        body.put("per_machine", perMachine);
        List<Map<String, Object>> perDay = new ArrayList<>();
        e.perDay().forEach((day, earned) -> perDay.add(row("day", day, earned)));
        body.put("per_day", perDay);
        return body;
    }

    private static Map<String, Object> row(String keyName, long key, Earned earned) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(keyName, key);
        r.put("gpu_earn", Money.toDollars(earned.net().gpu()));
        r.put("sto_earn", Money.toDollars(earned.net().disk()));
        r.put("bwu_earn", Money.toDollars(earned.net().bwu()));
        r.put("bwd_earn", Money.toDollars(earned.net().bwd()));
        return r;
    }
}
