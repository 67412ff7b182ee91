package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Interruptible instances through the CLI: {@code create instance --bid_price} and {@code change bid}, as vastai sends them. */
class BidCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static CaptureProxy proxy;
    static long machine;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        renter = Rent.renter(server);
        TestServer.Account host = server.newUser();
        machine = host.client()
                .registerMachine(TestMachines.machine("RTX 4090", 1, "Oslo, NO", 53000))
                .machineId();
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + machine + ", \"price_gpu\": 0.4, \"price_min_bid\": 0.1}");
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void a_bid_price_creates_an_interruptible_instance_and_change_bid_re_decides_it() {
        Cli cli = Cli.of(proxy.url(), renter.key(), dir);
        var created = cli.run(
                "create",
                "instance",
                Long.toString(Rent.offer(server, renter.key(), machine)),
                "--image",
                "ubuntu:22.04",
                "--disk",
                "8",
                "--bid_price",
                "0.2",
                "--raw");
        assertThat(created.code()).as(created.describe()).isZero();
        assertThat(proxy.last().bodyText()).contains("\"price\": 0.2");
        var answer = new Http.Response(200, "application/json", created.out()).json();
        assertThat(answer.get("is_bid").asBoolean()).isTrue();
        long low = answer.get("new_contract").asLong();

        var other = cli.run(
                "create",
                "instance",
                Long.toString(Rent.offer(server, renter.key(), machine)),
                "--image",
                "ubuntu:22.04",
                "--disk",
                "8",
                "--bid_price",
                "0.3",
                "--raw");
        assertThat(other.code()).as(other.describe()).isZero();
        assertThat(Rent.show(server, renter.key(), low).get("status_msg").asText())
                .startsWith("preempted: outbid");

        var changed = cli.run("change", "bid", Long.toString(low), "--price", "0.5");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/instances/bid_price/" + low + "/");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"client_id\": \"me\", \"price\": 0.5}");
        assertThat(changed.code()).as(changed.describe()).isZero();
        assertThat(changed.out()).isEqualTo("Per gpu bid price changed\n");
        assertThat(Rent.show(server, renter.key(), low).get("bid_state").asText())
                .isEqualTo("holding");

        var refused = cli.run("change", "bid", Long.toString(low), "--price", "0");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Please set a bid price >= 0.001.");
    }
}
