package io.gpumarket.server.service;

import io.gpumarket.core.billing.HourOfCredit;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.query.RowQuery;
import io.gpumarket.core.query.RowQuery.Kind;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeCharge;
import io.gpumarket.core.volume.VolumeOffer;
import io.gpumarket.core.volume.VolumeRequest;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import io.gpumarket.store.VolumeRepo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Volumes (docs/volumes.md): hosts offer disk space on a machine ({@code POST /volumes/}, {@code create_asks}'s
 * {@code vol_size}), renters rent volumes from an offer ({@code PUT /volumes/} or with an instance's
 * {@code volume_info}), list and delete them. A volume lives on one machine; the machine's agent learns of it through
 * the desired state (every change bumps the machine's revision).
 */
public final class VolumeService {
    /** The columns of {@code POST /volumes/search/} (vastai's {@code vol_offers_fields} that we can answer). */
    static final Map<String, Kind> SEARCH_FIELDS = searchFields();

    private static final RowQuery.Schema SCHEMA = new RowQuery.Schema(SEARCH_FIELDS, "invalid_args", "Invalid query: ");
    /** Keys of a search body that are not filters. */
    private static final Set<String> NOT_FILTERS = Set.of("order", "limit", "allocated_storage", "type");

    private final Store store;
    private final MachineService machines;
    private final MachineRevisions revisions;
    private final Clock clock;

    public VolumeService(Store store, MachineService machines, MachineRevisions revisions, Clock clock) {
        this.store = store;
        this.machines = machines;
        this.revisions = revisions;
        this.clock = clock;
    }

    /** Lists (or changes) the volume offer of each machine; every machine must be the host's. */
    public List<VolumeOffer> listOffers(Principal host, List<Long> machineIds, Object size, Object price, Object end) {
        if (machineIds.isEmpty()) throw invalid("'machine' is required: a machine id or a list of them");
        long sizeGb = whole(size, "size", 15);
        if (sizeGb < 1) throw invalid("size must be at least 1 GB, got " + sizeGb);
        double dollars = price == null ? 0.10 : number(price, "price_disk");
        if (dollars < 0 || dollars > 1000) throw invalid("price_disk must be 0 to 1000 $/GB/month, got " + dollars);
        Instant endDate = end == null ? null : Instant.ofEpochMilli((long) (number(end, "end_date") * 1000));
        List<VolumeOffer> out = new ArrayList<>();
        for (long id : machineIds) {
            Machine m = machines.owned(host, id, "Only machine owner can list volumes");
            if (sizeGb > m.spec().diskSpaceGb()) {
                throw invalid("machine " + id + " has " + (long) m.spec().diskSpaceGb() + " GB of disk; cannot offer "
                        + sizeGb + " GB for volumes");
            }
            out.add(store.repos()
                    .volumes()
                    .listOffer(id, sizeGb, Money.fromDollars(dollars), endDate, clock.instant()));
        }
        return out;
    }

    /**
     * Unlists the host's volume offer; refused while volumes rented from it exist. Another host's offer is answered
     * as a missing one, so the answer never tells which offer ids exist.
     */
    public void unlistOffer(Principal host, long offerId) {
        VolumeOffer offer = store.repos()
                .volumes()
                .findOffer(offerId)
                .filter(o -> host.admin()
                        || store.repos()
                                .machines()
                                .find(o.machineId())
                                .filter(m -> m.hostId() == host.userId())
                                .isPresent())
                .orElseThrow(() ->
                        new DomainException.NotFound("no_such_ask", "Volume listing " + offerId + " does not exist"));
        if (offer.usedGb() > 0) {
            throw invalid("Unable to delete active volume listing " + offerId + ": " + offer.usedGb()
                    + " GB are rented; they must be deleted first");
        }
        store.repos().volumes().unlistOffer(offerId, clock.instant());
    }

    /** Volume offers as vastai's {@code search volumes} reads them, filtered and ordered by the body. */
    public List<Map<String, Object>> search(Map<String, Object> body) {
        Map<String, Object> filters = new LinkedHashMap<>();
        for (var e : body.entrySet()) if (!NOT_FILTERS.contains(e.getKey())) filters.put(e.getKey(), e.getValue());
        List<RowQuery.Filter> parsed = SCHEMA.filters(filters, VolumeService::kind);
        double allocated = body.get("allocated_storage") == null ? 1.0 : number(body.get("allocated_storage"), "");
        List<RowQuery.Order> order = new ArrayList<>();
        if (body.get("order") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof List<?> pair && !pair.isEmpty()) {
                    String field = String.valueOf(pair.get(0));
                    if (field.equals("score")) field = "reliability"; // ours ranks by reliability
                    kind(field);
                    boolean desc = pair.size() > 1 && "desc".equals(String.valueOf(pair.get(1)));
                    order.add(new RowQuery.Order(field, desc));
                }
            }
        }
        order.add(new RowQuery.Order("id", false));
        Instant now = clock.instant();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (VolumeOffer o : store.repos().volumes().liveOffers()) {
            if (o.freeGb() < 1 || (o.endDate() != null && !o.endDate().isAfter(now))) continue;
            store.repos().machines().find(o.machineId()).ifPresent(m -> rows.add(offerRow(o, m, allocated, now)));
        }
        List<Map<String, Object>> out = new RowQuery(SCHEMA, parsed, order).apply(rows);
        if (body.get("limit") instanceof Number n && n.intValue() >= 0 && n.intValue() < out.size())
            out = out.subList(0, n.intValue());
        return out;
    }

    /** Rents a volume from the offer ({@code PUT /volumes/}). */
    public Volume rent(Principal renter, long offerId, long sizeGb, String name) {
        Volume v = store.inTransaction(tx -> create(tx, renter, offerId, null, sizeGb, name, clock.instant()));
        revisions.bump(v.machineId());
        return v;
    }

    /**
     * The volume an instance being rented on {@code machine} mounts, in the rent's transaction: a new one from the
     * request's offer, or the renter's own live volume on the same machine.
     */
    public Volume forInstance(Repos tx, Principal renter, Machine machine, VolumeRequest request, Instant now) {
        if (request.createNew()) {
            return create(tx, renter, request.volumeId(), machine, request.sizeGb(), request.name(), now);
        }
        return tx.volumes()
                .find(renter.userId(), request.volumeId())
                .filter(v -> v.machineId() == machine.id())
                .orElseThrow(() -> new DomainException.NotFound(
                        "no_such_volume",
                        "No volume " + request.volumeId() + " of yours on machine " + machine.id()
                                + "; a volume can be linked only to instances on its own machine"));
    }

    private Volume create(
            Repos tx, Principal renter, long offerId, Machine machine, long sizeGb, String name, Instant now) {
        if (sizeGb < 1 || sizeGb > 1_000_000) throw invalid("size must be 1 to 1000000 GB, got " + sizeGb);
        if (name != null && name.length() > 64) throw invalid("name is longer than 64 characters");
        VolumeOffer offer = tx.volumes()
                .findOffer(offerId)
                .orElseThrow(() ->
                        new DomainException.NotFound("no_such_ask", "Volume offer " + offerId + " is not available."));
        if (machine != null && offer.machineId() != machine.id()) {
            throw invalid("volume offer " + offerId + " is on machine " + offer.machineId() + ", not on machine "
                    + machine.id() + " of the instance; pick the volume offer of that machine");
        }
        if (offer.endDate() != null && !offer.endDate().isAfter(now))
            throw new DomainException.NotFound("no_such_ask", "Volume offer " + offerId + " has ended.");
        if (sizeGb > offer.freeGb()) {
            throw invalid("volume offer " + offerId + " has " + offer.freeGb() + " GB free, " + sizeGb
                    + " GB were asked for");
        }
        long hourly = Math.ceilDiv(sizeGb * offer.pricePerGbMonth(), 720);
        HourOfCredit.shortfall(tx.ledger().balance(renter.userId()), hourly, "a volume of " + sizeGb + " GB")
                .ifPresent(msg -> {
                    throw new DomainException.BadRequest("insufficient_credit", msg);
                });
        return tx.volumes().create(renter.userId(), offer, sizeGb, name, now);
    }

    /** The renter's live volumes as {@code GET /volumes/} shows them. */
    public List<Map<String, Object>> list(Principal renter) {
        VolumeRepo repo = store.repos().volumes();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Volume v : repo.live(renter.userId())) {
            Machine m = store.repos().machines().find(v.machineId()).orElse(null);
            out.add(volumeRow(v, repo.pastPlacements(v.id()), m, repo.attachedTo(v.id()), clock.instant()));
        }
        return out;
    }

    /** Deletes the renter's volume (its data is wiped on the host); refused while an instance mounts it. */
    public void delete(Principal renter, long volumeId) {
        Volume v = store.inTransaction(tx -> {
            Volume found = tx.volumes()
                    .find(renter.userId(), volumeId)
                    .orElseThrow(() -> new DomainException.NotFound("no_such_volume", "No such volume " + volumeId));
            List<Long> attached = tx.volumes().attachedTo(volumeId);
            if (!attached.isEmpty()) {
                throw new DomainException.Conflict(
                        "volume_in_use",
                        "Volume " + volumeId + " is attached to instance(s) " + attached
                                + "; destroy them before deleting the volume");
            }
            tx.volumes().delete(volumeId, "deleted by owner", clock.instant());
            return found;
        });
        revisions.bump(v.machineId());
    }

    /**
     * The credit guard's part for volumes: marks the volumes of owners whose balance is zero or less as unpaid (and
     * clears the mark of those whose is positive again); with a grace period, deletes volumes unpaid that long once
     * no instance mounts them (the instances are destroyed at the same grace). Answers how many it deleted.
     */
    public int enforceCredit(Set<Long> broke, Set<Long> paid, Duration grace, Instant now) {
        store.repos().volumes().markUnpaid(broke, paid, now);
        if (grace == null) return 0;
        List<Volume> gone = store.inTransaction(tx -> {
            List<Volume> deleted = new ArrayList<>();
            for (Volume v : tx.volumes().unpaidSince(now.minus(grace))) {
                if (tx.volumes().attachedTo(v.id()).isEmpty() && tx.volumes().delete(v.id(), "credit ran out", now))
                    deleted.add(v);
            }
            return deleted;
        });
        gone.stream().map(Volume::machineId).distinct().forEach(revisions::bump);
        return gone.size();
    }

    /**
     * A volume as {@code GET /volumes/} shows it; {@code past} are the placements a move to another machine left
     * (docs/migrate.md): its cost so far and start count from the first.
     */
    static Map<String, Object> volumeRow(Volume v, List<Volume> past, Machine m, List<Long> instances, Instant now) {
        long cost = VolumeCharge.cumulative(v, now);
        for (Volume p : past) cost += VolumeCharge.cumulative(p, now);
        Instant start = past.isEmpty() ? v.createdAt() : past.get(0).createdAt();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", v.id());
        row.put("volume_name", v.wireName());
        row.put("label", v.name());
        row.put("name", v.name());
        row.put("status", "created");
        row.put("type", "local_volume");
        row.put("disk_space", (double) v.sizeGb());
        row.put("storage_cost", Money.toDollars(v.pricePerGbMonth()));
        row.put("total_cost_so_far", Money.toDollars(cost));
        row.put("start_date", start.toEpochMilli() / 1000.0);
        row.put("instances", instances);
        row.put("machine_id", v.machineId());
        row.put("cluster_id", null);
        if (m != null) {
            row.put("host_id", m.hostId());
            row.put("geolocation", m.spec().geolocation());
            row.put("disk_name", m.spec().diskName());
            row.put("driver_version", m.spec().driverVersion());
            row.put("inet_up", m.spec().inetUp());
            row.put("inet_down", m.spec().inetDown());
            row.put("reliability2", m.reliability());
            row.put("verification", m.verification().wire());
        }
        return row;
    }

    private static Map<String, Object> offerRow(VolumeOffer o, Machine m, double allocated, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        double cost = Money.toDollars(o.pricePerGbMonth());
        row.put("id", o.id());
        row.put("ask_contract_id", o.id());
        row.put("machine_id", m.id());
        row.put("host_id", m.hostId());
        row.put("disk_space", (double) o.freeGb());
        row.put("storage_cost", cost);
        row.put("storage_total_cost", cost * allocated);
        row.put("start_date", now.toEpochMilli() / 1000.0);
        row.put("end_date", o.endDate() == null ? null : o.endDate().toEpochMilli() / 1000.0);
        row.put(
                "duration",
                o.endDate() == null
                        ? null
                        : (double) Duration.between(now, o.endDate()).toSeconds());
        row.put("cpu_arch", m.spec().cpuArch());
        row.put("cpu_ghz", m.spec().cpuGhz());
        row.put("cpu_name", m.spec().cpuName());
        row.put("cuda_max_good", m.spec().cudaMaxGood());
        row.put("cuda_vers", m.spec().cudaMaxGood());
        row.put("disk_bw", m.spec().diskBw());
        row.put("disk_name", m.spec().diskName());
        row.put("driver_version", m.spec().driverVersion());
        row.put("gpu_arch", m.spec().gpuArch());
        row.put("gpu_name", m.spec().gpuName());
        row.put("has_avx", m.spec().hasAvx());
        row.put("inet_up", m.spec().inetUp());
        row.put("inet_down", m.spec().inetDown());
        row.put("pci_gen", m.spec().pciGen());
        row.put("pcie_bw", m.spec().pcieBw());
        row.put("geolocation", m.spec().geolocation());
        row.put("datacenter", m.spec().datacenter());
        row.put("static_ip", m.spec().staticIp());
        row.put("vms_enabled", m.spec().vmsEnabled());
        row.put("mobo_name", m.spec().moboName());
        row.put("reliability", m.reliability());
        row.put("reliability2", m.reliability());
        row.put("verification", m.verification().wire());
        row.put("verified", m.verification() == Verification.VERIFIED);
        row.put("external", false);
        return row;
    }

    private static Map<String, Kind> searchFields() {
        Map<String, Kind> f = new LinkedHashMap<>();
        for (String n : List.of(
                "id",
                "ask_contract_id",
                "machine_id",
                "host_id",
                "disk_space",
                "storage_cost",
                "storage_total_cost",
                "duration",
                "end_date",
                "cpu_ghz",
                "cuda_max_good",
                "cuda_vers",
                "disk_bw",
                "inet_up",
                "inet_down",
                "pci_gen",
                "pcie_bw",
                "reliability",
                "reliability2")) f.put(n, Kind.NUMBER);
        for (String n : List.of(
                "cpu_arch",
                "cpu_name",
                "disk_name",
                "driver_version",
                "gpu_arch",
                "gpu_name",
                "geolocation",
                "mobo_name",
                "verification")) f.put(n, Kind.STRING);
        for (String n : List.of("has_avx", "datacenter", "static_ip", "vms_enabled", "verified", "external"))
            f.put(n, Kind.BOOL);
        return f;
    }

    private static Kind kind(String field) {
        Kind k = SEARCH_FIELDS.get(field);
        if (k == null) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "Invalid query: '" + field + "' is not a volume offer field; use "
                            + String.join(", ", SEARCH_FIELDS.keySet()));
        }
        return k;
    }

    static long whole(Object v, String field, long absent) {
        if (v == null) return absent;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15)
            return n.longValue();
        throw invalid(field + " must be a whole number, got " + v);
    }

    private static double number(Object v, String field) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException ignored) {
                // refused below
            }
        }
        throw invalid(field + " must be a number, got " + v);
    }

    private static DomainException invalid(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
