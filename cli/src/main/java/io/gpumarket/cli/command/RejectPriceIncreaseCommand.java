package io.gpumarket.cli.command;

import picocli.CommandLine.Command;

/** {@code reject price-increase ID…}: the contract keeps its price to its end. */
@Command(name = "price-increase", mixinStandardHelpOptions = true, description = "Reject hosts' price increases.")
public final class RejectPriceIncreaseCommand extends PriceIncreaseDecision {
    @Override
    String route() {
        return "/instances/reject-price-increase/";
    }

    @Override
    String pastTense() {
        return "Rejected";
    }
}
