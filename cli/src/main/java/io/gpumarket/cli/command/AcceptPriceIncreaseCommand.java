package io.gpumarket.cli.command;

import picocli.CommandLine.Command;

/** {@code accept price-increase ID…}: the new GPU price applies from now on. */
@Command(name = "price-increase", mixinStandardHelpOptions = true, description = "Accept hosts' price increases.")
public final class AcceptPriceIncreaseCommand extends PriceIncreaseDecision {
    @Override
    String route() {
        return "/instances/accept-price-increase/";
    }

    @Override
    String pastTense() {
        return "Accepted";
    }
}
