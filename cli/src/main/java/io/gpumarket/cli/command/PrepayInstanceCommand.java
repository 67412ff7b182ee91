package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.query.Py;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code prepay instance ID AMOUNT}: {@code PUT /api/v0/instances/prepay/{id}/ {"amount"}}, a reserved instance's
 * deposit (docs/billing.md "Reserved instances"); prints vastai's line.
 */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description =
                "Deposit credit into a reserved instance (discount 0.2 for 1 month, 0.3 for 3 months by default).")
public final class PrepayInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "AMOUNT")
    double amount;

    @Override
    protected int run() {
        JsonNode rj = api().put("/instances/prepay/" + id + "/", body("amount", amount));
        if (raw()) {
            printJson(rj);
            return rj.path("success").asBoolean() ? 0 : 1;
        }
        if (!rj.path("success").asBoolean()) {
            err().println(rj.path("msg").asText(rj.toString()));
            return 1;
        }
        double timescale = Math.round(rj.path("timescale").asDouble() * 1000) / 1000.0;
        double rate = 100.0 * (Math.round(rj.path("discount_rate").asDouble() * 1000) / 1000.0);
        out().println("prepaid for " + Py.floatRepr(timescale) + " months of instance " + id + " applying $"
                + Py.floatRepr(amount) + " credits for a discount of " + Py.floatRepr(rate) + "%");
        return 0;
    }
}
