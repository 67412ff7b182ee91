package io.gpumarket.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.bid.BidPrice;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.HourOfCredit;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.PortAllocator;
import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.instance.RentRequest;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.permission.InstanceScope;
import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateLaunch;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeRequest;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.InstanceKeys;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.NewInstance;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renting an offer ({@code PUT /asks/{offer}/}): one transaction that is a conditional commit (docs/architecture.md §1). The
 * offer id is consumed (single use) and the machine's free GPUs are compare-and-set from the count this
 * transaction read; if either finds the world changed, another renter won and this one gets Vast's
 * {@code no_such_ask}, with nothing written. The winner's transaction also re-offers what the machine has left
 * under new ids, takes host ports from the machine's direct range, stores the instance with the listing's prices
 * (and the platform's cut) frozen, and creates the instance's own scoped API key. A renter whose balance does not
 * cover an hour of the instance is refused ({@code insufficient_credit}) before anything is written.
 *
 * <p>A body with {@code price} rents an interruptible (bid) instance at that bid (docs/bids.md): it takes no GPUs from
 * the free count, and the bid arbiter decides in the same transaction whether it runs or waits.
 */
public final class RentService {
    /** A new instance and its own API key's secret (shown once to the renter, injected into the container). */
    public record Rented(Instance instance, String instanceApiKey) {}

    private final Store store;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final RentedMachines rented;
    private final TemplateService templates;
    private final BidArbiter arbiter;
    private final int platformFeePpm;
    private final InstanceKeys instanceKeys;
    private final VolumeService volumes;
    private final Clock clock;

    /** @param platformFeePpm the platform's cut that new contracts freeze with their prices */
    public RentService(
            Store store,
            MarketIndex market,
            MachineRevisions revisions,
            RentedMachines rented,
            TemplateService templates,
            BidArbiter arbiter,
            InstanceKeys instanceKeys,
            VolumeService volumes,
            int platformFeePpm,
            Clock clock) {
        this.store = store;
        this.volumes = volumes;
        this.rented = rented;
        this.instanceKeys = instanceKeys;
        this.arbiter = arbiter;
        this.market = market;
        this.revisions = revisions;
        this.templates = templates;
        this.platformFeePpm = platformFeePpm;
        this.clock = clock;
    }

    /**
     * Rents with the body's fields, based on the template with {@code templateHashId} when one is named: the
     * template fills what the body leaves out ({@link TemplateLaunch}), then the create rules judge the result.
     */
    public Rented rent(Principal renter, long offerId, RentFields fields, String templateHashId) {
        return rent(renter, offerId, fields, templateHashId, null);
    }

    /**
     * As {@link #rent(Principal, long, RentFields, String)}, with the body's {@code volume_info}: the instance mounts
     * a new or an existing volume of its machine (docs/volumes.md), decided in the rent's transaction.
     */
    public Rented rent(Principal renter, long offerId, RentFields fields, String templateHashId, VolumeRequest volume) {
        Template template = templateHashId == null ? null : templates.usable(renter, templateHashId);
        RentRequest request =
                (template == null ? fields : TemplateLaunch.apply(template.content(), fields)).toRequest();
        return rent(renter, offerId, request, template == null ? null : TemplateRef.of(template), volume);
    }

    /**
     * What the transaction committed that the offer index needs: the machine row as it left it, its live contracts
     * (with their bid states after arbitration), its new offers, and the index ticket taken under the row lock.
     */
    private record Committed(
            Instance instance,
            String instanceKey,
            long ticket,
            Machine machine,
            List<Instance> live,
            List<OfferSlot> offers) {}

    /**
     * @param template the template the request was made from, counted as one more creation and recorded on the
     *     instance; null for none
     *
     * <p>Each statement is issued once: the offer, the machine, the balance; the machine row's compare-and-set, which
     * answers the row it locked; the offer's consumption, the re-offer (two statements), the machine's live contracts
     * (read once, for the ports and the arbitration), the instance, its key and the key's id on it. Arbitration of an
     * on-demand rent decides from what is already read, and writes only when bids are affected. After the commit the
     * index is updated from the same values, without reading anything again ({@link MarketIndex#publish}).
     */
    Rented rent(Principal renter, long offerId, RentRequest request, TemplateRef template) {
        return rent(renter, offerId, request, template, null);
    }

    private Rented rent(
            Principal renter, long offerId, RentRequest request, TemplateRef template, VolumeRequest volume) {
        Instant now = clock.instant();
        Committed done = store.inTransaction(tx -> {
            OfferSlot offer = tx.offers().findActive(offerId).orElseThrow(() -> unavailable(offerId, request));
            Machine m = tx.machines()
                    .find(offer.machineId())
                    .filter(Machine::listed)
                    .orElseThrow(() -> unavailable(offerId, request));
            MachineSpec spec = m.spec();
            request.checkFits(offerId, spec.diskSpaceGb() * offer.numGpus() / spec.numGpus());
            Listing l = m.listing();
            long gpuPrice = request.bid()
                    ? BidPrice.forCreate(request.bidDollars(), offer.numGpus(), l.minBidPerGpuHour())
                    : l.gpuPricePerHour();
            ContractPrices prices = new ContractPrices(
                    gpuPrice, l.diskPricePerGbMonth(), l.inetUpPricePerGb(), l.inetDownPricePerGb(), l.endDate());
            long hourly = ContractTerms.of(offer.numGpus(), request.diskGb(), prices, platformFeePpm)
                    .hourly();
            HourOfCredit.shortfall(tx.ledger().balance(renter.userId()), hourly, "instance type " + offerId)
                    .ifPresent(msg -> {
                        throw new DomainException.BadRequest("insufficient_credit", msg);
                    });
            // A bid takes no GPUs from the free count (which is what on-demand contracts hold): the arbiter decides
            // below whether it runs. It still consumes the offer id, so each offer is rented once.
            int free = request.bid() ? m.freeGpus() : m.freeGpus() - offer.numGpus();
            if (free < 0) throw unavailable(offerId, request);
            // The machine row first, then its offers: the order every writer of both takes (listing, release,
            // registration), so renters of different offers of one machine queue on the machine row instead of
            // deadlocking with each other's offer replacement on PostgreSQL. The row the update answers is the one
            // this transaction holds until it commits.
            Machine locked = tx.machines()
                    .setFreeGpusIf(m.id(), m.freeGpus(), free, now)
                    .orElseThrow(() -> unavailable(offerId, request));
            long ticket = market.ticket();
            if (!tx.offers().consume(offerId, now)) throw unavailable(offerId, request);
            List<OfferSlot> offers = tx.offers()
                    .replace(m.id(), Bundles.sizes(free, locked.listing().minChunk()), now);
            List<Instance> live = new ArrayList<>(tx.instances().liveOnMachine(m.id()));
            Ports ports = ports(m, live, request.publishedPorts());
            Instance inserted = tx.instances()
                    .create(
                            new NewInstance(
                                    renter.userId(),
                                    m.id(),
                                    offerId,
                                    offer.numGpus(),
                                    request.launch(),
                                    request.label(),
                                    request.diskGb(),
                                    request.target(),
                                    ports.ssh(),
                                    ports.published(),
                                    prices,
                                    platformFeePpm,
                                    request.bid()),
                            now);
            // derived, never stored: only its hash goes into the database (InstanceKeys says why); derived once, as
            // the HMAC is a measurable part of a rent's CPU
            String instanceKey = instanceKeys.keyOf(inserted.id());
            ApiKey key = tx.apiKeys()
                    .create(
                            renter.userId(),
                            "instance " + inserted.id(),
                            Secrets.hash(instanceKey),
                            scope(inserted.id()),
                            null,
                            now);
            tx.instances().setApiKeyId(inserted.id(), key.id(), now);
            Instance created = inserted.withApiKeyId(key.id(), now);
            if (template != null) {
                tx.templates().countCreation(template.id(), now);
                tx.instances().setTemplate(created.id(), template);
            }
            if (volume != null) {
                Volume v = volumes.forInstance(tx, renter, m, volume, now);
                tx.volumes().mount(created.id(), v.id(), volume.mountPath());
            }
            io.gpumarket.server.notify.Events.instanceCreated(tx, created, now);
            if (request.bid()) {
                // a new bid may displace lower ones: the arbiter re-reads the machine's contracts, and so does the
                // index
                arbiter.arbitrate(tx, m.id(), now);
                Instance result = tx.instances().find(created.id()).orElseThrow();
                if (request.cancelUnavail() && result.bidState().waiting()) {
                    throw new DomainException.Gone(
                            "no_such_ask",
                            "Instance type " + offerId + " is not available at a bid of $"
                                    + request.bidDollars() + "/hour ("
                                    + result.bidState().reason() + "); the current minimum bid "
                                    + "is in the offer's min_bid");
                }
                return new Committed(result, instanceKey, ticket, null, List.of(), List.of());
            }
            // on-demand GPUs may have been held by bids, which this preempts
            live.add(created);
            BidArbiter.Outcome decided = arbiter.admitOnDemand(tx, created, locked, live, now);
            Instance result = decided.changed().stream().anyMatch(i -> i.id() == created.id())
                    ? tx.instances().find(created.id()).orElseThrow()
                    : created;
            return new Committed(result, instanceKey, ticket, locked, decided.live(), offers);
        });
        long machineId = done.instance().machineId();
        if (done.machine() == null) market.refresh(machineId);
        else market.publish(done.ticket(), done.machine(), done.live(), done.offers());
        revisions.bump(machineId);
        rented.changed(renter.userId());
        return new Rented(done.instance(), done.instanceKey());
    }

    record Ports(int ssh, Map<String, Integer> published) {}

    /**
     * The SSH front door's port and one per published container port, the lowest free in the machine's direct
     * range. The machine row is already locked by the compare-and-set, so no concurrent rent on this machine can
     * take the same ports (a migration's move takes its ports the same way: MigrationService). A machine that forwards no ports gets instances without an SSH port (0) and cannot
     * publish any.
     */
    static Ports ports(Machine m, List<Instance> live, List<String> published) {
        MachineSpec spec = m.spec();
        if (spec.directPortStart() < 0) {
            if (!published.isEmpty()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "machine " + m.id() + " forwards no ports, so it "
                                + "cannot publish " + String.join(", ", published)
                                + "; pick an offer with direct_port_count >= "
                                + (published.size() + 1));
            }
            return new Ports(0, Map.of());
        }
        Set<Integer> taken = new HashSet<>();
        for (Instance i : live) {
            taken.add(i.sshPort());
            taken.addAll(i.ports().values());
        }
        List<Integer> got = PortAllocator.allocate(
                        spec.directPortStart(), spec.directPortEnd(), taken, 1 + published.size())
                .orElseThrow(() -> new DomainException.BadRequest(
                        "invalid_args",
                        "machine " + m.id() + " has no "
                                + (1 + published.size()) + " free direct ports left in " + spec.directPortStart() + "-"
                                + spec.directPortEnd() + " (SSH"
                                + (published.isEmpty() ? "" : " and " + String.join(", ", published))
                                + "); pick another offer or publish fewer ports"));
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int k = 0; k < published.size(); k++) map.put(published.get(k), got.get(k + 1));
        return new Ports(got.get(0), map);
    }

    /** Vast's answers for an offer that is gone: 404, or 410 when the renter asked for cancel_unavail. */
    private static DomainException unavailable(long offerId, RentRequest request) {
        return request.cancelUnavail()
                ? new DomainException.Gone("no_such_ask", "Instance type " + offerId + " is no longer available.")
                : new DomainException.NotFound("no_such_ask", "Instance type by id " + offerId + " is not available.");
    }

    /**
     * The instance key's permission document as JSON: Jackson's text of {@link InstanceScope#document} for a
     * placeholder id, with the id put in place of the placeholder. Every rent writes one, and serialising the nested
     * maps each time was a visible part of a rent's CPU; the text is exactly Jackson's for that id (RentScopeTest).
     */
    static String scope(long instanceId) {
        StringBuilder json = new StringBuilder(SCOPE_PARTS[0]);
        for (int i = 1; i < SCOPE_PARTS.length; i++) json.append(instanceId).append(SCOPE_PARTS[i]);
        return json.toString();
    }

    /** An id no instance has, so that it stands only where the id goes. */
    private static final long SCOPE_PLACEHOLDER = Long.MIN_VALUE;

    private static final String[] SCOPE_PARTS = scopeParts();

    private static String[] scopeParts() {
        String text;
        try {
            text = Wire.mapper().writeValueAsString(InstanceScope.document(SCOPE_PLACEHOLDER));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the instance key's permission document is not serialisable", e);
        }
        return text.split(java.util.regex.Pattern.quote(Long.toString(SCOPE_PLACEHOLDER)), -1);
    }
}
