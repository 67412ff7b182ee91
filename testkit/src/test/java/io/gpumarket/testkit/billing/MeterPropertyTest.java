package io.gpumarket.testkit.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.LedgerEntry;
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
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.billing.Recomputation.Cost;
import io.gpumarket.testkit.billing.Recomputation.Rented;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random lifecycles against the real store (the backend GPUMARKET_TEST_BACKEND names) and the real meter: renting
 * at prices that hosts keep changing, agents reporting loading/running/stopped/exited, hosts falling silent and
 * coming back, traffic over several runs, destruction, and meter ticks that crash at random points (before or after
 * any of its store calls, so inside its transaction) or whose process restarts (a fresh meter with an empty memory).
 * After every tick that commits, and at the end when everything is destroyed and charged, the ledger must equal an
 * independent recomputation from the recorded history to the micro-dollar, for every renter and host; no interval
 * may be charged twice; and every kept balance must equal the sum of its entries.
 */
class MeterPropertyTest {
    static final Duration UNKNOWN_AFTER = Duration.ofSeconds(30);
    static final String[] STATUSES = {"loading", "running", "running", "running", "stopped", "exited"};

    static List<Long> seeds() {
        // METER_SEEDS runs more lifecycles when hunting for a rare failure
        String more = System.getenv("METER_SEEDS");
        int n = more != null ? Integer.parseInt(more) : "postgresql".equals(TestServer.backend()) ? 6 : 12;
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= n; s++) seeds.add(s * 7919);
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void the_ledger_equals_an_independent_recomputation_whatever_the_lifecycles_and_crashes(
            long seed, @TempDir Path dir) {
        String url = "postgresql".equals(TestServer.backend())
                ? PostgresCluster.get().newDatabase()
                : "jdbc:sqlite:" + dir.resolve("billing.db");
        try (Store store = JdbcStore.open(StoreConfig.of(url))) {
            new World(store, new Random(seed)).run(400);
        }
    }

    /** The simulated market and what the test knows about it independently of the meter. */
    static final class World {
        final Store store;
        final Random random;
        final FakeClock clock = new FakeClock();
        final double[] crashRate = {0.04};
        final Store flaky;
        Meter meter;
        final List<User> renters = new ArrayList<>();
        final Map<Long, Long> hostOf = new HashMap<>();
        final List<Machine> machines = new ArrayList<>();
        final Map<Long, Rented> rented = new LinkedHashMap<>();
        final Map<Long, long[]> traffic =
                new HashMap<>(); // instance -> {run start ms, rx, tx, rx of earlier runs, tx of earlier runs}
        final List<Tick> committed = new ArrayList<>();
        int ticks;
        int crashes;

        World(Store store, Random random) {
            this.store = store;
            this.random = random;
            this.flaky = FlakyStore.wrap(store, random, crashRate);
            this.meter = new Meter(flaky, UNKNOWN_AFTER, clock);
            for (int i = 0; i < 4; i++)
                renters.add(store.repos().users().create("renter" + i + "@example.com", "renter" + i, false, now()));
            for (int h = 0; h < 2; h++) {
                User host = store.repos().users().create("host" + h + "@example.com", "host" + h, false, now());
                for (int k = 0; k < 2; k++) {
                    // a terabit link: the model's counters never outgrow it, so every claimed byte is billed
                    Machine m = store.repos()
                            .machines()
                            .register(host.id(), MachineSamples.spec(8, 1e6, 1e6), "token-" + h + "-" + k, 0.99, now());
                    hostOf.put(m.id(), host.id());
                    machines.add(m);
                    reprice(m.id());
                    store.repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
                }
            }
        }

        Instant now() {
            return clock.instant();
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                int op = random.nextInt(100);
                if (op < 25)
                    clock.advance(Duration.ofMillis(1 + random.nextInt(random.nextBoolean() ? 20_000 : 900_000)));
                else if (op < 33) rent();
                else if (op < 55) report();
                else if (op < 65) heartbeat();
                else if (op < 70) destroy();
                else if (op < 74)
                    reprice(machines.get(random.nextInt(machines.size())).id());
                else if (op < 80) traffic();
                else if (op < 97) tick();
                else meter = new Meter(flaky, UNKNOWN_AFTER, clock); // the server restarted
            }
            for (Rented r : rented.values()) store.repos().instances().markDestroyed(r.id(), now());
            clock.advance(Duration.ofMinutes(1));
            crashRate[0] = 0;
            Tick last = meter.tick();
            committed.add(last);
            assertThat(last.to()).isEqualTo(now());
            assertThat(store.repos().billing().unmetered(now()))
                    .as("everything is wholly charged")
                    .isEmpty();
            agrees(now());
            noIntervalTwice();
            for (Rented r : rented.values()) trafficAccumulated(r);
            assertThat(ticks).as("ticks that committed").isGreaterThan(5);
            assertThat(crashes).as("ticks that crashed").isGreaterThan(0);
        }

