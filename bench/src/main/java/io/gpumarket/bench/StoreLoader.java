package io.gpumarket.bench;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Instant;
import java.util.List;

/**
 * Puts a synthetic market into a server's store through the same repositories the services use (so the rows
 * are exactly what a real host's registration and listing would leave), a few thousand machines per
 * transaction: one transaction per machine would spend the load on commits.
 */
public final class StoreLoader {
    private static final int ROWS_PER_TRANSACTION = 5_000;

    /** What the store assigned, to check it against the synthetic ids. */
    public record Loaded(int hosts, int machines, int offers, boolean sameIds) {}

    private StoreLoader() {}

    /**
     * The machine token of synthetic machine {@code id}: the store keeps only its hash, as for a real registration, so
     * a simulated agent ({@code hosts.HostSimulator}) authenticates with it exactly as a real agent does.
     */
    public static String machineToken(long machineId) {
        return "bench-token-" + machineId;
    }

    /**
     * Loads hosts (as accounts), machines, their listings, verification, rented-away GPUs and offers, in the
     * market's order. The offer ids match the market's when the store is fresh (ids start at 1 and nothing else
     * is registered meanwhile); {@link Loaded#sameIds} says whether they did.
     */
    public static Loaded load(Store store, SyntheticMarket market) {
        Instant now = Instant.ofEpochSecond(market.now());
        long[] hostUser = new long[market.hosts() + 1];
        for (int from = 1; from <= market.hosts(); from += ROWS_PER_TRANSACTION) {
            int start = from;
            store.inTransaction(repos -> {
                for (int h = start; h < Math.min(start + ROWS_PER_TRANSACTION, market.hosts() + 1); h++) {
                    hostUser[h] = repos.users()
                            .create("host" + h + "@bench.invalid", "bench-host-" + h, false, now)
                            .id();
                }
                return null;
            });
        }
        List<Machine> machines = market.machines();
        boolean[] sameIds = {true};
        int[] offers = {0};
        long[] nextSlot = {1};
        for (int from = 0; from < machines.size(); from += ROWS_PER_TRANSACTION) {
            List<Machine> batch = machines.subList(from, Math.min(from + ROWS_PER_TRANSACTION, machines.size()));
            store.inTransaction(repos -> {
                for (Machine m : batch) {
                    List<OfferSlot> slots = put(repos, m, hostUser[(int) m.hostId()], now);
                    sameIds[0] &= slots.isEmpty() || slots.getFirst().id() == nextSlot[0];
                    nextSlot[0] += slots.size();
                    offers[0] += slots.size();
                }
                return null;
            });
        }
        return new Loaded(
                market.hosts(),
                machines.size(),
                offers[0],
                sameIds[0] && offers[0] == market.slots().size());
    }

    private static List<OfferSlot> put(Repos repos, Machine m, long hostUserId, Instant now) {
        long id = repos.machines()
                .register(hostUserId, m.spec(), Secrets.hash(machineToken(m.id())), m.reliability(), now)
                .id();
        if (id != m.id()) {
            throw new IllegalStateException("the store gave machine " + m.id() + " id " + id
                    + ": load synthetic markets into a fresh database only");
        }
        repos.machines().setListing(id, m.listing(), now);
        if (m.verification() != Verification.UNVERIFIED) repos.machines().setVerification(id, m.verification(), now);
        if (m.freeGpus() != m.spec().numGpus()) {
            repos.machines().compareAndSetFreeGpus(id, m.spec().numGpus(), m.freeGpus(), now);
        }
        return repos.offers()
                .replace(id, Bundles.sizes(m.freeGpus(), m.listing().minChunk()), now);
    }
}
