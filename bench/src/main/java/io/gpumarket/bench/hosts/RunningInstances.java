package io.gpumarket.bench.hosts;

import io.gpumarket.bench.SyntheticMarket;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.NewInstance;
import io.gpumarket.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Contracts on a fraction of the market's machines, written through the store's repositories with the rows a rent
 * leaves (the machine's GPUs taken, its offer consumed and the rest withdrawn, the instance intended running with the
 * listing's prices frozen), a couple of thousand per transaction. Renting them through the route would take minutes
 * on a busy 2-core machine, and the rent path is {@code rents.RentLoad}'s subject, not this one's. Their agents then
 * report {@code loading} and {@code running} themselves.
 */
final class RunningInstances {
    private static final int PER_TRANSACTION = 2_000;

    private RunningInstances() {}

    /** Rents {@code count} of the whole-machine {@code offers} (in their order) to {@code renterId}; answers how many. */
    static int plant(Store store, SyntheticMarket market, List<Long> offers, long renterId, int count) {
        Map<Long, OfferSlot> slots = new HashMap<>();
        for (OfferSlot s : market.slots()) slots.put(s.id(), s);
        Map<Long, Machine> machines = new HashMap<>();
        for (Machine m : market.machines()) machines.put(m.id(), m);
        Launch launch = new Launch(
                "pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime",
                List.of(),
                "echo hello > /root/hello.txt",
                List.of(),
                null,
                Runtype.SSH,
                "ssh");
        List<Long> chosen = offers.subList(0, Math.min(count, offers.size()));
        int[] done = {0};
        for (int from = 0; from < chosen.size(); from += PER_TRANSACTION) {
            List<Long> batch = chosen.subList(from, Math.min(from + PER_TRANSACTION, chosen.size()));
            store.inTransaction(tx -> {
                Instant now = Instant.now();
                for (long offerId : batch) {
                    OfferSlot slot = slots.get(offerId);
                    Machine m = machines.get(slot.machineId());
                    if (!tx.machines().compareAndSetFreeGpus(m.id(), m.freeGpus(), m.freeGpus() - slot.numGpus(), now)
                            || !tx.offers().consume(offerId, now)) {
                        throw new IllegalStateException("offer " + offerId + " of machine " + m.id() + " was not free");
                    }
                    tx.offers().replace(m.id(), List.of(), now);
                    Listing l = m.listing();
                    ContractPrices prices = new ContractPrices(
                            l.gpuPricePerHour(),
                            l.diskPricePerGbMonth(),
                            l.inetUpPricePerGb(),
                            l.inetDownPricePerGb(),
                            l.endDate());
                    int ssh = m.spec().directPortStart() < 0 ? 0 : m.spec().directPortStart();
                    tx.instances()
                            .create(
                                    new NewInstance(
                                            renterId,
                                            m.id(),
                                            offerId,
                                            slot.numGpus(),
                                            launch,
                                            null,
                                            10,
                                            IntendedStatus.RUNNING,
                                            ssh,
                                            Map.of(),
                                            prices),
                                    now);
                    done[0]++;
                }
                return null;
            });
        }
        return done[0];
    }
}