        void rent() {
            Machine m = machines.get(random.nextInt(machines.size()));
            User renter = renters.get(random.nextInt(renters.size()));
            Listing l = store.repos().machines().find(m.id()).orElseThrow().listing();
            long offer = store.repos()
                    .offers()
                    .replace(m.id(), List.of(1), now())
                    .get(0)
                    .id();
            int gpus = 1 + random.nextInt(4);
            double disk = 1 + random.nextInt(2000) / 10.0;
            int fee = new int[] {0, 100_000, 333_333}[random.nextInt(3)];
            Instance i = store.repos()
                    .instances()
                    .create(
                            new NewInstance(
                                    renter.id(),
                                    m.id(),
                                    offer,
                                    gpus,
                                    new Launch("busybox", List.of(), null, List.of(), null, Runtype.SSH, "ssh"),
                                    null,
                                    disk,
                                    IntendedStatus.RUNNING,
                                    0,
                                    Map.of(),
                                    new ContractPrices(
                                            l.gpuPricePerHour(),
                                            l.diskPricePerGbMonth(),
                                            l.inetUpPricePerGb(),
                                            l.inetDownPricePerGb(),
                                            l.endDate()),
                                    fee),
                            now());
            rented.put(
                    i.id(),
                    new Rented(
                            i.id(),
                            renter.id(),
                            hostOf.get(m.id()),
                            m.id(),
                            gpus,
                            disk,
                            l.gpuPricePerHour(),
                            l.diskPricePerGbMonth(),
                            l.inetUpPricePerGb(),
                            l.inetDownPricePerGb(),
                            fee));
        }

        /** An agent's sync: a heartbeat of the machine, then the instance's new status. */
        void report() {
            Rented r = live();
            if (r == null) return;
            store.repos().machines().touch(r.machineId(), now(), UNKNOWN_AFTER);
            String status = STATUSES[random.nextInt(STATUSES.length)];
            store.repos()
                    .instances()
                    .applyReport(
                            r.id(),
                            r.machineId(),
                            new AgentState(ActualStatus.fromWire(status).orElseThrow(), status, null, null, null),
                            now());
        }

        void heartbeat() {
            store.repos()
                    .machines()
                    .touch(machines.get(random.nextInt(machines.size())).id(), now(), UNKNOWN_AFTER);
        }

        void destroy() {
            Rented r = live();
            if (r != null) store.repos().instances().markDestroyed(r.id(), now());
        }

        /** A host changes its prices: only contracts rented from now on pay them. */
        void reprice(long machineId) {
            store.repos()
                    .machines()
                    .setListing(
                            machineId,
                            new Listing(
                                    random.nextInt(3_000_000),
                                    random.nextInt(400_000),
                                    random.nextInt(50_000),
                                    random.nextInt(50_000),
                                    0,
                                    1,
                                    1_900_000_000L,
                                    0.0),
                            now());
        }

        /** Byte counters of the current run grow; sometimes a new run starts counting from zero. */
        void traffic() {
            Rented r = live();
            if (r == null) return;
            long[] t = traffic.computeIfAbsent(r.id(), id -> new long[] {now().toEpochMilli(), 0, 0, 0, 0});
            if (random.nextInt(4) == 0) {
                // runs are told apart by their start second (the protocol's startedAt)
                clock.advance(Duration.ofSeconds(1));
                t[3] += t[1];
                t[4] += t[2];
                t[0] = now().toEpochMilli();
                t[1] = 0;
                t[2] = 0;
            }
            t[1] += random.nextInt(2_000_000_000);
            t[2] += random.nextInt(500_000_000);
            store.repos().billing().recordTraffic(r.id(), r.machineId(), Instant.ofEpochMilli(t[0]), t[1], t[2], now());
        }

        void tick() {
            try {
                Tick t = meter.tick();
                ticks++;
                if (t.to().isAfter(t.from())) committed.add(t);
                agrees(t.to());
            } catch (FlakyStore.Crash crash) {
                crashes++;
            }
        }

