package io.gpumarket.server.service;

import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * Hosts' machines: registration (the path every host's agent takes), listing with prices, unlisting, and the
 * operator's verification. Every change ends by refreshing the machine in the market index.
 */
public final class MachineService {
    /**
     * Where a new machine's reliability starts until its heartbeat history speaks for it. Vast starts new
     * machines low and lets them earn trust; see docs/reliability.md.
     */
    public static final double INITIAL_RELIABILITY = 0.9;

    public record Registered(Machine machine, String token) {}

    private final Store store;
    private final MarketIndex market;
    private final Clock clock;

    public MachineService(Store store, MarketIndex market, Clock clock) {
        this.store = store;
        this.market = market;
        this.clock = clock;
    }

    public Registered register(Principal host, MachineRegistration registration) {
        MachineSpec spec = MachineSpecs.from(registration);
        String token = Secrets.newSecret();
        Machine machine = store.repos().machines().register(host.userId(), spec, Secrets.hash(token),
                INITIAL_RELIABILITY, clock.instant());
        market.refresh(machine.id());
        return new Registered(machine, token);
    }

    /** Vast's create_asks: list the machine under these terms; offers are carved from its free GPUs. */
    public Machine list(Principal host, ListMachineRequest request) {
        if (request.machine() == null) {
            throw new DomainException.BadRequest("invalid_args", "Invalid machine id or parameters: 'machine' is required");
        }
        Machine machine = owned(host, request.machine(), "Only machine owner can create ask contracts");
        Listing listing = Listings.from(request, machine.listing(), clock.instant());
        store.inTransaction(repos -> {
            repos.machines().setListing(machine.id(), listing, clock.instant());
            repos.offers().replace(machine.id(), Bundles.sizes(machine.freeGpus(), listing.minChunk()), clock.instant());
            return null;
        });
        market.refresh(machine.id());
        return find(machine.id());
    }

    public void unlist(Principal host, long machineId) {
        Machine machine = owned(host, machineId, "Only machine owner can unlist a machine");
        store.inTransaction(repos -> {
            repos.machines().setListing(machine.id(), null, clock.instant());
            repos.offers().replace(machine.id(), List.of(), clock.instant());
            return null;
        });
        market.refresh(machine.id());
    }

    public Machine setVerification(long machineId, Verification verification) {
        find(machineId);
        store.repos().machines().setVerification(machineId, verification, clock.instant());
        market.refresh(machineId);
        return find(machineId);
    }

    public Machine setReliability(long machineId, double reliability) {
        if (!(reliability >= 0 && reliability <= 1)) {
            throw new DomainException.BadRequest("invalid_args", "reliability must be between 0 and 1, got " + reliability);
        }
        find(machineId);
        store.repos().machines().setReliability(machineId, reliability, clock.instant());
        market.refresh(machineId);
        return find(machineId);
    }

    public List<Machine> ofHost(Principal host) {
        return store.repos().machines().byHost(host.userId());
    }

    /**
     * The caller's machine. Another host's machine and a missing one get the same 403, so the answer never
     * tells whether a machine id exists.
     */
    public Machine owned(Principal host, long machineId, String refusal) {
        return store.repos().machines().find(machineId)
                .filter(m -> m.hostId() == host.userId() || host.admin())
                .orElseThrow(() -> new DomainException.Forbidden("not_authorized", refusal + " (machine " + machineId + ")"));
    }

    public Machine find(long machineId) {
        return store.repos().machines().find(machineId)
                .orElseThrow(() -> new DomainException.NotFound("no_such_machine", "No such machine id: " + machineId));
    }
}
