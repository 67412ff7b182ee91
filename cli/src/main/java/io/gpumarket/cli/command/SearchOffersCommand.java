package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.query.OfferSearch;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search offers '<query>'}: vastai's query language (docs/vast-compatibility.md §e) into the search body, sent as
 * {@code POST /api/v0/bundles/} ({@code --new}: {@code PUT /api/v0/search/asks/}); prints the offers table.
 */
@Command(
        name = "offers",
        mixinStandardHelpOptions = true,
        description = "Search offers with a query like 'gpu_name=RTX_4090 num_gpus>=1'.",
        footer = {
            "",
            "Query: field op value …  op: < <= == = != >= > in notin (also lt lte eq neq gte gt nin 'not in')",
            "Values: strings with _ for spaces (gpu_name=RTX_4090), [a,b] lists, true/false/None, any (drop the field).",
            "gpu_ram, gpu_total_ram, cpu_ram are GB; duration is days. Defaults: verified=true external=false rentable=true (-n: none).",
            "Example: gpumarket search offers 'reliability>0.99 num_gpus=4 geolocation in [TW,SE]' -o 'num_gpus-,dph+'"
        })
public final class SearchOffersCommand extends ClientCommand {
    private String type = "on-demand";

    @Option(
            names = {"-t", "--type"},
            description = "on-demand (default), reserved, or bid (interruptible)")
    void type(String type) {
        this.type = type;
    }

    @Option(
            names = {"-i", "--interruptible"},
            description = "alias for --type=bid")
    void interruptible(boolean on) {
        if (on) type = "bid";
    }

    @Option(
            names = {"-b", "--bid"},
            description = "alias for --type=bid")
    void bid(boolean on) {
        if (on) type = "bid";
    }

    @Option(
            names = {"-r", "--reserved"},
            description = "alias for --type=reserved")
    void reserved(boolean on) {
        if (on) type = "reserved";
    }

    @Option(
            names = {"-d", "--on-demand"},
            description = "alias for --type=on-demand")
    void onDemand(boolean on) {
        if (on) type = "on-demand";
    }

    @Option(
            names = {"-n", "--no-default"},
            description = "leave out the default query")
    boolean noDefault;

    @Option(names = "--new", description = "use the new search (PUT /search/asks/)")
    boolean newSearch;

    @Option(names = "--limit", description = "at most this many offers")
    Integer limit;

    @Option(
            names = "--storage",
            defaultValue = "5.0",
            description = "GB of disk to price the offers with (default ${DEFAULT-VALUE})")
    double storage;

    @Option(
            names = {"-o", "--order"},
            defaultValue = OfferSearch.DEFAULT_ORDER,
            description = "comma-separated fields; a - suffix sorts descending (default ${DEFAULT-VALUE})")
    String order;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "the query (quote it)")
    List<String> query;

    @Override
    protected int run() {
        Map<String, Object> body = new OfferSearch(query, noDefault, order, type, limit, storage).body(err()::println);
        JsonNode answer = newSearch
                ? api().put("/search/asks/", body("select_cols", List.of("*"), "q", body))
                : api().post("/bundles/", body);
        JsonNode offers = answer.get("offers");
        if (offers == null || !offers.isArray())
            throw new Failure("error: the server's answer has no offers: " + answer);
        if (raw()) {
            printJson(offers);
        } else {
            printTable(list(offers), "reserved".equals(type) ? Columns.OFFERS_RESERVED : Columns.OFFERS);
        }
        return 0;
    }
}
