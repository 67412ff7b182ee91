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

/**
 * Issue 15's renter verbs through the CLI, each sending what vastai sends: recycle, prepay and show deposit, the
 * price-increase consent verbs (instance ids resolved to pending rows), show ipaddrs, scheduled jobs, and the
 * benchmark and invoice searches in the query language.
 */
class RenterVerbsCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static TestServer.Account host;
    static CaptureProxy proxy;
    static long machine;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        renter = Rent.renter(server);
        host = server.newUser();
        machine = host.client()
                .registerMachine(TestMachines.machine("RTX 4090", 4, "Oslo, NO", 53100))
                .machineId();
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + machine + ", \"price_gpu\": 0.4}");
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    long rent() {
        return Rent.one(server, renter.key(), machine);
    }

    @Test
    void recycle_prepay_and_show_deposit_send_vastais_requests_and_print_its_lines() {
        Cli cli = Cli.of(proxy.url(), renter.key(), dir);
        long id = rent();
        var recycled = cli.run("recycle", "instance", Long.toString(id));
        assertThat(recycled.code()).as(recycled.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/instances/recycle/" + id + "/");
        assertThat(recycled.out()).isEqualTo("Recycling instance " + id + ".\n");

        var prepaid = cli.run("prepay", "instance", Long.toString(id), "10");
        assertThat(prepaid.code()).as(prepaid.describe()).isZero();
        assertThat(proxy.last().bodyText()).isEqualTo("{\"amount\": 10.0}");
        assertThat(prepaid.out())
                .startsWith("prepaid for ")
                .contains(" months of instance " + id + " applying $10.0 credits for a discount of ");

        var deposit = cli.run("show", "deposit", Long.toString(id));
        assertThat(deposit.code()).as(deposit.describe()).isZero();
        assertThat(proxy.last().target()).isEqualTo("/api/v0/instances/balance/" + id + "/");
        assertThat(deposit.out()).contains("\"deposit_balance\" : 10.0");
    }

    @Test
    void accept_price_increase_resolves_the_instance_to_its_pending_row_and_sends_exactly_its_id() {
        Cli cli = Cli.of(proxy.url(), renter.key(), dir);
        long id = rent();
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + machine + ", \"price_gpu\": 0.5}");
        var shown = cli.run("show", "pending-price-increases");
        assertThat(shown.code()).as(shown.describe()).isZero();
        assertThat(shown.out()).contains(Long.toString(id)).contains("0.4000").contains("0.5000");

        var accepted = cli.run("accept", "price-increase", Long.toString(id), "--yes");
        assertThat(accepted.code()).as(accepted.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/instances/accept-price-increase/");
        assertThat(proxy.last().bodyText()).matches("\\{\"pending_price_increase_id\": \\d+\\}");
        assertThat(accepted.out()).isEqualTo("Accepted the price increase of instance " + id + ".\n");
        var none = cli.run("reject", "price-increase", Long.toString(id), "--yes");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no pending price increase for instance " + id);
    }

    @Test
    void account_searches_and_scheduled_jobs_speak_the_query_language_and_vastais_columns() {
        Cli cli = Cli.of(proxy.url(), renter.key(), dir);
        long id = rent();
        var ips = cli.run("show", "ipaddrs");
        assertThat(ips.code()).as(ips.describe()).isZero();
        assertThat(ips.out()).contains("127.0.0.1");

        var bench = cli.run("search", "benchmarks", "type=dlperf machine_id=" + machine, "--raw");
        assertThat(bench.code()).as(bench.describe()).isZero();
        assertThat(proxy.last().target()).startsWith("/api/v0/benchmarks?").contains("select_filters=");
        assertThat(bench.out()).contains("\"type\" : \"dlperf\"").contains("\"machine_id\" : " + machine);

        var invoices = cli.run("search", "invoices", "amount_cents>0");
        assertThat(invoices.code()).as(invoices.describe()).isZero();
        assertThat(invoices.out()).contains("\"service\" : \"manual\"");

        double start = server.clock().instant().getEpochSecond();
        var job = Http.post(
                server.api() + "/commands/schedule_job/",
                renter.key(),
                "{\"start_time\": " + (start + 3600) + ", \"end_time\": " + (start + 86400)
                        + ", \"api_endpoint\": \"/api/v0/instances/reboot/" + id
                        + "/\", \"request_method\": \"PUT\", \"request_body\": {}, \"frequency\": \"HOURLY\"}");
        assertThat(job.status()).as(job.body()).isEqualTo(200);
        var jobs = cli.run("show", "scheduled-jobs");
        assertThat(jobs.code()).as(jobs.describe()).isZero();
        assertThat(jobs.out()).contains("Scheduled Job ID").contains("/api/v0/instances/reboot/" + id + "/");
        long jobId = job.json().get("scheduled_job_id").asLong();
        var deleted = cli.run("delete", "scheduled-job", Long.toString(jobId));
        assertThat(deleted.code()).as(deleted.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("DELETE /api/v0/commands/schedule_job/" + jobId + "/");
    }

    @Test
    void cloud_copy_and_its_connection_verbs_send_vastais_bodies_and_keep_the_secret_off_the_command_line() {
        Cli cli = Cli.of(proxy.url(), renter.key(), dir);
        var created = cli.input(
                "cli-secret-key\n",
                "create",
                "connection",
                "backups",
                "--endpoint",
                "https://s3.example.net",
                "--access-key-id",
                "AKIACLI00001");
        assertThat(created.code()).as(created.describe()).isZero();
        assertThat(proxy.last().bodyText()).contains("\"secret_access_key\": \"cli-secret-key\"");
        var shown = cli.run("show", "connections");
        assertThat(shown.code()).as(shown.describe()).isZero();
        assertThat(shown.out()).contains("backups", "s3").doesNotContain("cli-secret-key");
        long conn = Http.get(server.api() + "/users/cloud_integrations/", renter.key())
                .json()
                .get(0)
                .get("id")
                .asLong();

        long id = rent();
        var copy = cli.run(
                "cloud",
                "copy",
                "--src",
                "/folder",
                "--dst",
                "my-bucket/folder",
                "--instance",
                Long.toString(id),
                "--connection",
                Long.toString(conn),
                "--transfer",
                "Instance To Cloud",
                "--size-only");
        assertThat(proxy.last().method() + " " + proxy.last().target()).isEqualTo("POST /api/v0/commands/rclone/");
        assertThat(proxy.last().bodyText())
                .isEqualTo("{\"src\": \"/folder\", \"dst\": \"my-bucket/folder\", \"instance_id\": \"" + id
                        + "\", \"selected\": \"" + conn + "\", \"transfer\": \"Instance To Cloud\", \"flags\":"
                        + " [\"--size-only\"]}");
        // the rented instance has no agent here: the server says it is not running, and the CLI says so
        assertThat(copy.code()).isEqualTo(1);
        assertThat(copy.err()).contains("needs it running");

        var cancel = cli.run("cancel", "sync", Long.toString(id));
        assertThat(cancel.code()).as(cancel.describe()).isZero();
        assertThat(proxy.last().bodyText()).isEqualTo("{\"client_id\": \"me\", \"dst_id\": \"" + id + "\"}");
        var deleted = cli.run("delete", "connection", Long.toString(conn));
        assertThat(deleted.code()).as(deleted.describe()).isZero();
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("DELETE /api/v0/users/cloud_integrations/" + conn + "/");
    }
}
