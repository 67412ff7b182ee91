package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code change bid ID [--price P]}: {@code PUT /api/v0/instances/bid_price/{id}/ {"client_id": "me", "price": P}}
 * (docs/vast-compatibility.md §b.2). Without {@code --price} the server picks the lowest winning bid, as vastai documents.
 */
@Command(
        name = "bid",
        mixinStandardHelpOptions = true,
        description =
                "Change the bid of an interruptible instance ($/hour for the instance); the machine re-decides at once.")
public final class ChangeBidCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--price", description = "bid $/hour for the instance; leave out for the lowest winning bid")
    Double price;

    @Override
    protected int run() {
        return reportSuccess(
                api().put("/instances/bid_price/" + id + "/", body("client_id", "me", "price", price)),
                "Per gpu bid price changed");
    }
}
