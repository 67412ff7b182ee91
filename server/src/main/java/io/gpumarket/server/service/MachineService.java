package io.gpumarket.server.service;

import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Hosts' machines: registration (the path every host's agent takes), listing with prices, unlisting, and the
 * operator's verification. Every change ends by refreshing the machine in the market index.
 */
public final class MachineService {
    public record Registered(Machine machine, String token) {}

    private final Store store;
    private final MarketIndex market;
    private final double initialReliability;
    private final PriceIncreaseService priceIncreases;
    private final Clock clock;

    /**
     * @param initialReliability where a new machine's reliability starts until its heartbeat history speaks for it
     *                           (docs/reliability.md)
     */
    public MachineService(
            Store store,
            MarketIndex market,
            double initialReliability,
            PriceIncreaseService priceIncreases,
            Clock clock) {
        this.store = store;
        this.priceIncreases = priceIncreases;
        this.market = market;
        this.initialReliability = initialReliability;
        this.clock = clock;
    }

    public Registered register(Principal host, MachineRegistration registration) {
        MachineSpec spec = MachineSpecs.from(registration);
        String token = Secrets.newSecret();
        Machine machine = store.repos()
                .machines()
                .register(host.userId(), spec, Secrets.hash(token), initialReliability, clock.instant());
        market.refresh(machine.id());
        return new Registered(machine, token);
    }

    /** Vast's create_asks: list the machine under these terms; offers are carved from its free GPUs. */
    public Machine list(Principal host, ListMachineRequest request) {
        if (request.machine() == null) {
            throw new DomainException.BadRequest(
                    "invalid_args", "Invalid machine id or parameters: 'machine' is required");
        }
        Machine machine = owned(host, request.machine(), "Only machine owner can create ask contracts");
        Listing listing = Listings.from(request, machine.listing(), clock.instant());
        // A duration makes the listing rolling; an end date makes it fixed; neither keeps what it was.
        Duration rolling = request.duration() != null ? Listings.duration(request.duration()) : null;
        boolean keepRolling = request.duration() == null && request.endDate() == null && machine.listed();
        store.inTransaction(repos -> {
            repos.machines().setListing(machine.id(), listing, clock.instant());
            if (!keepRolling) repos.machines().setRollingDuration(machine.id(), rolling, clock.instant());
            repos.offers()
                    .replace(machine.id(), Bundles.sizes(machine.freeGpus(), listing.minChunk()), clock.instant());
            // running contracts keep their prices; a raise waits for each renter's consent
            priceIncreases.onListing(repos, machine, listing, clock.instant());
            return null;
        });
        market.refresh(machine.id());
        return find(machine.id());
    }

    public void unlist(Principal host, long machineId) {
        Machine machine = owned(host, machineId, "Only machine owner can unlist a machine");
        store.inTransaction(repos -> {
            repos.machines().setListing(machine.id(), null, clock.instant());
            repos.machines().setRollingDuration(machine.id(), null, clock.instant());
            repos.offers().replace(machine.id(), List.of(), clock.instant());
            return null;
        });
        market.refresh(machine.id());
    }

