package io.gpumarket.cli.query;

import java.util.Map;
import java.util.Set;

/**
 * What a query string may name, per search: the known fields (others only warn), the field aliases and the
 * unit multipliers (GB → MB, days → seconds). The offer tables are vastai's {@code offers_fields},
 * {@code offers_alias} and {@code offers_mult}; templates have fields only (docs/vast-compatibility.md §e.2, §g.1).
 */
public record QueryFields(Set<String> known, Map<String, String> aliases, Map<String, Double> multipliers) {

    public static final QueryFields OFFERS = new QueryFields(
            Set.of(
                    "bw_nvlink",
                    "compute_cap",
                    "cpu_arch",
                    "cpu_cores",
                    "cpu_cores_effective",
                    "cpu_ghz",
                    "cpu_ram",
                    "cuda_max_good",
                    "datacenter",
                    "direct_port_count",
                    "driver_version",
                    "disk_bw",
                    "disk_space",
                    "dlperf",
                    "dlperf_per_dphtotal",
                    "dph_total",
                    "duration",
                    "external",
                    "flops_per_dphtotal",
                    "gpu_arch",
                    "gpu_display_active",
                    "gpu_frac",
                    "gpu_mem_bw",
                    "gpu_name",
                    "gpu_ram",
                    "gpu_total_ram",
                    "gpu_max_power",
                    "gpu_max_temp",
                    "has_avx",
                    "host_id",
                    "id",
                    "inet_down",
                    "inet_down_cost",
                    "inet_up",
                    "inet_up_cost",
                    "machine_id",
                    "min_bid",
                    "mobo_name",
                    "num_gpus",
                    "pci_gen",
                    "pcie_bw",
                    "reliability",
                    "rentable",
                    "rented",
                    "storage_cost",
                    "static_ip",
                    "total_flops",
                    "ubuntu_version",
                    "verification",
                    "verified",
                    "vms_enabled",
                    "geolocation",
                    "cluster_id"),
            Map.of(
                    "cuda_vers",
                    "cuda_max_good",
                    "display_active",
                    "gpu_display_active",
                    "dlperf_usd",
                    "dlperf_per_dphtotal",
                    "dph",
                    "dph_total",
                    "flops_usd",
                    "flops_per_dphtotal"),
            Map.of("cpu_ram", 1000.0, "gpu_ram", 1000.0, "gpu_total_ram", 1000.0, "duration", 24.0 * 60.0 * 60.0));

    /**
     * vastai's {@code vol_offers_fields} for {@code search volumes} (no aliases; the offers' multipliers, as vastai
     * passes {@code offers_mult}).
     */
    public static final QueryFields VOLUMES = new QueryFields(
            Set.of(
                    "cpu_arch",
                    "cuda_vers",
                    "cluster_id",
                    "nw_disk_min_bw",
                    "nw_disk_avg_bw",
                    "nw_disk_max_bw",
                    "datacenter",
                    "disk_bw",
                    "disk_space",
                    "driver_version",
                    "duration",
                    "geolocation",
                    "gpu_arch",
                    "has_avx",
                    "host_id",
                    "id",
                    "inet_down",
                    "inet_up",
                    "machine_id",
                    "pci_gen",
                    "pcie_bw",
                    "reliability",
                    "storage_cost",
                    "static_ip",
                    "total_flops",
                    "ubuntu_version",
                    "verified"),
            Map.of(),
            OFFERS.multipliers());

    public static final QueryFields TEMPLATES = new QueryFields(
            Set.of(
                    "creator_id",
                    "created_at",
                    "count_created",
                    "default_tag",
                    "docker_login_repo",
                    "id",
                    "image",
                    "jup_direct",
                    "hash_id",
                    "private",
                    "name",
                    "recent_create_date",
                    "recommended_disk_space",
                    "recommended",
                    "ssh_direct",
                    "tag",
                    "use_ssh"),
            Map.of(),
            Map.of());

    /** vastai's {@code benchmarks_fields} (and the older names the server also answers: name, score, model). */
    public static final QueryFields BENCHMARKS = new QueryFields(
            Set.of(
                    "contract_id",
                    "gpu_name",
                    "id",
                    "image",
                    "last_update",
                    "launch_args",
                    "machine_id",
                    "num_gpus",
                    "template_hash",
                    "template_id",
                    "type",
                    "value",
                    "name",
                    "score",
                    "model"),
            Map.of(),
            Map.of());

    /** vastai's {@code invoices_fields}. */
    public static final QueryFields INVOICES = new QueryFields(
            Set.of(
                    "id",
                    "user_id",
                    "when",
                    "paid_on",
                    "payment_expected",
                    "amount_cents",
                    "is_credit",
                    "is_delayed",
                    "balance_before",
                    "balance_after",
                    "original_amount",
                    "event_id",
                    "cut_amount",
                    "cut_percent",
                    "extra",
                    "service",
                    "stripe_charge",
                    "stripe_refund",
                    "stripe_payout",
                    "error",
                    "paypal_email",
                    "transfer_group",
                    "failed",
                    "refunded",
                    "is_check"),
            Map.of(),
            Map.of());

    /** Template fields whose values are dates (MM/DD/YYYY or epoch seconds), sent as epoch seconds. */
    public static final Set<String> TEMPLATE_DATES = Set.of("created_at", "recent_create_date");
}
