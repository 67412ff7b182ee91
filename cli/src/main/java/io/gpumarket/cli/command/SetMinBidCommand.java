package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code set min-bid ID --price P}: {@code PUT /api/v0/machines/{id}/minbid/ {"client_id": "me", "price": P}}. */
@Command(
        name = "min-bid",
        aliases = "min_bid",
        mixinStandardHelpOptions = true,
        description = "[Host] Set a machine's lowest accepted bid ($/hour per GPU).")
public final class SetMinBidCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--price", description = "$/hour per GPU")
    Double price;

    @Override
    protected int run() {
        return reportSuccess(
                api().put("/machines/" + id + "/minbid/", body("client_id", "me", "price", price)),
                "Per gpu min bid price changed");
    }
}
