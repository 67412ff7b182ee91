package io.gpumarket.store.jdbc;

import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The {@code machines} columns of a {@link MachineSpec} and a {@link Listing}, in one place so that insert,
 * update and read cannot drift apart. Each column is bound under a parameter of its own name.
 */
final class MachineColumns {
    private MachineColumns() {}

    static final List<String> SPEC = List.of(
            "gpu_name",
            "num_gpus",
            "gpu_ram_mb",
            "gpu_arch",
            "compute_cap",
            "cuda_max_good",
            "driver_version",
            "pcie_bw",
            "pci_gen",
            "gpu_lanes",
            "gpu_max_power",
            "gpu_max_temp",
            "bw_nvlink",
            "gpu_display_active",
            "cpu_name",
            "cpu_arch",
            "cpu_cores",
            "cpu_ghz",
            "cpu_ram_mb",
            "has_avx",
            "disk_space_gb",
            "disk_bw",
            "disk_name",
            "inet_up",
            "inet_down",
            "mobo_name",
            "os_version",
            "public_ipaddr",
            "hostname",
            "direct_port_start",
            "direct_port_end",
            "geolocation",
            "datacenter",
            "static_ip",
            "vms_enabled");

    static final List<String> LISTING = List.of(
            "gpu_price_per_hour",
            "disk_price_per_gb_month",
            "inet_up_price_per_gb",
            "inet_down_price_per_gb",
            "min_bid_per_gpu_hour",
            "min_chunk",
            "end_date",
            "credit_discount_max");

    static final RowMapper<Machine> MACHINE = (rs, ctx) -> new Machine(
            rs.getLong("id"),
            rs.getLong("host_id"),
            spec(rs),
            Verification.parse(rs.getString("verification")),
            rs.getDouble("reliability"),
            rs.getBoolean("listed") ? listing(rs) : null,
            rs.getInt("free_gpus"));

    /** "a, b, c" */
    static String names(List<String> columns) {
        return String.join(", ", columns);
    }

    /** ":a, :b, :c" */
    static String params(List<String> columns) {
        return ":" + String.join(", :", columns);
    }

    /** "a = :a, b = :b" */
    static String assignments(List<String> columns) {
        return String.join(", ", columns.stream().map(c -> c + " = :" + c).toList());
    }

    static void bindSpec(SqlStatement<?> s, MachineSpec m) {
        s.bind("gpu_name", m.gpuName())
                .bind("num_gpus", m.numGpus())
                .bind("gpu_ram_mb", m.gpuRamMb())
                .bind("gpu_arch", m.gpuArch())
                .bind("compute_cap", m.computeCap())
                .bind("cuda_max_good", m.cudaMaxGood())
                .bind("driver_version", m.driverVersion())
                .bind("pcie_bw", m.pcieBw())
                .bind("pci_gen", m.pciGen())
                .bind("gpu_lanes", m.gpuLanes())
                .bind("gpu_max_power", m.gpuMaxPower())
                .bind("gpu_max_temp", m.gpuMaxTemp())
                .bind("bw_nvlink", m.bwNvlink())
                .bind("gpu_display_active", m.gpuDisplayActive())
                .bind("cpu_name", m.cpuName())
                .bind("cpu_arch", m.cpuArch())
                .bind("cpu_cores", m.cpuCores())
                .bind("cpu_ghz", m.cpuGhz())
                .bind("cpu_ram_mb", m.cpuRamMb())
                .bind("has_avx", m.hasAvx())
                .bind("disk_space_gb", m.diskSpaceGb())
                .bind("disk_bw", m.diskBw())
                .bind("disk_name", m.diskName())
                .bind("inet_up", m.inetUp())
                .bind("inet_down", m.inetDown())
                .bind("mobo_name", m.moboName())
                .bind("os_version", m.osVersion())
                .bind("public_ipaddr", m.publicIpaddr())
                .bind("hostname", m.hostname())
                .bind("direct_port_start", m.directPortStart())
                .bind("direct_port_end", m.directPortEnd())
                .bind("geolocation", m.geolocation())
                .bind("datacenter", m.datacenter())
                .bind("static_ip", m.staticIp())
                .bind("vms_enabled", m.vmsEnabled());
    }

    /** Binds the listing's terms, or NULL in every column when there is none (unlisted). */
    static void bindListing(SqlStatement<?> s, Listing l) {
        s.bind("gpu_price_per_hour", l == null ? null : l.gpuPricePerHour())
                .bind("disk_price_per_gb_month", l == null ? null : l.diskPricePerGbMonth())
                .bind("inet_up_price_per_gb", l == null ? null : l.inetUpPricePerGb())
                .bind("inet_down_price_per_gb", l == null ? null : l.inetDownPricePerGb())
                .bind("min_bid_per_gpu_hour", l == null ? null : l.minBidPerGpuHour())
                .bind("min_chunk", l == null ? null : l.minChunk())
                .bind("end_date", l == null ? null : l.endDate())
                .bind("credit_discount_max", l == null ? null : l.creditDiscountMax());
    }

    private static MachineSpec spec(ResultSet rs) throws SQLException {
        return new MachineSpec(
                rs.getString("gpu_name"),
                rs.getInt("num_gpus"),
                rs.getInt("gpu_ram_mb"),
                rs.getString("gpu_arch"),
                rs.getInt("compute_cap"),
                rs.getDouble("cuda_max_good"),
                rs.getString("driver_version"),
                rs.getDouble("pcie_bw"),
                rs.getDouble("pci_gen"),
                rs.getInt("gpu_lanes"),
                rs.getDouble("gpu_max_power"),
                rs.getDouble("gpu_max_temp"),
                rs.getDouble("bw_nvlink"),
                rs.getBoolean("gpu_display_active"),
                rs.getString("cpu_name"),
                rs.getString("cpu_arch"),
                rs.getInt("cpu_cores"),
                rs.getDouble("cpu_ghz"),
                rs.getLong("cpu_ram_mb"),
                rs.getBoolean("has_avx"),
                rs.getDouble("disk_space_gb"),
                rs.getDouble("disk_bw"),
                rs.getString("disk_name"),
                rs.getDouble("inet_up"),
                rs.getDouble("inet_down"),
                rs.getString("mobo_name"),
                rs.getString("os_version"),
                rs.getString("public_ipaddr"),
                rs.getString("hostname"),
                rs.getInt("direct_port_start"),
                rs.getInt("direct_port_end"),
                rs.getString("geolocation"),
                rs.getBoolean("datacenter"),
                rs.getBoolean("static_ip"),
                rs.getBoolean("vms_enabled"));
    }

    private static Listing listing(ResultSet rs) throws SQLException {
        return new Listing(
                rs.getLong("gpu_price_per_hour"),
                rs.getLong("disk_price_per_gb_month"),
                rs.getLong("inet_up_price_per_gb"),
                rs.getLong("inet_down_price_per_gb"),
                rs.getLong("min_bid_per_gpu_hour"),
                rs.getInt("min_chunk"),
                rs.getLong("end_date"),
                rs.getDouble("credit_discount_max"));
    }
}
