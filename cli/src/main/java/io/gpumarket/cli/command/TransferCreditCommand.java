package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.query.Py;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transfer credit RECIPIENT AMOUNT}: {@code PUT /api/v0/commands/transfer_credit/ {"sender": "me", …}}. */
@Command(
        name = "credit",
        mixinStandardHelpOptions = true,
        description = "Send credit to another account (irreversible).",
        footer = {"", "Example: gpumarket transfer credit --recipient bob@example.org --amount 25.50 --skip"})
public final class TransferCreditCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RECIPIENT", description = "email or id of the recipient")
    String recipientPos;

    @Parameters(index = "1", arity = "0..1", paramLabel = "AMOUNT", description = "dollars")
    Double amountPos;

    @Option(
            names = {"-r", "--recipient"},
            description = "email or id of the recipient")
    String recipient;

    @Option(
            names = {"-a", "--amount"},
            description = "dollars")
    Double amount;

    @Option(names = "--skip", description = "do not ask for confirmation")
    boolean skip;

    @Override
    protected int run() throws IOException {
        String to = recipient != null ? recipient : recipientPos;
        Double dollars = amount != null ? amount : amountPos;
        if (to == null || dollars == null)
            throw new Failure("Error: both recipient and amount are required (as flags or positional args).");
        String shown = Py.floatRepr(dollars);
        if (!skip) {
            out().println("Transfer $" + shown + " credit to account " + to + "?  This is irreversible.");
            if (!confirm("Continue? [y/n] ")) return 1;
        }
        JsonNode answer =
                api().put("/commands/transfer_credit/", body("sender", "me", "recipient", to, "amount", dollars));
        return reportSuccess(answer, "Sent " + shown + " to " + to);
    }
}
