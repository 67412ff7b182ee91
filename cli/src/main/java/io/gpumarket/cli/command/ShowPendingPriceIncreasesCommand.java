package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code show pending-price-increases}: {@code GET /api/v0/instances/pending-price-increases/}; per row the contract,
 * its host and the GPU price before and after in $/GPU/h (docs/billing.md "Price increases need consent").
 */
@Command(
        name = "pending-price-increases",
        mixinStandardHelpOptions = true,
        description = "Show hosts' price increases waiting for your consent.")
public final class ShowPendingPriceIncreasesCommand extends ClientCommand {
    static final List<Table.Column> COLUMNS = List.of(
            Table.Column.of("contract_id", "Instance", "{}"),
            Table.Column.of("pending_price_increase_id", "Pending ID", "{}"),
            Table.Column.of("host_id", "Host", "{}"),
            Table.Column.of("old_gpu_costpersec", "GPU $/h now", "{:0.4f}", ShowPendingPriceIncreasesCommand::hourly),
            Table.Column.of("new_gpu_costpersec", "GPU $/h new", "{:0.4f}", ShowPendingPriceIncreasesCommand::hourly),
            Table.Column.of("contract_end_date", "Contract ends", "{}"));

    private static Object hourly(Object perSecond) {
        return perSecond instanceof Number n ? n.doubleValue() * 3600 : perSecond;
    }

    @Override
    protected int run() {
        JsonNode envelope = api().get("/instances/pending-price-increases/");
        if (raw()) {
            printJson(envelope);
            return 0;
        }
        List<JsonNode> rows = list(envelope.path("pending_price_increases"));
        if (rows.isEmpty()) out().println("No pending price increases.");
        else printTable(rows, COLUMNS);
        return 0;
    }
}
