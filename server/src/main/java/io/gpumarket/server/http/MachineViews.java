package io.gpumarket.server.http;

import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.MachineService;
import java.util.LinkedHashMap;
import java.util.Map;

/** A host's machine as {@code show machines} reads it (docs/vast-compatibility.md §h), plus its listing terms. */
final class MachineViews {
    private MachineViews() {}

    static Map<String, Object> of(Machine m, MachineService.Notes notes) {
        MachineSpec s = m.spec();
        Listing l = m.listing();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("machine_id", m.id());
        v.put("host_id", m.hostId());
        v.put("num_gpus", s.numGpus());
        v.put("gpu_name", s.gpuName());
        v.put("gpu_ram", s.gpuRamMb());
        v.put("disk_space", s.diskSpaceGb());
        v.put("hostname", s.hostname());
        v.put("driver_version", s.driverVersion());
        v.put("cuda_max_good", s.cudaMaxGood());
        v.put("inet_up", s.inetUp());
        v.put("inet_down", s.inetDown());
        v.put("cpu_cores", s.cpuCores());
        v.put("cpu_ram", s.cpuRamMb());
        v.put("reliability2", m.reliability());
        v.put("reliability", m.reliability());
        v.put("verification", m.verification().wire());
        v.put("public_ipaddr", s.publicIpaddr());
        v.put("geolocation", s.geolocation());
        v.put("direct_port_start", s.directPortStart());
        v.put("direct_port_end", s.directPortEnd());
        v.put("direct_port_count", s.directPortCount());
        v.put("num_reports", notes.reports());
        // ours: instances the agent left running on the host that the server does not list (docs/hosting.md)
        v.put("orphaned_instances", notes.orphans());
        // ours: reports of its agent the server did not believe (traffic beyond its link; docs/billing.md)
        v.put("host_anomalies", notes.hostAnomalies());
        v.put("listed", m.listed());
        v.put("listed_gpu_cost", l == null ? null : Money.toDollars(l.gpuPricePerHour()));
        v.put("min_bid_price", l == null ? null : Money.toDollars(l.minBidPerGpuHour()));
        v.put("listed_storage_cost", l == null ? null : Money.toDollars(l.diskPricePerGbMonth()));
        v.put("listed_inet_up_cost", l == null ? null : Money.toDollars(l.inetUpPricePerGb()));
        v.put("listed_inet_down_cost", l == null ? null : Money.toDollars(l.inetDownPricePerGb()));
        v.put("credit_discount_max", l == null ? null : l.creditDiscountMax());
        v.put("min_chunk", l == null ? null : l.minChunk());
        v.put("end_date", l == null ? null : (double) l.endDate());
        v.put("gpu_occupancy", occupancy(m));
        return v;
    }

    /** One letter per GPU as the vastai CLI prints it: D free, x rented. */
    private static String occupancy(Machine m) {
        int rented = m.spec().numGpus() - m.freeGpus();
        return "x".repeat(rented) + "D".repeat(m.freeGpus());
    }
}
