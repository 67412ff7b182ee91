package io.gpumarket.core.search;

import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferFields.Field;
import io.gpumarket.core.offer.OfferFields.Kind;
import java.util.Map;
import java.util.Optional;

/**
 * The names a search may use for offer columns besides the fields themselves (docs/vast-compatibility.md §d.3, §i.7): server-side
 * aliases, the CLI's aliases (they reach us raw from older clients, sometimes next to the canonical key), and
 * the virtual columns {@code verified} and {@code datacenter}, which are booleans over integer columns.
 * ({@code geolocation} and {@code duration} are real offer fields here; geolocation's country-code matching is
 * part of how text is compared, see {@link Condition}.)
 */
final class QueryNames {
    private QueryNames() {}

    /**
     * What a key filters: the canonical field, the kind its values are read as, a unit multiplier (GB keys
     * against MB columns are ×1000), and whether a dotted driver version ("535.86.05") is accepted.
     */
    record Target(String field, Kind valueKind, double multiplier, boolean driverVersionText) {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("reliability2", "reliability"),
            Map.entry("dphtotal", "dph_total"),
            Map.entry("gpu_totalram", "gpu_total_ram"),
            Map.entry("ubuntu_version", "os_version"),
            Map.entry("cuda_vers", "cuda_max_good"),
            Map.entry("display_active", "gpu_display_active"),
            Map.entry("dlperf_usd", "dlperf_per_dphtotal"),
            Map.entry("dph", "dph_total"),
            Map.entry("flops_usd", "flops_per_dphtotal"));

    private static final Map<String, String> GB_ALIASES = Map.of(
            "gpu_totalram_GB", "gpu_total_ram",
            "cpu_ram_GB", "cpu_ram",
            "gpu_ram_GB", "gpu_ram");

    private static final Map<String, String> BOOLEAN_VIRTUALS = Map.of(
            "verified", "vericode",
            "datacenter", "hosting_type");

    /** Empty when the key names nothing; throws when it names a field that cannot be filtered or sorted. */
    static Optional<Target> resolve(String key) {
        if (key.equals("driver_version")) return Optional.of(new Target("driver_vers", Kind.NUMBER, 1, true));
        if (BOOLEAN_VIRTUALS.containsKey(key))
            return Optional.of(new Target(BOOLEAN_VIRTUALS.get(key), Kind.BOOL, 1, false));
        if (GB_ALIASES.containsKey(key)) return Optional.of(new Target(GB_ALIASES.get(key), Kind.NUMBER, 1000, false));
        Optional<Field> field = OfferFields.field(ALIASES.getOrDefault(key, key));
        if (field.isEmpty()) return Optional.empty();
        Field f = field.get();
        if (!f.filterable()) throw new QueryException(key, "offer field '" + key + "' cannot be used in a search");
        return Optional.of(new Target(f.canonical(), f.kind(), 1, false));
    }
}
