package io.gpumarket.core.billing;

import io.gpumarket.core.money.Money;
import java.util.Locale;
import java.util.Optional;

/**
 * Creating or starting instances needs credit for an hour of them: a balance above zero that covers their hourly
 * cost (GPUs and storage; traffic cannot be known ahead). Without it the meter would stop them again within a tick
 * or two.
 */
public final class HourOfCredit {
    private HourOfCredit() {}

    /** Why the balance does not cover an hour of {@code hourly}; empty when it does. */
    public static Optional<String> shortfall(long balance, long hourly, String what) {
        if (balance > 0 && balance >= hourly) return Optional.empty();
        return Optional.of(String.format(
                Locale.ROOT,
                "Insufficient credit: %s costs $%.4f/hour and needs a balance that "
                        + "covers one hour; your balance is $%.2f. Add credit and try again.",
                what,
                Money.toDollars(hourly),
                Money.toDollars(balance)));
    }
}
