package io.gpumarket.server.service;

import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sending credit to another account ({@code PUT /commands/transfer_credit/}): two ledger entries, the sender's
 * minus and the recipient's plus, in one transaction that holds both balances, so a transfer either happens whole
 * or not at all, and two transfers from one account cannot both spend the same credit.
 */
public final class TransferService {
    /** Vast's minimum transfer. */
    public static final long MIN_MICROS = 10_000;

    /** A completed transfer. */
    public record Transferred(User recipient, long amount) {}

    private final Store store;
    private final Clock clock;

    public TransferService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param sender    "me", or the caller's own id or email
     * @param recipient an email (any case) or an account id
     */
    public Transferred transfer(Principal caller, String sender, String recipient, Double dollars) {
        if (sender != null && !isCaller(caller, sender.strip())) {
            throw new DomainException.BadRequest(
                    "invalid_args", "sender must be \"me\" (you can only send your own credit), got '" + sender + "'");
        }
        if (dollars == null || !Double.isFinite(dollars) || dollars > 1_000_000_000) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'amount' must be a number of dollars, got " + dollars);
        }
        long amount = Money.fromDollars(dollars);
        if (amount < MIN_MICROS) {
            throw new DomainException.BadRequest("invalid_args", "amount must be at least $0.01, got $" + dollars);
        }
        User to = find(recipient)
                .orElseThrow(() -> new DomainException.BadRequest(
                        "invalid_recipient", "No account with email or id '" + recipient + "'"));
        if (to.id() == caller.userId()) {
            throw new DomainException.BadRequest("invalid_recipient", "You cannot transfer credit to yourself");
        }
        User from = caller.user();
        Instant now = clock.instant();
        store.inTransaction(tx -> {
            tx.ledger().lockBalances(List.of(from.id(), to.id()));
            long balance = tx.ledger().balance(from.id());
            if (balance < amount) {
                throw new DomainException.BadRequest(
                        "insufficient_balance",
                        String.format(
                                Locale.ROOT,
                                "Insufficient balance: you have $%.2f, the transfer is $%.2f",
                                Money.toDollars(balance),
                                Money.toDollars(amount)));
            }
            tx.ledger().append(from.id(), "transfer", -amount, "transfer to " + to.email(), null, now);
            tx.ledger().append(to.id(), "transfer", amount, "transfer from " + from.email(), null, now);
            return null;
        });
        return new Transferred(to, amount);
    }

    private Optional<User> find(String ref) {
        if (ref == null || ref.isBlank()) return Optional.empty();
        String r = ref.strip();
        if (r.matches("\\d{1,18}")) return store.repos().users().find(Long.parseLong(r));
        return store.repos().users().findByEmail(r);
    }

    private static boolean isCaller(Principal caller, String sender) {
        return sender.equals("me")
                || sender.equals(String.valueOf(caller.userId()))
                || sender.equalsIgnoreCase(caller.user().email());
    }
}
