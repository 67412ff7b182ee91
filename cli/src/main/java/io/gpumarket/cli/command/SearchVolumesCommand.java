package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.query.QueryFields;
import io.gpumarket.cli.query.QueryParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search volumes '<query>'}: vastai's {@code search__volumes}: its default query (verified, not external, at
 * least 1 GB), the query, {@code order}, {@code limit}, {@code allocated_storage}, sent as
 * {@code POST /api/v0/volumes/search/}; prints the volume offers (docs/volumes.md).
 */
@Command(
        name = "volumes",
        mixinStandardHelpOptions = true,
        description = "Search volume offers with a query like 'disk_space>50 inet_up>500'.")
public final class SearchVolumesCommand extends ClientCommand {
    @Option(
            names = {"-n", "--no-default"},
            description = "leave out the default query")
    boolean noDefault;

    @Option(names = "--limit", description = "at most this many offers")
    Integer limit;

    @Option(
            names = "--storage",
            defaultValue = "1.0",
            description = "GB of storage to price the offers with (default ${DEFAULT-VALUE})")
    double storage;

    @Option(
            names = {"-o", "--order"},
            defaultValue = "score-",
            description = "comma-separated fields; a - suffix sorts descending (default ${DEFAULT-VALUE})")
    String order;

    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "the query (quote it)")
    List<String> query;

    @Override
    protected int run() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!noDefault) {
            defaults.put("verified", Map.of("eq", true));
            defaults.put("external", Map.of("eq", false));
            defaults.put("disk_space", Map.of("gte", 1));
        }
        Map<String, Object> body = QueryParser.parse(query, defaults, QueryFields.VOLUMES, err()::println);
        List<List<String>> sort = new ArrayList<>();
        for (String name : order.split(",")) {
            name = name.strip();
            if (name.isEmpty()) continue;
            String direction = "asc";
            String field = name;
            if (!name.replaceAll("^-+|-+$", "").equals(name)) {
                direction = "desc";
                field = name.replaceAll("^-+|-+$", "");
            }
            if (!name.replaceAll("^\\++|\\++$", "").equals(name)) {
                direction = "asc";
                field = name.replaceAll("^\\++|\\++$", "");
            }
            sort.add(List.of(field, direction));
        }
        body.put("order", sort);
        if (limit != null && limit != 0) body.put("limit", limit);
        body.put("allocated_storage", storage);
        JsonNode offers = api().post("/volumes/search/", body).get("offers");
        if (offers == null || !offers.isArray()) throw new Failure("error: the server's answer has no offers");
        if (raw()) printJson(offers);
        else printTable(list(offers), Columns.VOLUME_OFFERS);
        return 0;
    }
}
