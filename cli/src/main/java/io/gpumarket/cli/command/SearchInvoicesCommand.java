package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.query.QueryFields;
import io.gpumarket.cli.query.QueryParser;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code search invoices '<query>'}: the query language over the account's payment records, sent as
 * {@code GET /api/v0/invoices?select_cols=["*"]&select_filters=…}; printed as JSON, as vastai does.
 */
@Command(
        name = "invoices",
        mixinStandardHelpOptions = true,
        description = "Search your payment records, e.g. 'amount_cents>1000 service=transfer'.")
public final class SearchInvoicesCommand extends ClientCommand {
    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "the query (quote it)")
    List<String> query;

    @Override
    protected int run() {
        Map<String, Object> filters = QueryParser.parse(query, Map.of(), QueryFields.INVOICES, err()::println);
        printJson(api().get("/invoices", body("select_cols", List.of("*"), "select_filters", filters)));
        return 0;
    }
}
