package io.gpumarket.server.service;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.AuditRepo;
import io.gpumarket.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The account pages Vast's CLI reads beside the instance routes: the addresses an account's calls came from
 * ({@code show ipaddrs}, from the audit log: every changing call records its address), the machines' benchmark numbers
 * ({@code search benchmarks}) and the account's payment records ({@code search invoices}).
 */
public final class AccountPagesService {
    /** One benchmark number of one machine. */
    public record Benchmark(long id, Machine machine, String name, double score, Instant lastUpdate) {}

    /**
     * The benchmarks a machine has, in this order (a row's id is the machine's id × this count + its index, stable):
     * DLPerf of all its GPUs (the catalog's per-GPU figure scaled as offers are), then what its agent measured or
     * reported: internet up and down (Mb/s, the agent's speed test), disk bandwidth (MB/s), PCIe bandwidth (GB/s).
     */
    static final List<String> NAMES = List.of("dlperf", "inet_up", "inet_down", "disk_bw", "pcie_bw");

    private final Store store;
    private final GpuCatalog catalog;
    private final Runnable flushAudit;

    /** @param flushAudit writes the audit entries still in memory (the addresses are read from the stored ones) */
    public AccountPagesService(Store store, GpuCatalog catalog, Runnable flushAudit) {
        this.store = store;
        this.catalog = catalog;
        this.flushAudit = flushAudit;
    }

    public List<AuditRepo.Address> addresses(Principal caller) {
        try {
            flushAudit.run();
        } catch (RuntimeException e) {
            // what is stored is still worth answering
        }
        return store.repos().audit().addresses(caller.userId());
    }

    /** Every registered machine's numbers that are known (a zero is a figure nobody measured, left out). */
    public List<Benchmark> benchmarks() {
        Map<Long, Instant> seen = store.repos().machines().lastSeenAll();
        List<Benchmark> out = new ArrayList<>();
        for (Machine m : store.repos().machines().all()) {
            MachineSpec s = m.spec();
            GpuModel model = catalog.model(s.gpuName());
            double[] scores = {model.dlperf(s.numGpus()), s.inetUp(), s.inetDown(), s.diskBw(), s.pcieBw()};
            for (int k = 0; k < NAMES.size(); k++) {
                if (!(scores[k] > 0) || !Double.isFinite(scores[k])) continue;
                out.add(new Benchmark(m.id() * NAMES.size() + k, m, NAMES.get(k), scores[k], seen.get(m.id())));
            }
        }
        return out;
    }

    /** The account's payment records (deposits, transfers, refunds, reserved deposits), oldest first. */
    public List<LedgerEntry> payments(Principal caller, Collection<String> kinds) {
        return store.repos()
                .ledger()
                .byUser(caller.userId(), kinds, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"));
    }
}
