package io.gpumarket.app.dev;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistered;
import io.gpumarket.api.host.MachineRegistration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small market {@code gpumarket dev} starts with. Every machine enters the way a real host's does: a host
 * account registers it over HTTP and lists it with prices; the operator then verifies it. Nothing is written
 * to the database behind the API's back.
 */
public final class DemoMarket {
    /** One demo machine: hardware, terms, and what the operator says of it. */
    record Demo(
            String gpu,
            int n,
            int vramMb,
            String city,
            double price,
            double reliability,
            boolean verified,
            int portStart,
            int ports,
            boolean datacenter,
            double inetDown) {}

    static final List<Demo> MACHINES = List.of(
            new Demo("RTX 4090", 1, 24564, "Oslo, NO", 0.35, 0.995, true, 41000, 100, false, 940),
            new Demo("RTX 4090", 1, 24564, "Austin, US", 0.32, 0.982, true, 41100, 50, false, 880),
            new Demo("RTX 4090", 1, 24564, "Berlin, DE", 0.41, 0.999, true, 41200, 100, true, 2400),
            new Demo("RTX 4090", 1, 24564, "Taipei, TW", 0.29, 0.931, false, 41300, 20, false, 500),
            new Demo("RTX 4090", 2, 24564, "Warsaw, PL", 0.34, 0.990, true, 41400, 100, false, 1000),
            new Demo("RTX 4090", 4, 24564, "Toronto, CA", 0.37, 0.972, true, 41500, 200, true, 2000),
            new Demo("RTX 3090", 1, 24576, "Lyon, FR", 0.18, 0.989, true, 41700, 40, false, 600),
            new Demo("RTX 3090", 2, 24576, "Sao Paulo, BR", 0.16, 0.874, false, 41790, 4, false, 300),
            new Demo("RTX 3090", 4, 24576, "Seoul, KR", 0.19, 0.961, true, 41800, 100, false, 1000),
            new Demo("A100 PCIE", 2, 40960, "Amsterdam, NL", 0.85, 0.993, true, 41900, 100, true, 5000),
            new Demo("A100 SXM4", 8, 81920, "Ashburn, US", 1.05, 0.998, true, 42000, 500, true, 10000),
            new Demo("H100 SXM", 1, 81559, "Helsinki, FI", 2.20, 0.996, true, 42600, 100, true, 8000),
            new Demo("H100 SXM", 8, 81559, "Dallas, US", 1.95, 0.999, true, 42700, 500, true, 10000),
            new Demo("H100 PCIE", 2, 81559, "Stockholm, SE", 1.75, 0.947, false, 43300, 100, true, 4000),
            new Demo("L40S", 4, 46068, "Frankfurt, DE", 0.79, 0.985, true, 43400, 100, true, 5000),
            new Demo("RTX 4080", 1, 16376, "Madrid, ES", 0.22, 0.968, true, 43500, 30, false, 700));

    private DemoMarket() {}

    /** A registered demo machine: what its agent needs to serve it. */
    public record Registered(long id, String token, MachineRegistration hardware) {}

    /** Registers, lists and (as the operator) verifies every demo machine. */
    public static List<Registered> populate(GpuMarketClient host, GpuMarketClient admin) {
        return MACHINES.stream()
                .map(d -> {
                    MachineRegistration hardware = registration(d);
                    MachineRegistered registered = host.registerMachine(hardware);
                    host.listMachine(new ListMachineRequest(
                            registered.machineId(),
                            d.price,
                            0.15,
                            0.01,
                            0.01,
                            d.price * 0.45,
                            1,
                            null,
                            0.4,
                            "90 days"));
                    Map<String, Object> operator = new LinkedHashMap<>();
                    operator.put("verification", d.verified ? "verified" : "unverified");
                    operator.put("reliability", d.reliability);
                    admin.adminSetMachine(registered.machineId(), operator);
                    return new Registered(registered.machineId(), registered.machineToken(), hardware);
                })
                .toList();
    }

    static MachineRegistration registration(Demo d) {
        boolean big = d.gpu.startsWith("A100") || d.gpu.startsWith("H100") || d.gpu.startsWith("L40");
        // Threads as Vast counts cpu_cores (a 16-core desktop CPU has 32), and 64 GiB per consumer GPU: offers of
        // at least 32 cores and 64 GiB per share pass the vastai SDK's `chunked` filter, which SkyPilot's catalog
        // fetcher asks for, and two such 1-GPU offers on one continent (Oslo, Warsaw) give its catalog a row.
        int cores = big ? 32 * d.n : Math.max(32, 16 * d.n);
        long ramMb = (big ? 131_072L : 65_536L) * d.n;
        double disk = (big ? 1000.0 : 250.0) * d.n;
        String host = d.city.substring(0, d.city.indexOf(',')).toLowerCase().replace(' ', '-');
        return new MachineRegistration(
                d.gpu,
                d.n,
                d.vramMb,
                "nvidia",
                null,
                12.8,
                "570.124.06",
                big ? 25.1 : 12.3,
                big ? 4.0 : 4.0,
                16,
                big ? 700.0 : 450.0,
                90.0,
                big && d.n == 8 ? 600.0 : 0.0,
                false,
                big ? "AMD EPYC 7763 64-Core Processor" : "AMD Ryzen 9 7950X 16-Core Processor",
                "amd64",
                cores,
                big ? 3.5 : 4.5,
                ramMb,
                true,
                disk,
                big ? 6000.0 : 3000.0,
                big ? "Samsung PM9A3" : "Samsung 990 PRO",
                d.inetDown * 0.8,
                d.inetDown,
                big ? "Supermicro H12DSG" : "ASUS ROG X670E",
                "22.04",
                "127.0.0.1",
                "demo-" + host,
                d.portStart,
                d.ports == 0 ? -1 : d.portStart + d.ports - 1,
                d.city,
                d.datacenter,
                d.datacenter,
                false);
    }
}
