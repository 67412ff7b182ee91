package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Dates;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show invoices}: deposits, transfers, refunds and payouts from {@code GET /api/v1/invoices/} (spec
 * §b.6; vastai's {@code show invoices-v1 --invoices}), every page of the window (a week by default).
 */
@Command(
        name = "invoices",
        mixinStandardHelpOptions = true,
        description = "Show credit in and out: deposits, transfers, refunds, payouts.")
public final class ShowInvoicesCommand extends ClientCommand {
    private static final Map<String, String> TYPES = Map.of(
            "transfers",
            "transfer",
            "stripe",
            "stripe_payments",
            "bitpay",
            "bitpay",
            "coinbase",
            "coinbase",
            "crypto.com",
            "crypto.com",
            "reserved",
            "instance_prepay",
            "payout_paypal",
            "paypal_manual",
            "payout_wise",
            "wise_manual");

    @Option(
            names = {"-s", "--start-date"},
            description = "YYYY-MM-DD or epoch seconds")
    String start;

    @Option(
            names = {"-e", "--end-date"},
            description = "YYYY-MM-DD or epoch seconds (default: now)")
    String end;

    @Option(
            names = {"-it", "--invoice-type"},
            arity = "1..*",
            description = "only these: transfers stripe bitpay coinbase crypto.com reserved payout_paypal payout_wise")
    List<String> types;

    @Option(
            names = {"-l", "--limit"},
            defaultValue = "100",
            description = "results per page (max 100)")
    int limit;

    @Option(names = "--latest-first", description = "newest first")
    boolean latestFirst;

    @Override
    protected int run() {
        long[] window = Dates.window(start, end, Instant.now());
        Map<String, Object> filters = body("when", body("gte", window[0], "lte", window[1]));
        if (types != null) {
            List<String> services =
                    types.stream().map(t -> TYPES.getOrDefault(t, t)).toList();
            filters.put("service", body("in", services));
        }
        List<JsonNode> rows = BillingPages.all(
                api(),
                "/api/v1/invoices/",
                body(
                        "select_filters",
                        filters,
                        "latest_first",
                        latestFirst,
                        "limit",
                        Math.max(1, Math.min(limit, 100))));
        if (raw()) {
            printJson(rows);
            return 0;
        }
        out().println("Invoices from " + Dates.day(window[0]) + " to " + Dates.day(window[1]) + ":");
        printTable(rows, Columns.BILLING_RESULTS);
        out().println(String.format(Locale.ROOT, "Total: $%.2f", BillingPages.total(rows)));
        return 0;
    }
}
