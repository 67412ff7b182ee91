package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance verbs against a real server (no agent: what is checked is what the CLI sends and how it reads
 * the answers; the lifecycle with a real agent is {@link LiveCliTest}): create, show, show instances across
 * pages, label, stop/start one or many, reboot, destroy with and without confirmation, ssh-url, scp-url, and
 * wait's timeout.
 */
class InstanceCliTest {
    static final AtomicInteger PORTS = new AtomicInteger(45000);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static CaptureProxy proxy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        host = server.newUser();
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static long machine(int gpus) {
        return server.listMachine(
                host,
                TestMachines.machine("RTX 4090", gpus, "Oslo, NO", PORTS.getAndAdd(100)),
                0.4,
                Map.of("verification", "verified"));
    }

    static Cli cli(TestServer.Account renter) {
        return Cli.of(proxy.url(), renter.key(), dir);
    }

    static long createdId(Cli.Result r) {
        Matcher m = Pattern.compile("'new_contract': (\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.describe()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void create_instance_sends_vastais_body_for_vastais_own_example_and_prints_started() {
        TestServer.Account renter = Rent.renter(server);
        long m = machine(2);
        long offer = Rent.offer(server, renter.key(), m);
        var r = cli(renter)
                .run(
                        "create",
                        "instance",
                        Long.toString(offer),
                        "--image",
                        "pytorch/pytorch",
                        "--disk",
                        "40",
                        "--env",
                        "-p 8081:8081/udp -h billybob",
                        "--ssh",
                        "--direct",
                        "--onstart-cmd",
                        "env | grep _ >> /etc/environment; echo 'starting up'");
        assertThat(r.code()).as(r.describe()).isZero();
        CaptureProxy.Request sent = proxy.last();
        assertThat(sent.method()).isEqualTo("PUT");
        assertThat(sent.target()).isEqualTo("/api/v0/asks/" + offer + "/");
        // docs/vast-compatibility.md §f.3, the body vastai sends for this command, byte for byte
        assertThat(sent.bodyText())
                .isEqualTo(
                        "{\"client_id\": \"me\", \"image\": \"pytorch/pytorch\", \"env\": {\"-p 8081:8081/udp\": \"1\", \"-h\": \"billybob\"}, \"price\": null,"
                                + " \"disk\": 40.0, \"label\": null, \"extra\": null, \"onstart\": \"env | grep _ >> /etc/environment; echo 'starting up'\","
                                + " \"image_login\": null, \"python_utf8\": false, \"lang_utf8\": false, \"use_jupyter_lab\": false, \"jupyter_dir\": null,"
                                + " \"force\": false, \"cancel_unavail\": false, \"template_hash_id\": null, \"user\": null, \"runtype\": \"ssh_direc ssh_proxy\"}");
        assertThat(r.out()).startsWith("Started. {'success': True, 'new_contract': ");
        long id = createdId(r);
        JsonNode shown = Rent.show(server, renter.key(), id);
        assertThat(shown.get("image_uuid").asText()).isEqualTo("pytorch/pytorch");
        assertThat(shown.get("disk_space").asDouble()).isEqualTo(40.0);
        assertThat(shown.get("onstart").asText()).isEqualTo("env | grep _ >> /etc/environment; echo 'starting up'");
    }

    @Test
    void create_instance_with_env_label_and_args_and_raw_answer() throws Exception {
        TestServer.Account renter = Rent.renter(server);
        long offer = Rent.offer(server, renter.key(), machine(1));
        var r = cli(renter)
                .run(
                        "create",
                        "instance",
                        Long.toString(offer),
                        "--image",
                        "ubuntu:22.04",
                        "--label",
                        "trainer",
                        "--env",
                        "-e TZ=UTC -e GREETING='hello=world' -p 8080:8080",
                        "--raw",
                        "--args",
                        "bash",
                        "-c",
                        "echo hi; sleep infinity");
        assertThat(r.code()).as(r.describe()).isZero();
        JsonNode answer = Wire.mapper().readTree(r.out());
        assertThat(answer.get("success").asBoolean()).isTrue();
        assertThat(proxy.last().bodyText())
                .contains("\"env\": {\"TZ\": \"UTC\", \"GREETING\": \"hello=world\", \"-p 8080:8080\": \"1\"}")
                .contains("\"label\": \"trainer\"")
                .endsWith("\"runtype\": \"args\", \"args\": [\"bash\", \"-c\", \"echo hi; sleep infinity\"]}");
        JsonNode shown =
                Rent.show(server, renter.key(), answer.get("new_contract").asLong());
        assertThat(shown.get("label").asText()).isEqualTo("trainer");
        assertThat(shown.get("image_args").toString()).isEqualTo("[\"bash\",\"-c\",\"echo hi; sleep infinity\"]");
    }

    @Test
    void jupyter_and_a_bid_price_are_sent_as_vastai_sends_them() {
        TestServer.Account renter = Rent.renter(server);
        long offer = Rent.offer(server, renter.key(), machine(1));
        var r = cli(renter)
                .run(
                        "create",
                        "instance",
                        Long.toString(offer),
                        "--image",
                        "jupyter/base",
                        "--jupyter",
                        "--direct",
                        "--bid_price",
                        "0.1",
                        "--cancel-unavail",
                        "--login",
                        "-u bob -p secret docker.io");
        String body = proxy.last().bodyText();
        assertThat(body)
                .contains("\"price\": 0.1, ")
                .contains("\"image_login\": \"-u bob -p secret docker.io\"")
                .contains("\"cancel_unavail\": true")
                .endsWith("\"runtype\": \"jupyter_direc ssh_direc ssh_proxy\"}");
        // bids belong to the market work (issue 7): until then the server refuses a price, and the CLI says so
        if (r.code() != 0) assertThat(r.err()).as(r.describe()).startsWith("Failed with error 400: ");
        else assertThat(r.out()).startsWith("Started. {'success': True");
    }

    @Test
    void jupyter_with_args_is_refused_before_anything_is_sent() {
        proxy.clear();
        var r = cli(Rent.renter(server)).run("create", "instance", "1", "--image", "x", "--jupyter", "--args", "true");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "Error: Can't use --jupyter and --args together. Try --onstart or --onstart-cmd instead of --args.\n");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void renting_an_offer_that_is_gone_fails_with_the_servers_message() {
        TestServer.Account renter = Rent.renter(server);
        long offer = Rent.offer(server, renter.key(), machine(1));
        assertThat(cli(renter)
                        .run("create", "instance", Long.toString(offer), "--image", "ubuntu:22.04")
                        .code())
                .isZero();
        var again = cli(renter).run("create", "instance", Long.toString(offer), "--image", "ubuntu:22.04");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("Failed with error 404: ").contains(Long.toString(offer));
        assertThat(again.out()).isEmpty();
    }

    @Test
    void show_instances_follows_next_token_across_pages() throws Exception {
        TestServer.Account renter = Rent.renter(server);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long m = machine(8);
            for (int g = 0; g < 8 && ids.size() < 27; g++) ids.add(Rent.one(server, renter.key(), m));
        }
        proxy.clear();
        var quiet = cli(renter).run("show", "instances", "-q");
        assertThat(quiet.code()).as(quiet.describe()).isZero();
        assertThat(quiet.out().lines().map(Long::parseLong).toList()).containsExactlyElementsOf(ids);
        List<CaptureProxy.Request> pages = proxy.requests();
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).target())
                .isEqualTo(
                        "/api/v1/instances/?select_filters=%7B%7D&order_by=%5B%7B%22col%22%3A+%22id%22%2C+%22dir%22%3A+%22asc%22%7D%5D&limit=25");
        assertThat(pages.get(1).target()).startsWith(pages.get(0).target() + "&after_token=");

        var raw = cli(renter).run("show", "instances", "--raw");
        assertThat(Wire.mapper().readTree(raw.out())).hasSize(27);
        var table = cli(renter).run("show", "instances");
        assertThat(table.out().lines().toList()).hasSize(28);
        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("ID  Machine  Status  Num  Model     Util. %");
    }

    @Test
    void label_then_filter_by_label_and_show_one() throws Exception {
        TestServer.Account renter = Rent.renter(server);
        long m = machine(2);
        long a = Rent.one(server, renter.key(), m);
        long b = Rent.one(server, renter.key(), m);
        assertThat(Rent.show(server, renter.key(), a).get("machine_id").asLong())
                .as("offer of machine %d", m)
                .isEqualTo(m);
        var labelled = cli(renter).run("label", "instance", Long.toString(a), "my job");
        assertThat(labelled.out()).isEqualTo("label for " + a + " set to my job.\n");
        assertThat(cli(renter)
                        .run("show", "instances", "--label", "my job", "-q")
                        .out())
                .isEqualTo(a + "\n");
        assertThat(cli(renter).run("show", "instances", "--label", "", "-q").out())
                .isEqualTo(b + "\n");

        var one = cli(renter).run("show", "instance", Long.toString(a));
        assertThat(one.code()).isZero();
        assertThat(one.out().lines().toList()).hasSize(2);
        assertThat(one.out().lines().toList().get(1))
                .matches(a + " +" + m + " .*")
                .contains("RTX_4090")
                .contains("my_job");
        assertThat(cli(renter).run("show", "instance", Long.toString(a), "-q").out())
                .isEqualTo(a + "\n");
        assertThat(Wire.mapper()
                        .readTree(cli(renter)
                                .run("show", "instance", Long.toString(a), "--raw")
                                .out())
                        .get("label")
                        .asText())
                .isEqualTo("my job");
    }

    @Test
    void stop_and_start_one_or_many() {
        TestServer.Account renter = Rent.renter(server);
        long m = machine(2);
        long a = Rent.one(server, renter.key(), m);
        long b = Rent.one(server, renter.key(), m);
        Cli cli = cli(renter);

        assertThat(cli.run("stop", "instance", Long.toString(a)).out()).isEqualTo("stopping instance " + a + ".\n");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"state\": \"stopped\"}");
        assertThat(Rent.show(server, renter.key(), a).get("intended_status").asText())
                .isEqualTo("stopped");
        assertThat(cli.run("start", "instance", Long.toString(a)).out()).isEqualTo("starting instance " + a + ".\n");
        assertThat(Rent.show(server, renter.key(), a).get("intended_status").asText())
                .isEqualTo("running");

        var stopped = cli.run("stop", "instances", Long.toString(a), Long.toString(b));
        assertThat(stopped.out()).isEqualTo("stopping instance [" + a + ", " + b + "].\n");
        assertThat(proxy.last().target()).isEqualTo("/api/v0/instances/");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"state\": \"stopped\", \"ids\": [" + a + ", " + b + "]}");
        assertThat(Rent.show(server, renter.key(), b).get("intended_status").asText())
                .isEqualTo("stopped");
        assertThat(cli.run("start", "instances", Long.toString(a), Long.toString(b))
                        .code())
                .isZero();
        assertThat(Rent.show(server, renter.key(), a).get("intended_status").asText())
                .isEqualTo("running");
        assertThat(Rent.show(server, renter.key(), b).get("intended_status").asText())
                .isEqualTo("running");
    }

    @Test
    void reboot_asks_the_server_for_a_restart() {
        TestServer.Account renter = Rent.renter(server);
        long a = Rent.one(server, renter.key(), machine(1));
        var r = cli(renter).run("reboot", "instance", Long.toString(a));
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("Rebooting instance " + a + ".\n");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/instances/reboot/" + a + "/");
    }

    @Test
    void destroy_asks_first_and_only_yes_destroys() {
        TestServer.Account renter = Rent.renter(server);
        long m = machine(4);
        long a = Rent.one(server, renter.key(), m);
        Cli cli = cli(renter);

        var no = cli.input("n\n", "destroy", "instance", Long.toString(a));
        assertThat(no.code()).isEqualTo(1);
        assertThat(no.out())
                .contains("Are you sure you want to destroy instance " + a + "?")
                .endsWith("Aborted.\n");
        assertThat(Rent.show(server, renter.key(), a).isNull()).isFalse();

        var yes = cli.input("y\n", "destroy", "instance", Long.toString(a));
        assertThat(yes.code()).as(yes.describe()).isZero();
        assertThat(yes.out()).endsWith("destroying instance " + a + ".\n");
        assertThat(Rent.show(server, renter.key(), a).isNull()).isTrue();

        var gone = cli.run("show", "instance", Long.toString(a));
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("Instance " + a + " not found or no longer exists.\n");

        long b = Rent.one(server, renter.key(), m);
        long c = Rent.one(server, renter.key(), m);
        var many = cli.run("destroy", "instances", "-y", Long.toString(b), Long.toString(c));
        assertThat(many.out()).isEqualTo("destroying instance [" + b + ", " + c + "].\n");
        assertThat(proxy.last().bodyText()).isEqualTo("{\"instance_ids\": [" + b + ", " + c + "]}");
        assertThat(cli.run("show", "instances", "-q").out()).isEmpty();
    }

    @Test
    void ssh_url_and_scp_url_print_the_instances_ssh_address() {
        TestServer.Account renter = Rent.renter(server);
        long a = Rent.one(server, renter.key(), machine(1));
        JsonNode shown = Rent.show(server, renter.key(), a);
        String address = "root@" + shown.get("ssh_host").asText() + ":"
                + shown.get("ssh_port").asInt();
        assertThat(cli(renter).run("ssh-url", Long.toString(a)).out()).isEqualTo("ssh://" + address + "\n");
        assertThat(cli(renter).run("scp-url", Long.toString(a)).out()).isEqualTo("scp://" + address + "\n");
        var missing = cli(renter).run("ssh-url", "987654");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("error: no instance found with id 987654\n");
    }

    @Test
    void another_users_instance_is_not_found_and_not_changed() {
        TestServer.Account owner = Rent.renter(server);
        TestServer.Account other = Rent.renter(server);
        long a = Rent.one(server, owner.key(), machine(1));
        assertThat(cli(other).run("show", "instance", Long.toString(a)).code()).isEqualTo(1);
        var label = cli(other).run("label", "instance", Long.toString(a), "mine now");
        assertThat(label.code()).isEqualTo(1);
        assertThat(label.err()).startsWith("Failed with error 404: ");
        assertThat(Rent.show(server, owner.key(), a).get("label").isNull()).isTrue();
    }

    @Test
    void wait_gives_up_at_its_timeout_and_on_a_destroyed_instance() {
        TestServer.Account renter = Rent.renter(server);
        long a = Rent.one(server, renter.key(), machine(1));
        var timeout = cli(renter).run("wait", "instance", Long.toString(a), "--timeout", "1", "--interval", "0.2");
        assertThat(timeout.code()).as(timeout.describe()).isEqualTo(124);
        assertThat(timeout.err())
                .startsWith("timed out after 1 s: instance " + a + " is ")
                .endsWith(", not running\n");
        assertThat(timeout.out()).isEmpty();

        assertThat(cli(renter)
                        .run("destroy", "instance", "-y", Long.toString(a))
                        .code())
                .isZero();
        var gone = cli(renter).run("wait", "instance", Long.toString(a));
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("instance " + a + " does not exist (destroyed?); it will never be running\n");
    }
}
