package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Dates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show charges}: what instances cost, from {@code GET /api/v0/charges/} (docs/vast-compatibility.md §b.6; vastai's
 * {@code show invoices-v1 --charges}), every page of the window (a week by default); {@code --items} adds each
 * charge's lines (gpu, disk, bandwidth).
 */
@Command(name = "charges", mixinStandardHelpOptions = true, description = "Show what your instances were charged.")
public final class ShowChargesCommand extends ClientCommand {
    @Option(
            names = {"-s", "--start-date"},
            description = "YYYY-MM-DD or epoch seconds")
    String start;

    @Option(
            names = {"-e", "--end-date"},
            description = "YYYY-MM-DD or epoch seconds (default: now)")
    String end;

    @Option(
            names = {"-ct", "--charge-type"},
            arity = "1..*",
            description = "only these: i|instance v|volume s|serverless")
    List<String> types;

    @Option(
            names = {"-l", "--limit"},
            defaultValue = "100",
            description = "results per page (max 100)")
    int limit;

    @Option(names = "--latest-first", description = "newest first")
    boolean latestFirst;

    @Option(
            names = {"-f", "--format"},
            defaultValue = "table",
            description = "table or tree (asked of the server)")
    String format;

    @Option(names = "--items", description = "also show each charge's lines")
    boolean items;

    @Override
    protected int run() {
        long[] window = Dates.window(start, end, Instant.now());
        Map<String, Object> filters = body("day", body("gte", window[0], "lte", window[1]));
        if (types != null) {
            List<String> in = new ArrayList<>();
            for (String t : types) {
                switch (t) {
                    case "i", "instance" -> in.add("instance");
                    case "v", "volume" -> in.add("volume");
                    case "s", "serverless" -> in.add("serverless");
                    default ->
                        throw new IllegalArgumentException(
                                "unknown charge type '" + t + "': use instance, volume or serverless");
                }
            }
            filters.put("type", body("in", in));
        }
        List<JsonNode> rows = BillingPages.all(
                api(),
                "/charges/",
                body(
                        "select_filters",
                        filters,
                        "latest_first",
                        latestFirst,
                        "limit",
                        Math.max(1, Math.min(limit, 100)),
                        "format",
                        format));
        if (raw()) {
            printJson(rows);
            return 0;
        }
        List<JsonNode> shown = new ArrayList<>();
        for (JsonNode r : rows) {
            shown.add(r);
            if (items) {
                for (JsonNode item : r.path("items")) {
                    ObjectNode line = item.deepCopy();
                    line.put("type", "· " + item.path("type").asText(""));
                    shown.add(line);
                }
            }
        }
        out().println("Charges from " + Dates.day(window[0]) + " to " + Dates.day(window[1]) + ":");
        printTable(shown, Columns.BILLING_RESULTS);
        out().println(String.format(Locale.ROOT, "Total: $%.4f", BillingPages.total(rows)));
        return 0;
    }
}
