package io.gpumarket.testkit.http;

import static io.gpumarket.testkit.http.Rentals.QUICKSTART_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code PUT /asks/{offer}/}: renting, what the new instance shows, and the create body's rules. */
class RentHttpTest {
    static final Map<String, Object> VERIFIED = Map.of("verification", "verified");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
    }

    static long machine(int gpus, int portStart) {
        return server.hostMachine(host, TestMachines.machine("RTX 4090", gpus, "Oslo, NO", portStart), 0.40, VERIFIED)
                .id();
    }

    @Test
    void renting_answers_the_new_contract_and_its_own_api_key() {
        long m = machine(1, 42000);
        var r = Rentals.rent(server, renter.key(), Rentals.offer(server, renter.key(), m, 1), QUICKSTART_BODY);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("new_contract").isIntegralNumber()).isTrue();
        assertThat(r.json().get("instance_api_key").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void the_new_instance_shows_every_field_with_the_type_clients_expect() {
        long m = machine(1, 42100);
        var rented = Rentals.rent(server, renter, m, 1, """
                {"image": "pytorch/pytorch", "disk": 20, "runtype": "ssh_direc ssh_proxy", "label": "typed",
                 "env": {"TZ": "UTC", "-p 8080:8080": "1", "-h": "box"}, "onstart": "echo hi"}""");

        JsonNode i = Rentals.show(server, renter.key(), rented.id());

        assertThat(i.get("id").asLong()).isEqualTo(rented.id());
        for (String number : List.of(
                "id",
                "machine_id",
                "host_id",
                "num_gpus",
                "ssh_port",
                "start_date",
                "end_date",
                "duration",
                "dph_base",
                "dph_total",
                "storage_cost",
                "storage_total_cost",
                "inet_up_cost",
                "inet_down_cost",
                "disk_space",
                "disk_usage",
                "disk_util",
                "cpu_util",
                "reliability2",
                "direct_port_start",
                "direct_port_end",
                "direct_port_count",
                "gpu_ram",
                "cpu_cores")) {
            assertThat(i.get(number).isNumber())
                    .as(number + " = " + i.get(number))
                    .isTrue();
        }
        for (String text : List.of(
                "gpu_name",
                "image_uuid",
                "image_runtype",
                "intended_status",
                "cur_state",
                "next_state",
                "ssh_host",
                "public_ipaddr",
                "verification",
                "geolocation",
                "jupyter_token",
                "ssh_idx")) {
            assertThat(i.get(text).isTextual()).as(text + " = " + i.get(text)).isTrue();
        }
        assertThat(i.get("extra_env").isArray()).isTrue();
        assertThat(i.get("extra_env").toString())
                .isEqualTo("[[\"TZ\",\"UTC\"],[\"-p 8080:8080\",\"1\"],[\"-h\",\"box\"]]");
        assertThat(i.get("image_args").isArray()).isTrue();
        assertThat(i.get("ports").isObject()).isTrue();
        assertThat(i.get("ports").size())
                .as("no ports before the agent says it runs")
                .isZero();
        assertThat(i.get("is_bid").asBoolean()).isFalse();
        assertThat(i.get("actual_status").isNull()).isTrue();
        assertThat(i.get("intended_status").asText()).isEqualTo("running");
        assertThat(i.get("cur_state").asText()).isEqualTo("running");
        assertThat(i.get("image_uuid").asText()).isEqualTo("pytorch/pytorch");
        assertThat(i.get("image_runtype").asText()).isEqualTo("ssh_direc ssh_proxy");
        assertThat(i.get("label").asText()).isEqualTo("typed");
        assertThat(i.get("onstart").asText()).isEqualTo("echo hi");
        assertThat(i.get("gpu_name").asText()).isEqualTo("RTX 4090");
        assertThat(i.get("ssh_host").asText()).isEqualTo("127.0.0.1");
        assertThat(i.get("ssh_port").asInt()).isEqualTo(42100);
        assertThat(i.get("dph_base").asDouble()).isEqualTo(0.40);
        assertThat(i.get("storage_total_cost").asDouble())
                .isEqualTo(0.15 * 20 / 720, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(i.get("dph_total").asDouble())
                .isEqualTo(0.40 + 0.15 * 20 / 720, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(i.get("disk_space").asDouble()).isEqualTo(20.0);
        assertThat(i.get("start_date").asDouble()).isPositive();
    }

    @Test
    void renting_frees_the_offer_id_and_offers_the_remaining_gpus_under_new_ids() {
        long m = machine(4, 42200);
        List<Long> before = Rentals.offers(server, renter.key(), m).stream()
                .map(o -> o.get("id").asLong())
                .toList();

        Rentals.rent(server, renter, m, 1, QUICKSTART_BODY);

        List<JsonNode> after = Rentals.offers(server, renter.key(), m);
        assertThat(Rentals.freeGpus(server, m)).isEqualTo(3);
        assertThat(after).extracting(o -> o.get("num_gpus").asInt()).containsExactlyInAnyOrder(1, 2);
        assertThat(after)
                .allSatisfy(o -> assertThat(o.get("id").asLong())
                        .isGreaterThan(before.stream().max(Long::compare).orElseThrow()));
    }

    @Test
    void an_offer_rented_already_is_no_such_ask_404_or_410_with_cancel_unavail() {
        long m = machine(1, 42300);
        long offer = Rentals.offer(server, renter.key(), m, 1);
        assertThat(Rentals.rent(server, renter.key(), offer, QUICKSTART_BODY).status())
                .isEqualTo(200);

        var again = Rentals.rent(server, renter.key(), offer, QUICKSTART_BODY);
        var cancel = Rentals.rent(server, renter.key(), offer, "{\"image\": \"busybox\", \"cancel_unavail\": true}");

        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asText()).isEqualTo("no_such_ask");
        assertThat(again.json().get("msg").asText()).isEqualTo("Instance type by id " + offer + " is not available.");
        assertThat(cancel.status()).isEqualTo(410);
        assertThat(cancel.json().get("error").asText()).isEqualTo("no_such_ask");
        assertThat(Rentals.rent(server, renter.key(), 987_654_321L, QUICKSTART_BODY)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void published_ports_get_the_lowest_free_host_ports_of_the_machine_range() {
        long m = machine(2, 42400);
        var first = Rentals.rent(
                server, renter, m, 1, "{\"image\": \"busybox\", \"env\": \"-e A=1 -p 8080:8080 -p 9000:9000/udp\"}");
        var second = Rentals.rent(server, renter, m, 1, "{\"image\": \"busybox\", \"env\": {\"-p 8888:8888\": \"1\"}}");

        var a = server.app().store().repos().instances().find(first.id()).orElseThrow();
        var b = server.app().store().repos().instances().find(second.id()).orElseThrow();
        assertThat(a.sshPort()).isEqualTo(42400);
        assertThat(a.ports()).containsExactly(Map.entry("8080/tcp", 42401), Map.entry("9000/udp", 42402));
        assertThat(a.launch().env()).extracting(e -> e.key()).containsExactly("A", "-p 8080:8080", "-p 9000:9000/udp");
        assertThat(b.sshPort()).isEqualTo(42403);
        assertThat(b.ports()).containsExactly(Map.entry("8888/tcp", 42404));
    }

    @Test
    void a_machine_without_enough_free_ports_refuses_and_keeps_its_gpus() {
        long m = server.hostMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 42500), 0.40, VERIFIED)
                .id();
        // 100 ports in the range: one instance asking for 100 published ports (plus SSH) cannot fit.
        StringBuilder env = new StringBuilder("{");
        for (int p = 1; p <= 100; p++)
            env.append(p > 1 ? "," : "")
                    .append("\"-p ")
                    .append(10_000 + p)
                    .append(':')
                    .append(10_000 + p)
                    .append("\":\"1\"");
        env.append('}');

        var r = Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), m, 1),
                "{\"image\": \"busybox\", \"env\": " + env + "}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText()).contains("free direct ports");
        assertThat(Rentals.freeGpus(server, m)).isEqualTo(2);
        assertThat(Rentals.offers(server, renter.key(), m)).hasSize(2);
    }

    @Test
    void the_create_body_is_checked_with_clear_messages() {
        long m = machine(1, 42600);
        long offer = Rentals.offer(server, renter.key(), m, 1);
        Map<String, String> refusals = Map.ofEntries(
                Map.entry("{\"disk\": 10}", "'image' is required"),
                Map.entry("{\"image\": \"busybox\", \"price\": \"cheap\"}", "'price'"),
                Map.entry("{\"image\": \"busybox\", \"disk\": 0.5}", "'disk' must be at least 1"),
                Map.entry("{\"image\": \"busybox\", \"disk\": 100000}", "more than offer " + offer),
                Map.entry("{\"image\": \"busybox\", \"disk\": \"lots\"}", "'disk' must be a number"),
                Map.entry("{\"image\": \"busybox\", \"runtype\": \"telnet\"}", "unknown token 'telnet'"),
                Map.entry("{\"image\": \"busybox\", \"runtype\": \"args jupyter\"}", "cannot be combined"),
                Map.entry("{\"image\": \"busybox\", \"target_state\": \"paused\"}", "'target_state'"),
                Map.entry(
                        "{\"image\": \"busybox\", \"label\": \"" + "x".repeat(257) + "\"}",
                        "'label' is longer than 256"),
                Map.entry("{\"image\": \"busybox\", \"onstart\": \"" + "x".repeat(4097) + "\"}", "limit is 4096"),
                Map.entry("{\"image\": \"busybox\", \"env\": {\"A\": \"" + "x".repeat(257) + "\"}}", "longer than 256"),
                Map.entry("{\"image\": \"busybox\", \"env\": {\"-p 99999:99999\": \"1\"}}", "ports 1-65535"),
                Map.entry("{\"image\": \"busybox\", \"env\": 7}", "env must be an object"),
                Map.entry("{\"image\": \"busybox\", \"args\": \"ls\"}", "'args' must be a list"),
                Map.entry(
                        "{\"image\": \"busybox\", \"template_id\": 5}",
                        "send the template's 'template_hash_id' instead"),
                Map.entry(
                        "{\"image\": \"busybox\", \"volume_info\": {\"create_new\": true}}",
                        "volume_info.volume_id must be a whole number"));

        refusals.forEach((body, message) -> {
            var r = Rentals.rent(server, renter.key(), offer, body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(r.json().get("msg").asText()).as(body).contains(message);
        });
        assertThat(Rentals.offer(server, renter.key(), m, 1))
                .as("nothing was rented")
                .isEqualTo(offer);
    }

    @Test
    void runtype_in_every_spelling_normalises_and_keeps_the_clients_tokens() {
        long m = machine(4, 42700);
        Map<String, String> expected =
                Map.of("ssh_direct", "ssh", "jupyter_direc ssh_direc ssh_proxy", "jupyter", "args", "args");
        expected.forEach((runtype, kind) -> {
            var rented =
                    Rentals.rent(server, renter, m, 1, "{\"image\": \"busybox\", \"runtype\": \"" + runtype + "\"}");
            var stored =
                    server.app().store().repos().instances().find(rented.id()).orElseThrow();
            assertThat(stored.launch().runtype().wire()).as(runtype).isEqualTo(kind);
            assertThat(stored.launch().imageRuntype()).isEqualTo(runtype);
            if (kind.equals("jupyter")) assertThat(stored.ports()).containsKey("8080/tcp");
        });
        var defaulted = Rentals.rent(server, renter, m, 1, "{\"image\": \"busybox\", \"args\": [\"ls\", \"-l\"]}");
        assertThat(Rentals.show(server, renter.key(), defaulted.id())
                        .get("image_runtype")
                        .asText())
                .isEqualTo("args");
        assertThat(Rentals.show(server, renter.key(), defaulted.id())
                        .get("image_args")
                        .toString())
                .isEqualTo("[\"ls\",\"-l\"]");
    }

    @Test
    void the_vastai_cli_create_body_with_its_nulls_is_accepted() {
        long m = machine(1, 42800);
        var r = Rentals.rent(server, renter.key(), Rentals.offer(server, renter.key(), m, 1), """
                {"client_id": "me", "image": "pytorch/pytorch", "env": {"-p 8081:8081/udp": "1", "-h": "billybob"},
                 "price": null, "disk": 40.0, "label": null, "extra": null, "onstart": "echo 'starting up'",
                 "image_login": null, "python_utf8": false, "lang_utf8": false, "use_jupyter_lab": false,
                 "jupyter_dir": null, "force": false, "cancel_unavail": false, "template_hash_id": null, "user": null,
                 "runtype": "ssh_direc ssh_proxy"}""");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode i =
                Rentals.show(server, renter.key(), r.json().get("new_contract").asLong());
        assertThat(i.get("label").isNull()).isTrue();
        assertThat(i.get("disk_space").asDouble()).isEqualTo(40.0);
    }

    @Test
    void a_stopped_target_state_creates_an_instance_that_should_not_run() {
        long m = machine(1, 42900);
        var rented = Rentals.rent(server, renter, m, 1, "{\"image\": \"busybox\", \"target_state\": \"stopped\"}");

        JsonNode i = Rentals.show(server, renter.key(), rented.id());
        assertThat(i.get("intended_status").asText()).isEqualTo("stopped");
        assertThat(Rentals.freeGpus(server, m))
                .as("its GPUs are held while stopped")
                .isZero();
    }

    @Test
    void prices_are_frozen_when_the_host_reprices() {
        long m = machine(2, 43000);
        var rented = Rentals.rent(server, renter, m, 1, QUICKSTART_BODY);

        Http.put(server.api() + "/machines/create_asks/", host.key(), "{\"machine\": " + m + ", \"price_gpu\": 9.99}");

        assertThat(Rentals.show(server, renter.key(), rented.id())
                        .get("dph_base")
                        .asDouble())
                .isEqualTo(0.40);
    }
}
