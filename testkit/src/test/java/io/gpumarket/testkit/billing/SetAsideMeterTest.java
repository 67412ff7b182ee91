package io.gpumarket.testkit.billing;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.gpumarket.store.SetAside;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.MachineSamples;
import io.gpumarket.testkit.PostgresCluster;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traffic sample that no price fits in a long (9e18 bytes each way at $1000/GB, as databases written before claims
 * were checked can hold: it is put there with SQL, past the store's check) makes its contract unpriceable. The meter
 * sets that contract aside and charges everyone else, tick after tick and in a fresh meter (a restarted server),
 * on the backend GPUMARKET_TEST_BACKEND names.
 */
class SetAsideMeterTest {
    static final Duration UNKNOWN_AFTER = Duration.ofSeconds(30);

    final FakeClock clock = new FakeClock();

    Instant now() {
        return clock.instant();
    }

    Instance rent(Store store, User renter, Machine m) {
        Listing l = store.repos().machines().find(m.id()).orElseThrow().listing();
        long offer =
                store.repos().offers().replace(m.id(), List.of(1), now()).get(0).id();
        Instance i = store.repos()
                .instances()
                .create(
                        new NewInstance(
                                renter.id(),
                                m.id(),
                                offer,
                                1,
                                new Launch("busybox", List.of(), null, List.of(), null, Runtype.SSH, "ssh"),
                                null,
                                10,
                                IntendedStatus.RUNNING,
                                0,
                                Map.of(),
                                new ContractPrices(
                                        l.gpuPricePerHour(),
                                        l.diskPricePerGbMonth(),
                                        l.inetUpPricePerGb(),
                                        l.inetDownPricePerGb(),
                                        l.endDate()),
                                0),
                        now());
        store.repos()
                .instances()
                .applyReport(i.id(), m.id(), new AgentState(ActualStatus.RUNNING, "running", null, null, null), now());
        return i;
    }

    @Test
    void a_contract_whose_recorded_traffic_overflows_is_set_aside_and_everyone_else_is_charged_also_after_a_restart(
            @TempDir Path dir) throws Exception {
        String url = "postgresql".equals(TestServer.backend())
                ? PostgresCluster.get().newDatabase()
                : "jdbc:sqlite:" + dir.resolve("billing.db");
        try (Store store = JdbcStore.open(StoreConfig.of(url))) {
            User host = store.repos().users().create("host@example.com", "host", false, now());
            User victim = store.repos().users().create("victim@example.com", "victim", false, now());
            User bystander = store.repos().users().create("bystander@example.com", "bystander", false, now());
            Machine m = store.repos().machines().register(host.id(), MachineSamples.spec(8), "token", 0.99, now());
            store.repos()
                    .machines()
                    .setListing(
                            m.id(),
                            new Listing(400_000, 150_000, 1_000_000_000L, 1_000_000_000L, 0, 1, 1_900_000_000L, 0.0),
                            now());
            store.repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
            Instance bad = rent(store, victim, m);
            rent(store, bystander, m);

            clock.advance(Duration.ofSeconds(10));
            store.repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
            try (Connection c = DriverManager.getConnection(url);
                    PreparedStatement s = c.prepareStatement(
                            "INSERT INTO traffic_samples (instance_id, at, run_started_at,"
                                    + " run_rx_bytes, run_tx_bytes, rx_bytes, tx_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                long huge = 9_000_000_000_000_000_000L;
                s.setLong(1, bad.id());
                s.setLong(2, now().toEpochMilli());
                s.setLong(3, now().toEpochMilli() - 5_000);
                for (int k = 4; k <= 7; k++) s.setLong(k, huge);
                s.executeUpdate();
            }
            Tick first = new Meter(store, UNKNOWN_AFTER, clock).tick();

            assertThat(first.to()).as("the watermark moves").isEqualTo(now());
            assertThat(store.repos().billing().setAside()).singleElement().satisfies(a -> {
                assertThat(a.instanceId()).isEqualTo(bad.id());
                assertThat(a.reason()).contains("ArithmeticException");
            });
            long charged = store.repos().ledger().balance(bystander.id());
            assertThat(charged).as("the bystander is charged").isNegative();
            assertThat(store.repos().ledger().balance(victim.id())).isZero();

            clock.advance(Duration.ofSeconds(10));
            store.repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
            Tick afterRestart = new Meter(store, UNKNOWN_AFTER, clock).tick();

            assertThat(afterRestart.to()).isEqualTo(now());
            assertThat(store.repos().ledger().balance(bystander.id())).isLessThan(charged);
            assertThat(store.repos().ledger().balance(victim.id())).isZero();
            assertThat(store.repos().billing().setAside())
                    .extracting(SetAside::instanceId)
                    .containsExactly(bad.id());
        }
    }
}