    /**
     * {@code set min-bid}: the floor for interruptible bids, per GPU per hour. The machine must be listed (the floor
     * is part of its terms); running contracts keep what they were rented at.
     */
    public Machine setMinBid(Principal host, long machineId, Double price) {
        Machine machine = owned(host, machineId, "Only the machine owner can set its min bid");
        if (price == null) throw new DomainException.BadRequest("invalid_args", "'price' ($/hour per GPU) is required");
        if (!(price >= 0 && price <= 1000)) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'price' must be between 0 and 1000 dollars, got " + price);
        }
        Listing l = machine.listing();
        if (l == null) {
            throw new DomainException.BadRequest(
                    "invalid_args", "machine " + machineId + " is not listed; list it first (create_asks)");
        }
        Listing changed = new Listing(
                l.gpuPricePerHour(),
                l.diskPricePerGbMonth(),
                l.inetUpPricePerGb(),
                l.inetDownPricePerGb(),
                Money.fromDollars(price),
                l.minChunk(),
                l.endDate(),
                l.creditDiscountMax());
        store.repos().machines().setListing(machine.id(), changed, clock.instant());
        market.refresh(machine.id());
        return find(machine.id());
    }

    /**
     * Moves the end date of every rolling listing to now + its duration, so its offers never run out; done by the
     * upkeep loop, which is why Vast says such listings are extended daily. How many moved.
     */
    public int rollListings() {
        Instant now = clock.instant();
        int moved = 0;
        for (Map.Entry<Long, Duration> e :
                store.repos().machines().rollingDurations().entrySet()) {
            Machine m = store.repos().machines().find(e.getKey()).orElse(null);
            if (m == null || m.listing() == null) continue;
            Listing l = m.listing();
            long end = now.plus(e.getValue()).getEpochSecond();
            if (end <= l.endDate()) continue;
            store.repos()
                    .machines()
                    .setListing(
                            m.id(),
                            new Listing(
                                    l.gpuPricePerHour(),
                                    l.diskPricePerGbMonth(),
                                    l.inetUpPricePerGb(),
                                    l.inetDownPricePerGb(),
                                    l.minBidPerGpuHour(),
                                    l.minChunk(),
                                    end,
                                    l.creditDiscountMax()),
                            now);
            market.refresh(m.id());
            moved++;
        }
        return moved;
    }

    public Machine setVerification(long machineId, Verification verification) {
        find(machineId);
        store.repos().machines().setVerification(machineId, verification, clock.instant());
        market.refresh(machineId);
        return find(machineId);
    }

    public Machine setReliability(long machineId, double reliability) {
        if (!(reliability >= 0 && reliability <= 1)) {
            throw new DomainException.BadRequest(
                    "invalid_args", "reliability must be between 0 and 1, got " + reliability);
        }
        find(machineId);
        store.repos().machines().setReliability(machineId, reliability, clock.instant());
        market.refresh(machineId);
        return find(machineId);
    }

    /**
     * What a host reads beside each machine's own fields: renters' reports ({@code num_reports}), instances its agent
     * found on the host but the server does not list ({@code orphaned_instances}), and how many of its agent's
     * reports the server did not believe ({@code host_anomalies}).
     */
    public record Notes(int reports, List<Long> orphans, int hostAnomalies) {
        public static final Notes NONE = new Notes(0, List.of(), 0);

        public Notes(int reports, List<Long> orphans) {
            this(reports, orphans, 0);
        }
    }

    /** The notes of these machines; machines with nothing to note are absent. */
    public Map<Long, Notes> notes(List<Machine> ms) {
        List<Long> ids = ms.stream().map(Machine::id).toList();
        Map<Long, Integer> reports = store.repos().reports().counts(ids);
        Map<Long, List<Long>> orphans = store.repos().machines().orphans(ids);
        Map<Long, Integer> anomalies = store.repos().billing().anomalyCounts(ids);
        Map<Long, Notes> out = new java.util.HashMap<>();
        for (long id : ids) {
            if (reports.containsKey(id) || orphans.containsKey(id) || anomalies.containsKey(id)) {
                out.put(
                        id,
                        new Notes(
                                reports.getOrDefault(id, 0),
                                orphans.getOrDefault(id, List.of()),
                                anomalies.getOrDefault(id, 0)));
            }
        }
        return out;
    }

    /**
     * Host reports the server did not believe (traffic beyond the machine's link, counters going back), newest first:
     * what the operator reviews (docs/billing.md, "Traffic claims").
     */
    public List<io.gpumarket.store.HostAnomaly> anomalies(int limit) {
        return store.repos().billing().anomalies(Instant.EPOCH, limit);
    }

    /** Contracts the meter could not price and set aside (docs/billing.md, "Contracts set aside"). */
    public List<io.gpumarket.store.SetAside> setAside() {
        return store.repos().billing().setAside();
    }

    public Notes notes(Machine m) {
        return notes(List.of(m)).getOrDefault(m.id(), Notes.NONE);
    }

    public List<Machine> ofHost(Principal host) {
        return store.repos().machines().byHost(host.userId());
    }

    /**
     * The caller's machine. Another host's machine and a missing one get the same 403, so the answer never
     * tells whether a machine id exists.
     */
    public Machine owned(Principal host, long machineId, String refusal) {
        return store.repos()
                .machines()
                .find(machineId)
                .filter(m -> m.hostId() == host.userId() || host.admin())
                .orElseThrow(() ->
                        new DomainException.Forbidden("not_authorized", refusal + " (machine " + machineId + ")"));
    }

    public Machine find(long machineId) {
        return store.repos()
                .machines()
                .find(machineId)
                .orElseThrow(() -> new DomainException.NotFound("no_such_machine", "No such machine id: " + machineId));
    }
}
