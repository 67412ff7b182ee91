package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code accept|reject price-increase ID [ID …] [--yes]} as vastai's {@code price_increase.py}: instance ids resolved to
 * their pending rows, then one {@code PUT} per row with exactly {@code {"pending_price_increase_id": N}}.
 */
abstract class PriceIncreaseDecision extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "instance ids")
    List<Long> ids;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask")
    boolean yes;

    abstract String route();

    abstract String pastTense();

    @Override
    protected int run() throws java.io.IOException {
        List<JsonNode> rows =
                list(api().get("/instances/pending-price-increases/").path("pending_price_increases"));
        List<JsonNode> chosen = new ArrayList<>();
        int failed = 0;
        for (long id : new LinkedHashSet<>(ids)) {
            JsonNode row = rows.stream()
                    .filter(r -> r.path("contract_id").asLong() == id)
                    .findFirst()
                    .orElse(null);
            if (row == null) {
                err().println("no pending price increase for instance " + id);
                failed++;
            } else chosen.add(row);
        }
        if (chosen.isEmpty()) return 1;
        if (!yes
                && !raw()
                && !confirm(pastTense().replace("ed", "") + " the price increase of " + chosen.size()
                        + " instance(s)? [y/N] ")) return 1;
        for (JsonNode row : chosen) {
            JsonNode rj = api().put(
                            route(),
                            body(
                                    "pending_price_increase_id",
                                    row.path("pending_price_increase_id").asLong()));
            if (raw()) printJson(rj);
            else
                out().println(pastTense() + " the price increase of instance "
                        + row.path("contract_id").asLong() + ".");
        }
        return failed == 0 ? 0 : 1;
    }
}
