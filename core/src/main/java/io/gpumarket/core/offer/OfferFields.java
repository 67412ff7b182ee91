package io.gpumarket.core.offer;

import static io.gpumarket.core.offer.OfferFields.Kind.BOOL;
import static io.gpumarket.core.offer.OfferFields.Kind.NUMBER;
import static io.gpumarket.core.offer.OfferFields.Kind.OBJECT;
import static io.gpumarket.core.offer.OfferFields.Kind.STRING;

import io.gpumarket.core.machine.DriverVersion;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.money.Money;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every field of a Vast offer object (docs/vast-compatibility.md §c), what kind of JSON value it is, what it varies with, and how
 * it is computed. This is the one definition of the offer's wire shape: rendering uses it, the search index
 * builds its columns from it, and the DSL knows which names exist from it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Ids: {@code id} = {@code ask_contract_id} = {@code bundle_id} = the slot id; {@code machine_id},
 *       {@code host_id}.</li>
 *   <li>Shares: an n-GPU bundle of an N-GPU machine gets {@code gpu_frac} = n/N, {@code cpu_cores_effective}
 *       = cpu_cores·n/N, and n/N of the RAM ({@code cpu_ram}, MB, rounded down), disk ({@code disk_space}, GB)
 *       and forwarded ports ({@code direct_port_count}, rounded down). {@code cpu_cores} is the machine's;
 *       {@code gpu_total_ram} = gpu_ram·n.</li>
 *   <li>Prices are dollars; formulas in {@link OfferPricing}. {@code storage_cost} is $/GB/month,
 *       {@code inet_*_cost} $/GB and {@code internet_*_cost_per_tb} that ×1024; {@code min_bid} = minimum
 *       bid/GPU/h·n; {@code is_bid} says the search asked for bid prices; {@code dph_total_adj} = dph_total;
 *       {@code discount_rate} = credit_discount_max; {@code discounted_dph_total} = discounted_hourly +
 *       storage_total_cost; {@code search} and {@code instance} are the same breakdown
 *       {gpuCostPerHour, diskHour, totalHour, discountTotalHour, discountedTotalPerHour} where
 *       discountTotalHour is the discount in $/h.</li>
 *   <li>Performance: {@code dlperf} and {@code total_flops} from the GPU catalog (multi-GPU scaling in
 *       {@link io.gpumarket.core.catalog.GpuModel#dlperf(int)}), {@code gpu_mem_bw} from the catalog,
 *       {@code compute_cap} the host's when it reported one, else the catalog's.</li>
 *   <li>State: {@code reliability} = {@code reliability2} = {@code expected_reliability};
 *       {@code reliability_mult} = 1; {@code vericode} 1 when verified, else 0; {@code rentable} until the
 *       listing's end date; {@code rented} when the caller already rents on the machine; {@code external}
 *       false (every offer here is the operator's own market); {@code hosting_type} 1 for datacenters;
 *       {@code static_ip} and {@code vms_enabled} as the host reports, {@code is_vm_deverified} false;
 *       {@code geolocode} = the two ASCII letters of the country code as one 16-bit number (US → 0x5553 =
 *       21843), stable and reversible without a table; {@code start_date} = now, {@code end_date} the
 *       listing's, {@code duration} = end_date − now seconds; {@code driver_vers} = the driver as Vast's
 *       integer (null when the host's text is not three numbers); {@code has_avx} 0/1;
 *       {@code resource_type} "gpu".</li>
 *   <li>Nullable: strings a host may leave out (driver, CPU, disk and board names, OS version, address,
 *       hostname), {@code driver_vers}, and the fields of features this market does not have (clusters,
 *       co-located volumes, {@code bundled_results}, {@code logo}, {@code webpage}); {@code rn} is the
 *       1-based row in a search page and null elsewhere. Every other field is always present.</li>
 * </ul>
 * Numbers render as Integer, Long or Double (never text), booleans as Boolean.
 */
public final class OfferFields {

    /** The JSON kind of a field's value. OBJECT fields (objects, arrays) cannot be filtered or sorted on. */
    public enum Kind {
        NUMBER,
        STRING,
        BOOL,
        OBJECT
    }

    /** What a field's value depends on: nothing, the machine, the bundle, or the search (prices, time, caller). */
    public enum Varies {
        NEVER,
        PER_MACHINE,
        PER_OFFER,
        PER_QUERY
    }

    @FunctionalInterface
    public interface Value {
        Object of(OfferView offer, PriceContext context);
    }

    /**
     * @param sameAs     the field whose value this one repeats (ask_contract_id → id), or null
     * @param filterable whether the DSL may filter and sort on it
     */
    public record Field(
            String name, Kind kind, Varies varies, boolean nullable, boolean filterable, String sameAs, Value value) {
        public Object valueOf(OfferView offer, PriceContext context) {
            return value.of(offer, context);
        }

        /** The field that holds this value: itself, or the one it repeats. */
        public String canonical() {
            return sameAs == null ? name : sameAs;
        }
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        offer("id", NUMBER, (o, c) -> o.slot().id());
        same("ask_contract_id", "id");
        same("bundle_id", "id");
        constant("bundled_results", NUMBER, null);
        machine("machine_id", NUMBER, (o, c) -> o.machine().id());
        machine("host_id", NUMBER, (o, c) -> o.machine().hostId());
        offer("num_gpus", NUMBER, (o, c) -> o.gpus());
        machine("gpu_name", STRING, (o, c) -> o.spec().gpuName());
        machine("gpu_ram", NUMBER, (o, c) -> o.spec().gpuRamMb());
        offer("gpu_total_ram", NUMBER, (o, c) -> (long) o.spec().gpuRamMb() * o.gpus());
        offer("gpu_frac", NUMBER, (o, c) -> o.share());
        machine("gpu_arch", STRING, (o, c) -> o.spec().gpuArch());
        add(new Field("gpu_ids", OBJECT, Varies.PER_OFFER, false, false, null, (o, c) -> gpuPositions(o.gpus())));
        machine("gpu_lanes", NUMBER, (o, c) -> o.spec().gpuLanes());
        machine("gpu_mem_bw", NUMBER, (o, c) -> o.model().memBandwidthGbs());
        machine("gpu_max_power", NUMBER, (o, c) -> o.spec().gpuMaxPower());
        machine("gpu_max_temp", NUMBER, (o, c) -> o.spec().gpuMaxTemp());
        machine("gpu_display_active", BOOL, (o, c) -> o.spec().gpuDisplayActive());
        machine(
                "compute_cap",
                NUMBER,
                (o, c) -> o.spec().computeCap() > 0
                        ? o.spec().computeCap()
                        : o.model().computeCap());
        machine("cuda_max_good", NUMBER, (o, c) -> o.spec().cudaMaxGood());
        nullableMachine("driver_version", STRING, (o, c) -> o.spec().driverVersion());
        nullableMachine("driver_vers", NUMBER, (o, c) -> driverVers(o.spec()));
        machine("bw_nvlink", NUMBER, (o, c) -> o.spec().bwNvlink());
        nullableMachine("cpu_name", STRING, (o, c) -> o.spec().cpuName());
        machine("cpu_cores", NUMBER, (o, c) -> o.spec().cpuCores());
        offer("cpu_cores_effective", NUMBER, (o, c) -> o.spec().cpuCores() * o.share());
        machine("cpu_ghz", NUMBER, (o, c) -> o.spec().cpuGhz());
        offer("cpu_ram", NUMBER, (o, c) -> o.shareOf(o.spec().cpuRamMb()));
        machine("cpu_arch", STRING, (o, c) -> o.spec().cpuArch());
        machine("has_avx", NUMBER, (o, c) -> o.spec().hasAvx() ? 1 : 0);
        offer("disk_space", NUMBER, (o, c) -> o.spec().diskSpaceGb() * o.share());
        machine("disk_bw", NUMBER, (o, c) -> o.spec().diskBw());
        nullableMachine("disk_name", STRING, (o, c) -> o.spec().diskName());
        machine("inet_up", NUMBER, (o, c) -> o.spec().inetUp());
        machine("inet_down", NUMBER, (o, c) -> o.spec().inetDown());
        machine("inet_up_cost", NUMBER, (o, c) -> Money.toDollars(o.listing().inetUpPricePerGb()));
        machine("inet_down_cost", NUMBER, (o, c) -> Money.toDollars(o.listing().inetDownPricePerGb()));
        machine(
                "internet_up_cost_per_tb",
                NUMBER,
                (o, c) -> Money.toDollars(o.listing().inetUpPricePerGb()) * 1024);
        machine(
                "internet_down_cost_per_tb",
                NUMBER,
                (o, c) -> Money.toDollars(o.listing().inetDownPricePerGb()) * 1024);
        offer("direct_port_count", NUMBER, (o, c) -> (int) o.shareOf(o.spec().directPortCount()));
        machine("pci_gen", NUMBER, (o, c) -> o.spec().pciGen());
        machine("pcie_bw", NUMBER, (o, c) -> o.spec().pcieBw());
        nullableMachine("mobo_name", STRING, (o, c) -> o.spec().moboName());
        nullableMachine("os_version", STRING, (o, c) -> o.spec().osVersion());

        query("dph_base", NUMBER, OfferFields::dphBase);
        query("dph_total", NUMBER, OfferFields::dphTotal);
        machine("storage_cost", NUMBER, (o, c) -> storageCost(o));
        query("storage_total_cost", NUMBER, OfferFields::storageTotalCost);
        query("vram_costperhour", NUMBER, (o, c) -> dphTotal(o, c) / o.spec().gpuRamMb());
        offer("min_bid", NUMBER, (o, c) -> OfferPricing.bidBase(o.listing(), o.gpus()));
        query("is_bid", BOOL, (o, c) -> c.type() == PriceType.BID);
        machine("credit_discount_max", NUMBER, (o, c) -> o.listing().creditDiscountMax());
        same("discount_rate", "credit_discount_max");
        query("discounted_hourly", NUMBER, OfferFields::discountedHourly);
        query("discounted_dph_total", NUMBER, (o, c) -> discountedHourly(o, c) + storageTotalCost(o, c));
        same("dph_total_adj", "dph_total");
        add(new Field("search", OBJECT, Varies.PER_QUERY, false, false, null, OfferFields::priceBreakdown));
        add(new Field("instance", OBJECT, Varies.PER_QUERY, false, false, null, OfferFields::priceBreakdown));

        offer("dlperf", NUMBER, (o, c) -> o.model().dlperf(o.gpus()));
        query("dlperf_per_dphtotal", NUMBER, OfferFields::dlperfPerDphTotal);
        offer("total_flops", NUMBER, (o, c) -> o.model().totalFlops(o.gpus()));
        query(
                "flops_per_dphtotal",
                NUMBER,
                (o, c) -> OfferPricing.perDollar(o.model().totalFlops(o.gpus()), dphTotal(o, c)));
        query(
                "score",
                NUMBER,
                (o, c) ->
                        OfferPricing.score(dlperfPerDphTotal(o, c), o.machine().reliability()));

        machine("reliability", NUMBER, (o, c) -> o.machine().reliability());
        same("reliability2", "reliability");
        constant("reliability_mult", NUMBER, 1.0);
        same("expected_reliability", "reliability");
        query("rentable", BOOL, (o, c) -> OfferPricing.rentable(o.listing().endDate(), c.nowEpochSeconds()));
        query(
                "rented",
                BOOL,
                (o, c) -> c.rentedMachineIds().contains(o.machine().id()));
        machine("verification", STRING, (o, c) -> o.machine().verification().wire());
        machine("vericode", NUMBER, (o, c) -> o.machine().verification().vericode());
        constant("external", BOOL, false);
        machine("hosting_type", NUMBER, (o, c) -> o.spec().datacenter() ? 1 : 0);
        machine("static_ip", BOOL, (o, c) -> o.spec().staticIp());
        machine("vms_enabled", BOOL, (o, c) -> o.spec().vmsEnabled());
        constant("is_vm_deverified", BOOL, false);
        nullableMachine("public_ipaddr", STRING, (o, c) -> o.spec().publicIpaddr());
        nullableMachine("hostname", STRING, (o, c) -> o.spec().hostname());
        machine("geolocation", STRING, (o, c) -> o.spec().geolocation());
        machine("geolocode", NUMBER, (o, c) -> geolocode(o.spec()));
        query("start_date", NUMBER, (o, c) -> (double) c.nowEpochSeconds());
        machine("end_date", NUMBER, (o, c) -> (double) o.listing().endDate());
        query("duration", NUMBER, (o, c) -> OfferPricing.duration(o.listing().endDate(), c.nowEpochSeconds()));
        add(new Field("time_remaining", STRING, Varies.PER_QUERY, false, false, null, OfferFields::timeRemaining));
        add(new Field(
                "time_remaining_isbid", STRING, Varies.PER_QUERY, false, false, null, OfferFields::timeRemaining));
        for (String absent : List.of(
                "cluster_id",
                "avail_vol_ask_id",
                "avail_vol_dph",
                "avail_vol_size",
                "nw_disk_min_bw",
                "nw_disk_max_bw",
                "nw_disk_avg_bw")) {
            constant(absent, NUMBER, null);
        }
        constant("resource_type", STRING, "gpu");
        constant("logo", STRING, null);
        constant("webpage", STRING, null);
        add(new Field("rn", NUMBER, Varies.PER_QUERY, true, false, null, (o, c) -> null));
        constant("platform_fee", NUMBER, 0.0);
    }

    /** The fields in render order, as an array: rendering walks it for every offer of every page. */
    private static final Field[] IN_ORDER = FIELDS.values().toArray(Field[]::new);

    private static final String[] NAMES = FIELDS.keySet().toArray(String[]::new);
    private static final Map<String, Integer> POSITIONS = OfferJson.positions(NAMES);
    private static final int RN = POSITIONS.get("rn");

    private OfferFields() {}

    public static Optional<Field> field(String name) {
        return Optional.ofNullable(FIELDS.get(name));
    }

    /** All fields, in the order they render. */
    public static List<Field> all() {
        return List.copyOf(FIELDS.values());
    }

    /** The offer as its JSON object, fields in registry order. */
    public static LinkedHashMap<String, Object> render(OfferView offer, PriceContext context) {
        // Room for every field, so that the table is never resized; no more.
        LinkedHashMap<String, Object> json = LinkedHashMap.newLinkedHashMap(IN_ORDER.length);
        for (Field f : IN_ORDER) json.put(f.name(), f.value().of(offer, context));
        return json;
    }

    /**
     * The offer as row {@code rn} (1-based) of a search page: the same object as {@link #render} with {@code rn}
     * set, immutable, and built with one array instead of a map entry per field (see {@link OfferJson}).
     */
    public static Map<String, Object> renderRow(OfferView offer, PriceContext context, int rn) {
        return new OfferJson(NAMES, POSITIONS, offer, context, rn);
    }

    /** Every field's value of row {@code rn}, in render order ({@link OfferJson} computes them when first read). */
    static Object[] values(OfferView offer, PriceContext context, int rn) {
        Object[] values = new Object[IN_ORDER.length];
        for (int i = 0; i < values.length; i++) values[i] = IN_ORDER[i].value().of(offer, context);
        values[RN] = rn;
        return values;
    }

    /** The i-th field's value of row {@code rn} alone. */
    static Object valueAt(int i, OfferView offer, PriceContext context, int rn) {
        return i == RN ? (Object) rn : IN_ORDER[i].value().of(offer, context);
    }

    /**
     * The fields whose value depends on the moment, the caller or the row in the page: everything else of an offer
     * depends only on its machine, its bundle, its GPU model, and the query's price type and allocated storage, so
     * it can be rendered once per change of those and reused ({@code OfferFieldsTest} checks the split).
     */
    private static final java.util.Set<String> PER_REQUEST = java.util.Set.of(
            "rentable", "rented", "start_date", "duration", "time_remaining", "time_remaining_isbid", "rn");

    private static final boolean[] PER_REQUEST_AT = perRequestAt();

    private static boolean[] perRequestAt() {
        boolean[] at = new boolean[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) at[i] = PER_REQUEST.contains(NAMES[i]);
        return at;
    }

    /** Whether the i-th field (render order) depends on the moment, the caller or the row (see {@link #PER_REQUEST}). */
    public static boolean perRequest(int i) {
        return PER_REQUEST_AT[i];
    }

    /** The 16-bit number of a country code's two ASCII letters ({@code geolocode}): US → 0x5553 = 21843. */
    public static int geolocode(MachineSpec spec) {
        String cc = spec.countryCode();
        return (cc.charAt(0) << 8) | cc.charAt(1);
    }

    /**
     * {@code driver_vers}: the host's driver text as {@link DriverVersion#toInt}'s number, null when it is not
     * one. Text of three groups of one to three ASCII digits (every real driver) is read here in one pass, to
     * the same number; anything else goes to DriverVersion, the rule's one definition. (Every offer of every
     * page renders this, and the split there costs a tenth of a rendering.)
     */
    private static Long driverVers(MachineSpec spec) {
        String text = spec.driverVersion();
        if (text == null) return null;
        long value = 0;
        long part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9' && digits < 3) {
                part = part * 10 + (ch - '0');
                digits++;
            } else if (ch == '.' && digits > 0 && dots < 2) {
                value = value * 1000 + part;
                part = 0;
                digits = 0;
                dots++;
            } else {
                return slowDriverVers(text);
            }
        }
        if (dots != 2 || digits == 0) return slowDriverVers(text);
        return value * 1000 + part;
    }

    private static Long slowDriverVers(String text) {
        long vers = DriverVersion.toInt(text);
        return vers < 0 ? null : vers;
    }

    // ---- price helpers shared by several fields (formulas in OfferPricing) ----

    private static double dphBase(OfferView o, PriceContext c) {
        return OfferPricing.dphBase(
                c.type(),
                OfferPricing.onDemandBase(o.listing(), o.gpus()),
                OfferPricing.bidBase(o.listing(), o.gpus()));
    }

    private static double storageCost(OfferView o) {
        return Money.toDollars(o.listing().diskPricePerGbMonth());
    }

    private static double storageTotalCost(OfferView o, PriceContext c) {
        return OfferPricing.storageTotalCost(storageCost(o), c.allocatedStorageGb());
    }

    private static double dphTotal(OfferView o, PriceContext c) {
        return OfferPricing.dphTotal(dphBase(o, c), storageTotalCost(o, c));
    }

    private static double dlperfPerDphTotal(OfferView o, PriceContext c) {
        return OfferPricing.perDollar(o.model().dlperf(o.gpus()), dphTotal(o, c));
    }

    private static double discountedHourly(OfferView o, PriceContext c) {
        return OfferPricing.discounted(dphBase(o, c), o.listing().creditDiscountMax());
    }

    private static Map<String, Object> priceBreakdown(OfferView o, PriceContext c) {
        double base = dphBase(o, c);
        double discounted = discountedHourly(o, c);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpuCostPerHour", base);
        m.put("diskHour", storageTotalCost(o, c));
        m.put("totalHour", dphTotal(o, c));
        m.put("discountTotalHour", base - discounted);
        m.put("discountedTotalPerHour", discounted + storageTotalCost(o, c));
        return m;
    }

    /** Positions within the bundle; which physical GPUs serve it is decided when it is rented. */
    private static List<Integer> gpuPositions(int n) {
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ids.add(i);
        return Collections.unmodifiableList(ids);
    }

    /** Vast's "12 Mon 24 D 16 Hr" style (a month is 30 days); leading zero units are left out. */
    private static String timeRemaining(OfferView o, PriceContext c) {
        long seconds = Math.max(0, o.listing().endDate() - c.nowEpochSeconds());
        long hours = seconds / 3600;
        long months = hours / (30 * 24);
        long days = hours % (30 * 24) / 24;
        long h = hours % 24;
        if (months > 0) return months + " Mon " + days + " D " + h + " Hr";
        if (days > 0) return days + " D " + h + " Hr";
        return h + " Hr";
    }

    // ---- registry building ----

    private static void add(Field f) {
        if (FIELDS.putIfAbsent(f.name(), f) != null)
            throw new IllegalStateException("offer field defined twice: " + f.name());
    }

    // The value functions take (offer, context) even where they ignore the context: rendering calls each
    // field's function directly, one call per field, instead of through a wrapper (two calls per field).

    private static void machine(String name, Kind kind, Value value) {
        add(new Field(name, kind, Varies.PER_MACHINE, false, true, null, value));
    }

    private static void nullableMachine(String name, Kind kind, Value value) {
        add(new Field(name, kind, Varies.PER_MACHINE, true, true, null, value));
    }

    private static void offer(String name, Kind kind, Value value) {
        add(new Field(name, kind, Varies.PER_OFFER, false, true, null, value));
    }

    private static void query(String name, Kind kind, Value value) {
        add(new Field(name, kind, Varies.PER_QUERY, false, true, null, value));
    }

    private static void constant(String name, Kind kind, Object value) {
        add(new Field(name, kind, Varies.NEVER, value == null, true, null, (o, c) -> value));
    }

    private static void same(String name, String target) {
        Field t = FIELDS.get(target);
        if (t == null) throw new IllegalStateException(name + " repeats unknown field " + target);
        add(new Field(name, t.kind(), t.varies(), t.nullable(), t.filterable(), target, t.value()));
    }
}
