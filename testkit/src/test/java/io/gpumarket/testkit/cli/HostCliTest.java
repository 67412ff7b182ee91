package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The host verbs against a real server: show machines, list and unlist a machine, set min-bid, schedule maint. */
class HostCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static CaptureProxy proxy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        host = server.newUser();
        renter = Rent.renter(server);
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static long registered(String gpu, int n) {
        return host.client()
                .registerMachine(TestMachines.machine(gpu, n, "Oslo, NO", 46000 + n * 100))
                .machineId();
    }

    /** The machine's offers as a renter's {@code search offers -n --raw} sees them. */
    static JsonNode offers(long machine) throws Exception {
        var r = Cli.of(server.url(), renter.key(), dir).run("search", "offers", "-n", "machine_id=" + machine, "--raw");
        assertThat(r.code()).as(r.describe()).isZero();
        JsonNode all = Wire.mapper().readTree(r.out());
        var mine = Wire.mapper().createArrayNode();
        all.forEach(o -> {
            if (o.get("machine_id").asLong() == machine) mine.add(o);
        });
        return mine;
    }

    @Test
    void list_machine_puts_it_on_the_market_at_its_price_and_unlist_takes_it_off() throws Exception {
        long m = registered("RTX 3090", 2);
        Cli cli = Cli.of(proxy.url(), host.key(), dir);
        var listed = cli.run(
                "list",
                "machine",
                Long.toString(m),
                "-g",
                "0.55",
                "-s",
                "0.2",
                "-u",
                "0.01",
                "-d",
                "0.02",
                "-m",
                "1",
                "-l",
                "10 days");
        assertThat(listed.code()).as(listed.describe()).isZero();
        assertThat(listed.out())
                .startsWith("offers created/updated for machine " + m
                        + ",  @ $0.55/gpu/hr, $0.01/GB up, $0.02/GB down, 1/min gpus");
        assertThat(proxy.last().bodyText())
                .isEqualTo("{\"machine\": " + m + ", \"price_gpu\": 0.55, \"price_disk\": 0.2, \"price_inetu\": 0.01, "
                        + "\"price_inetd\": 0.02, \"price_min_bid\": null, \"min_chunk\": 1, \"end_date\": null, \"credit_discount_max\": null, "
                        + "\"duration\": \"10 days\", \"vol_size\": null, \"vol_price\": null}");
        JsonNode offers = offers(m);
        assertThat(offers).isNotEmpty();
        assertThat(offers.get(0).get("dph_base").asDouble())
                .isEqualTo(0.55 * offers.get(0).get("num_gpus").asInt(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(offers.get(0).get("duration").asDouble()).isBetween(9.9 * 86400, 10.0 * 86400);

        var unlisted = cli.run("unlist", "machine", Long.toString(m));
        assertThat(unlisted.out()).isEqualTo("all offers for machine " + m + " removed, machine delisted.\n");
        assertThat(offers(m)).isEmpty();
    }

    @Test
    void register_machine_registers_with_units_as_documented_and_prints_the_id_and_agent_token() throws Exception {
        TestServer.Account owner = server.newUser();
        var r = Cli.of(server.url(), owner.key(), dir)
                .run(
                        "register",
                        "machine",
                        "--gpu-name",
                        "RTX 4090",
                        "--num-gpus",
                        "2",
                        "--gpu-ram",
                        "24564",
                        "--cpu-cores",
                        "32",
                        "--cpu-ram",
                        "128000",
                        "--disk",
                        "2000",
                        "--location",
                        "Oslo, NO",
                        "--public-ip",
                        "203.0.113.7",
                        "--ports",
                        "48000-48099",
                        "--inet-down",
                        "940",
                        "--inet-up",
                        "800",
                        "--cuda",
                        "12.8",
                        "--driver",
                        "570.124.06");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out()).startsWith("registered machine ").contains("agent token (shown once): ");
        long id = Long.parseLong(
                r.out().substring("registered machine ".length(), r.out().indexOf(';')));
        String token = r.out()
                .substring(r.out().indexOf("(shown once): ") + 14, r.out().indexOf('\n'))
                .strip();
        // the token is the machine's agent token
        assertThat(io.gpumarket.testkit.Http.get(server.api() + "/agent/speedtest/", token)
                        .status())
                .isEqualTo(200);
        JsonNode machine = io.gpumarket.testkit.Http.get(server.api() + "/machines/" + id + "/", owner.key())
                .json()
                .get(0);
        assertThat(machine.get("inet_down").asDouble()).isEqualTo(940.0);
        assertThat(machine.get("cuda_max_good").asDouble()).isEqualTo(12.8);
        assertThat(machine.get("driver_version").asText()).isEqualTo("570.124.06");
        assertThat(machine.get("direct_port_count").asInt()).isEqualTo(100);
    }

    @Test
    void show_machines_lists_the_hosts_machines() throws Exception {
        TestServer.Account owner = server.newUser();
        long a = owner.client()
                .registerMachine(TestMachines.machine("RTX 4090", 4, "Oslo, NO", 47000))
                .machineId();
        long b = owner.client()
                .registerMachine(TestMachines.machine("A100 PCIE", 8, "Lyon, FR", 47100))
                .machineId();
        Cli cli = Cli.of(server.url(), owner.key(), dir);
        var table = cli.run("show", "machines");
        assertThat(table.code()).as(table.describe()).isZero();
        assertThat(table.out().lines().toList()).hasSize(3);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID  #gpus  gpu_name");
        assertThat(table.out()).contains("RTX_4090").contains("A100_PCIE").contains("test-host");
        assertThat(cli.run("show", "machines", "-q").out()).isEqualTo(a + " " + b + "\n");
        JsonNode raw =
                Wire.mapper().readTree(cli.run("show", "machines", "--raw").out());
        assertThat(raw.get("machines")).hasSize(2);
        var one = cli.run("show", "machine", Long.toString(b));
        assertThat(one.out().lines().toList()).hasSize(2);
        assertThat(one.out()).contains("A100_PCIE");
        var others = Cli.of(server.url(), host.key(), dir).run("show", "machine", Long.toString(b));
        assertThat(others.code()).isEqualTo(1);
        assertThat(others.err()).startsWith("Failed with error 40");
    }

    @Test
    void set_min_bid_and_schedule_maint_send_vastais_bodies_and_change_the_machine() throws Exception {
        long m = registered("RTX 4090", 1);
        Cli cli = Cli.of(proxy.url(), host.key(), dir);
        assertThat(cli.run("list", "machine", Long.toString(m), "-g", "0.5").code())
                .isZero();
        var bid = cli.run("set", "min-bid", Long.toString(m), "--price", "0.12");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/machines/" + m + "/minbid/");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"client_id\": \"me\", \"price\": 0.12}");
        assertThat(bid.code()).as(bid.describe()).isZero();
        assertThat(bid.out()).isEqualTo("Per gpu min bid price changed\n");
        JsonNode machine = Wire.mapper()
                .readTree(cli.run("show", "machine", Long.toString(m), "--raw").out());
        assertThat(machine.findValue("min_bid_price").asDouble()).isEqualTo(0.12);

        var maint = cli.run(
                "schedule",
                "maint",
                Long.toString(m),
                "--sdate",
                "1900000000",
                "--duration",
                "1.5",
                "--maintenance_category",
                "power",
                "-y");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/machines/" + m + "/dnotify/");
        assertThat(proxy.last().bodyText())
                .isEqualTo(
                        "{\"client_id\": \"me\", \"sdate\": 1900000000.0, \"duration\": 1.5, \"maintenance_category\": \"power\"}");
        assertThat(maint.code()).as(maint.describe()).isZero();
        assertThat(maint.out())
                .startsWith("Scheduling maintenance window starting 2030-03-17T17:46:40Z lasting 1.5 hours\n")
                .endsWith("success\n");
    }

    @Test
    void show_maints_lists_the_windows_and_cancel_maint_withdraws_them() throws Exception {
        long m = registered("RTX 4090", 3);
        Cli cli = Cli.of(proxy.url(), host.key(), dir);
        assertThat(cli.run(
                                "schedule",
                                "maint",
                                Long.toString(m),
                                "--sdate",
                                "1900000000",
                                "--duration",
                                "2",
                                "--maintenance_category",
                                "disk",
                                "-y")
                        .code())
                .isZero();

        var table = cli.run("show", "maints", "--ids", Long.toString(m));
        assertThat(table.code()).as(table.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("GET /api/v0/machines/maintenances?owner=me&machine_ids=%5B" + m + "%5D");
        assertThat(table.out().lines().toList()).hasSize(2);
        assertThat(table.out())
                .contains("2030-03-17_17:46")
                .contains("2030-03-17_19:46")
                .contains("disk");
        JsonNode raw = Wire.mapper().readTree(cli.run("show", "maints", "--raw").out());
        assertThat(raw.findValuesAsText("machine_id")).contains(Long.toString(m));

        var cancelled = cli.run("cancel", "maint", Long.toString(m), "-y");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/machines/" + m + "/cancel_maint/");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"client_id\": \"me\", \"machine_id\": " + m + "}");
        assertThat(cancelled.code()).as(cancelled.describe()).isZero();
        assertThat(cancelled.out()).endsWith("Cancel maintenance window(s) scheduled for machine " + m + " success\n");
        assertThat(cli.run("show", "maints", "--ids", Long.toString(m))
                        .out()
                        .lines()
                        .toList())
                .hasSize(1);

        var others = Cli.of(server.url(), renter.key(), dir).run("cancel", "maint", Long.toString(m), "-y");
        assertThat(others.code()).isEqualTo(1);
        assertThat(others.err()).startsWith("Failed with error 403");
    }

    @Test
    void a_renter_reports_an_instance_and_the_host_reads_it_with_reports() throws Exception {
        long m = registered("RTX 4090", 2);
        Cli hostCli = Cli.of(proxy.url(), host.key(), dir);
        assertThat(hostCli.run("list", "machine", Long.toString(m), "-g", "0.4").code())
                .isZero();
        long instance = Rent.one(server, renter.key(), m);

        var filed = Cli.of(proxy.url(), renter.key(), dir)
                .run(
                        "report",
                        "instance",
                        Long.toString(instance),
                        "--problem",
                        "GPU missing",
                        "--message",
                        "nvidia-smi: no devices");
        assertThat(filed.code()).as(filed.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("POST /api/v0/instances/" + instance + "/reports/");

        var reports = hostCli.run("reports", Long.toString(m));
        assertThat(reports.code()).as(reports.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("GET /api/v0/machines/" + m + "/reports/");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"machine_id\": " + m + "}");
        // vastai's tables write spaces in values as underscores
        assertThat(reports.out()).contains("GPU_missing").contains("nvidia-smi:_no_devices");
        JsonNode raw = Wire.mapper()
                .readTree(hostCli.run("reports", Long.toString(m), "--raw").out());
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).get("problem").asText()).isEqualTo("GPU missing");
    }
}
