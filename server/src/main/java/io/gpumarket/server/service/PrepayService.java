package io.gpumarket.server.service;

import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.ReservedDeposit;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.DepositRepo.Deposit;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reserved instances (docs/billing.md "Reserved instances"): prepaying credit into one on-demand contract
 * ({@code PUT /instances/prepay/{id}/}), which the meter then draws first at the discounted price
 * ({@link ReservedDeposit}); its balance ({@code GET /instances/balance/{id}/}); and the refund when the contract ends
 * ({@link #refundOnDestroy}, in the destroy's transaction).
 */
public final class PrepayService {
    /** The renter's balance does not cover the prepayment (Vast answers 411). */
    public static final class InsufficientCredit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsufficientCredit(String msg) {
            super(msg);
        }
    }

    /** What a prepayment set: the months the whole deposit covers and its discount. */
    public record Prepaid(double months, double discountRate) {}

    private final Store store;
    private final Clock clock;

    public PrepayService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Prepaid prepay(Principal caller, long instanceId, Double dollars) {
        if (dollars == null || !(dollars > 0) || dollars > 1_000_000)
            throw new DomainException.BadRequest("invalid_args", "'amount' must be a number of dollars above 0");
        long amount = Money.fromDollars(dollars);
        if (amount <= 0) throw new DomainException.BadRequest("invalid_args", "'amount' must be at least $0.000001");
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            Instance i = owned(tx, caller, instanceId);
            if (i.bid()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "instance " + instanceId + " is interruptible; only on-demand instances reserve");
            }
            tx.ledger().lockBalances(List.of(caller.userId()));
            if (tx.ledger().balance(caller.userId()) < amount) throw new InsufficientCredit("Insufficient credit");
            Machine m = tx.machines().find(i.machineId()).orElseThrow();
            int maxPpm =
                    m.listing() == null ? 0 : (int) Math.round(m.listing().creditDiscountMax() * ReservedDeposit.PPM);
            long hourly =
                    ContractTerms.of(i.numGpus(), i.diskGb(), i.prices(), 0).hourly();
            Optional<Deposit> before = tx.deposits().find(instanceId);
            ReservedDeposit state = before.map(Deposit::state).orElse(new ReservedDeposit(0, 0, 0, 0, 0));
            ReservedDeposit next = state.plus(amount, hourly, maxPpm);
            long months = ReservedDeposit.monthsPpm(next.balance(), hourly);
            tx.ledger().append(caller.userId(), "reserved", -amount, "prepaid to instance " + instanceId, null, now);
            tx.deposits()
                    .save(
                            new Deposit(
                                    instanceId,
                                    caller.userId(),
                                    next,
                                    Math.addExact(before.map(Deposit::deposited).orElse(0L), amount),
                                    months,
                                    null,
                                    before.map(Deposit::createdAt).orElse(now)),
                            now);
            return new Prepaid(
                    months == Long.MAX_VALUE ? Double.MAX_VALUE : months / (double) ReservedDeposit.PPM,
                    next.discountPpm() / (double) ReservedDeposit.PPM);
        });
    }

    /** The caller's contract's deposit; empty when it has none. A contract that is not the caller's: not found. */
    public Optional<Deposit> balance(Principal caller, long instanceId) {
        Instance i = store.repos()
                .instances()
                .find(instanceId)
                .filter(x -> x.ownerId() == caller.userId())
                .orElseThrow(() -> InstanceService.notFound(instanceId));
        return store.repos().deposits().find(i.id());
    }

    /**
     * In the destroy's transaction: what is left of the contract's deposit goes back to its owner's credit, less the
     * discount received and 5 % of it ({@link ReservedDeposit#refundable}); the deposit is closed. Usage since the
     * last metering tick is then charged at the on-demand price (the deposit is empty by then).
     */
    public static void refundOnDestroy(Repos tx, Instance i, Instant now) {
        Optional<Deposit> found = tx.deposits().find(i.id());
        if (found.isEmpty() || found.get().refunded() != null) return;
        Deposit d = found.get();
        long refund = d.state().refundable();
        if (refund > 0)
            tx.ledger().append(i.ownerId(), "refund", refund, "reserved deposit of instance " + i.id(), null, now);
        ReservedDeposit s = d.state();
        tx.deposits()
                .save(
                        new Deposit(
                                d.instanceId(),
                                d.ownerId(),
                                new ReservedDeposit(
                                        0, s.discountPpm(), s.segmentBase(), s.segmentCharged(), s.discountTotal()),
                                d.deposited(),
                                d.monthsPpm(),
                                refund,
                                d.createdAt()),
                        now);
    }

    private static Instance owned(Repos tx, Principal caller, long id) {
        return tx.instances()
                .find(id)
                .filter(i -> !i.destroyed() && i.ownerId() == caller.userId())
                .orElseThrow(() -> new DomainException.NotFound("no_such_instance", "No such instance"));
    }
}
