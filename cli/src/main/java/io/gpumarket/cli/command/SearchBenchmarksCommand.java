package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table;
import io.gpumarket.cli.query.QueryFields;
import io.gpumarket.cli.query.QueryParser;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code search benchmarks '<query>'}: the query language over the machines' benchmark numbers (DLPerf, internet up
 * and down, disk and PCIe bandwidth), sent as {@code GET /api/v0/benchmarks?select_cols=["*"]&select_filters=…}.
 */
@Command(
        name = "benchmarks",
        mixinStandardHelpOptions = true,
        description = "Search machines' benchmark numbers, e.g. 'type=dlperf value>100'.",
        footer = {
            "",
            "Fields: contract_id gpu_name id image last_update launch_args machine_id num_gpus template_hash",
            "template_id type value (types: dlperf inet_up inet_down disk_bw pcie_bw)"
        })
public final class SearchBenchmarksCommand extends ClientCommand {
    static final List<Table.Column> COLUMNS = List.of(
            Table.Column.of("id", "ID", "{}"),
            Table.Column.of("machine_id", "Machine", "{}"),
            Table.Column.of("gpu_name", "GPU", "{}"),
            Table.Column.of("num_gpus", "N", "{}"),
            Table.Column.of("type", "Type", "{}"),
            Table.Column.of("value", "Value", "{:0.1f}"));

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "the query (quote it)")
    List<String> query;

    @Override
    protected int run() {
        Map<String, Object> filters = QueryParser.parse(query, Map.of(), QueryFields.BENCHMARKS, err()::println);
        JsonNode rows = api().get("/benchmarks", body("select_cols", List.of("*"), "select_filters", filters));
        if (raw()) printJson(rows);
        else printTable(list(rows), COLUMNS);
        return 0;
    }
}
