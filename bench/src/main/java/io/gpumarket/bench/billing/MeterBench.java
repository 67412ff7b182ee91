package io.gpumarket.bench.billing;

import io.gpumarket.core.account.User;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.billing.Meter;
import io.gpumarket.server.billing.Tick;
import io.gpumarket.store.NewInstance;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.MachineSamples;
import io.gpumarket.testkit.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One metering tick over a market of running instances (default 100,000: 10,000 renters with 10 each, on 25,000
 * 4-GPU machines of 2,500 hosts), on SQLite (a file in a temp directory, as the server runs it) and, with
 * {@code --pg}, on PostgreSQL (the test cluster). The store is loaded through its repositories (each instance
 * rented, reported loading, then running), then the meter ticks on a clock moved 5 s per tick (the loop's default
 * interval). The first tick is cold (the meter builds its memory from the recorded history); after {@code --warmup}
 * ticks (default 10, not measured) the measured ones are what the loop does every 5 s: read what changed, price
 * every contract, post one entry per renter and two per host.
 * Every machine stays present (a heartbeat threshold longer than the run), as in a healthy market.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -Xmx4g -cp bench/target/gpumarket-bench.jar
 * io.gpumarket.bench.billing.MeterBench [--instances N] [--warmup N] [--ticks N] [--pg | --pg-only]}. Prints a Markdown table.
 */
public final class MeterBench {
    private static final int PER_RENTER = 10;
    private static final int PER_MACHINE = 4;
    private static final int MACHINES_PER_HOST = 10;
    private static final int BATCH = 5_000;

    private MeterBench() {}

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int instances = intArg(a, "--instances", 100_000);
        int ticks = intArg(a, "--ticks", 20);
        int warmup = intArg(a, "--warmup", 10);
        System.out.printf(
                Locale.ROOT,
                "| backend | instances | load s | cold tick ms | warm p50 ms | warm p90 ms | warm max ms | entries/tick |%n");
        System.out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|---:|%n");
        Path dir = Files.createTempDirectory("meter-bench");
        if (!a.contains("--pg-only")) run("sqlite", "jdbc:sqlite:" + dir.resolve("meter.db"), instances, warmup, ticks);
        if (a.contains("--pg") || a.contains("--pg-only")) {
            run("postgresql", PostgresCluster.get().newDatabase(), instances, warmup, ticks);
        }
    }

    private static void run(String backend, String url, int instances, int warmup, int ticks) {
        FakeClock clock = new FakeClock();
        try (Store store = JdbcStore.open(StoreConfig.of(url))) {
            long t0 = System.nanoTime();
            load(store, clock, instances);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            Meter meter = new Meter(store, Duration.ofDays(365), clock);
            clock.advance(Duration.ofSeconds(5));
            long c0 = System.nanoTime();
            Tick cold = meter.tick();
            double coldMs = (System.nanoTime() - c0) / 1e6;
            check(cold, instances);
            // The JIT compiling the pricing loop, the database settling after the bulk load (statistics, page
            // pruning of the balances' first updates): the steady state is what the loop does every 5 s for ever.
            for (int k = 0; k < warmup; k++) {
                clock.advance(Duration.ofSeconds(5));
                check(meter.tick(), instances);
            }
            double[] warm = new double[ticks];
            int entries = 0;
            for (int k = 0; k < ticks; k++) {
                clock.advance(Duration.ofSeconds(5));
                long w0 = System.nanoTime();
                Tick t = meter.tick();
                warm[k] = (System.nanoTime() - w0) / 1e6;
                check(t, instances);
                entries = t.postings();
            }
            Arrays.sort(warm);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %.1f | %.0f | %.0f | %.0f | %.0f | %,d |%n",
                    backend,
                    instances,
                    loadSeconds,
                    coldMs,
                    warm[ticks / 2],
                    warm[(int) Math.ceil(ticks * 0.9) - 1],
                    warm[ticks - 1],
                    entries);
        }
    }

    private static void check(Tick t, int instances) {
        if (t.contracts() != instances || t.charged() <= 0) {
            throw new IllegalStateException("a tick metered " + t.contracts() + " of " + instances
                    + " contracts, charging " + t.charged() + " µ$");
        }
    }

    /** Renters, hosts, machines and running instances, a few thousand rows per transaction. */
    private static void load(Store store, FakeClock clock, int instances) {
        int renters = Math.max(1, instances / PER_RENTER);
        int machines = Math.max(1, instances / PER_MACHINE);
        int hosts = Math.max(1, machines / MACHINES_PER_HOST);
        List<Long> renterIds = new ArrayList<>(renters);
        List<Long> hostIds = new ArrayList<>(hosts);
        inBatches(store, renters + hosts, (repos, i) -> {
            User u = repos.users().create("u" + i + "@bench.invalid", "bench-" + i, false, clock.instant());
            (i < renters ? renterIds : hostIds).add(u.id());
        });
        List<long[]> slots = new ArrayList<>(machines); // machine id, offer id
        Listing listing = MachineSamples.listing(1);
        inBatches(store, machines, (repos, i) -> {
            Machine m = repos.machines()
                    .register(
                            hostIds.get(i % hosts),
                            MachineSamples.spec(PER_MACHINE),
                            "bench-" + i,
                            0.99,
                            clock.instant());
            repos.machines().setListing(m.id(), listing, clock.instant());
            repos.machines().touch(m.id(), clock.instant(), Duration.ofDays(365));
            slots.add(new long[] {
                m.id(),
                repos.offers()
                        .replace(m.id(), List.of(1), clock.instant())
                        .get(0)
                        .id()
            });
        });
        Launch launch = new Launch("busybox", List.of(), null, List.of(), null, Runtype.SSH, "ssh");
        ContractPrices prices = new ContractPrices(
                listing.gpuPricePerHour(),
                listing.diskPricePerGbMonth(),
                listing.inetUpPricePerGb(),
                listing.inetDownPricePerGb(),
                listing.endDate());
        inBatches(store, instances, (repos, i) -> {
            long[] slot = slots.get(i / PER_MACHINE);
            Instance in = repos.instances()
                    .create(
                            new NewInstance(
                                    renterIds.get(i % renters),
                                    slot[0],
                                    slot[1],
                                    1,
                                    launch,
                                    null,
                                    16 + i % 64,
                                    IntendedStatus.RUNNING,
                                    0,
                                    Map.of(),
                                    prices,
                                    i % 3 == 0 ? 100_000 : 0),
                            clock.instant());
            repos.instances()
                    .applyReport(
                            in.id(),
                            slot[0],
                            new AgentState(ActualStatus.LOADING, null, null, null, null),
                            clock.instant());
            repos.instances()
                    .applyReport(
                            in.id(),
                            slot[0],
                            new AgentState(ActualStatus.RUNNING, null, null, null, null),
                            clock.instant());
        });
    }

    private interface Row {
        void put(io.gpumarket.store.Repos repos, int index);
    }

    private static void inBatches(Store store, int count, Row row) {
        for (int from = 0; from < count; from += BATCH) {
            int start = from;
            store.inTransaction(repos -> {
                for (int i = start; i < Math.min(count, start + BATCH); i++) row.put(repos, i);
                return null;
            });
        }
    }

    private static int intArg(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : fallback;
    }
}