        Rented live() {
            List<Rented> alive = rented.values().stream()
                    .filter(r -> !store.repos()
                            .instances()
                            .find(r.id())
                            .orElseThrow()
                            .destroyed())
                    .toList();
            return alive.isEmpty() ? null : alive.get(random.nextInt(alive.size()));
        }

        /** The ledger, per renter and per host, equals the recomputation at the watermark. */
        void agrees(Instant watermark) {
            assertThat(store.repos().billing().chargedTo()).isEqualTo(watermark);
            Map<Long, Long> charges = new HashMap<>();
            Map<Long, Long> earnings = new HashMap<>();
            Map<Long, Long> fees = new HashMap<>();
            for (Rented r : rented.values()) {
                Cost c = cost(r, watermark);
                charges.merge(r.ownerId(), c.total(), Long::sum);
                earnings.merge(r.hostId(), c.total(), Long::sum);
                fees.merge(r.hostId(), c.fee(), Long::sum);
            }
            for (User u : renters) {
                assertThat(-sum(u.id(), "charge"))
                        .as("charges of %s at %s", u.email(), watermark)
                        .isEqualTo(charges.getOrDefault(u.id(), 0L));
                assertThat(store.repos().ledger().balance(u.id()))
                        .isEqualTo(store.repos().ledger().sumOfEntries(u.id()));
            }
            for (long host : new java.util.HashSet<>(hostOf.values())) {
                assertThat(sum(host, "earning"))
                        .as("earnings of host %s", host)
                        .isEqualTo(earnings.getOrDefault(host, 0L));
                assertThat(-sum(host, "fee")).as("fees of host %s", host).isEqualTo(fees.getOrDefault(host, 0L));
                assertThat(store.repos().ledger().balance(host))
                        .isEqualTo(store.repos().ledger().sumOfEntries(host));
            }
        }

        Cost cost(Rented r, Instant t) {
            Instance i = store.repos().instances().find(r.id()).orElseThrow();
            Instant seen = store.repos().machines().lastSeen(r.machineId()).orElse(null);
            return Recomputation.cost(
                    r,
                    i.createdAt(),
                    i.destroyedAt(),
                    store.repos().instances().events(r.id()),
                    store.repos().billing().silencesOf(List.of(r.machineId())),
                    seen == null ? Instant.EPOCH : seen.plus(UNKNOWN_AFTER),
                    store.repos().billing().trafficOf(List.of(r.id())),
                    t);
        }

        long sum(long user, String kind) {
            return store.repos().ledger().byUser(user).stream()
                    .filter(e -> e.kind().equals(kind))
                    .mapToLong(LedgerEntry::amount)
                    .sum();
        }

        /**
         * The committed ticks' intervals follow each other without overlap, and each user has at most one entry of a
         * kind per tick, created at that tick's end: with the sums agreeing after every tick, no interval was charged
         * twice.
         */
        void noIntervalTwice() {
            for (int k = 1; k < committed.size(); k++) {
                assertThat(committed.get(k).from())
                        .as("tick %s starts where the one before ended", k)
                        .isEqualTo(committed.get(k - 1).to());
            }
            java.util.Set<Instant> ends = new java.util.HashSet<>();
            committed.forEach(t -> ends.add(t.to()));
            List<Long> users = new ArrayList<>(new java.util.HashSet<>(hostOf.values()));
            renters.forEach(u -> users.add(u.id()));
            for (long user : users) {
                Map<String, java.util.Set<Instant>> seen = new HashMap<>();
                for (LedgerEntry e : store.repos().ledger().byUser(user)) {
                    if (e.kind().equals("deposit")) continue;
                    assertThat(ends)
                            .as("entry %s is created at the end of a committed tick", e.id())
                            .contains(e.createdAt());
                    assertThat(seen.computeIfAbsent(e.kind(), k -> new java.util.HashSet<>())
                                    .add(e.createdAt()))
                            .as("one %s of user %s per tick", e.kind(), user)
                            .isTrue();
                }
            }
        }

        /** The store summed each run's counters into the totals the test expects. */
        void trafficAccumulated(Rented r) {
            long[] t = traffic.get(r.id());
            var samples = store.repos().billing().trafficOf(List.of(r.id()));
            if (t == null) {
                assertThat(samples).isEmpty();
                return;
            }
            if (t[1] + t[2] + t[3] + t[4] == 0) return;
            assertThat(samples.get(samples.size() - 1).rxBytes()).isEqualTo(t[1] + t[3]);
            assertThat(samples.get(samples.size() - 1).txBytes()).isEqualTo(t[2] + t[4]);
        }
    }
}
