package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code show subaccounts}: {@code GET /api/v0/subaccounts?owner=me}, with each one's credit and usage. */
@Command(name = "subaccounts", mixinStandardHelpOptions = true, description = "Show your subaccounts.")
public final class ShowSubaccountsCommand extends ClientCommand {
    @Option(
            names = {"-q", "--quiet"},
            description = "accepted as vastai does")
    boolean quiet;

    @Override
    protected int run() {
        var rows = api().get("/subaccounts", Map.of("owner", "me")).path("users");
        if (raw()) printJson(rows);
        else printTable(list(rows), Columns.SUBACCOUNTS);
        return 0;
    }
}
