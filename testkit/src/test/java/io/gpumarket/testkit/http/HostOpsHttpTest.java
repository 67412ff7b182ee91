package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host's routes (docs/vast-compatibility.md §h) with the bodies the vastai CLI sends: listing with prices, min bid and a rolling
 * duration, min bid, maintenance windows seen by renters, renters' reports, and the owner-only rule.
 */
class HostOpsHttpTest {
    static final AtomicInteger PORTS = new AtomicInteger(46000);
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    static TestServer.Account host;
    static TestServer.Account alice;
    static TestServer.Account bob;

    @BeforeAll
    static void start() {
        host = server.newUser();
        alice = server.newRenter();
        bob = server.newRenter();
    }

    /** A machine of the host's, registered but not listed. */
    static long newMachine() {
        return host.client()
                .registerMachine(TestMachines.machine("RTX 4090", 4, "Oslo, NO", PORTS.getAndAdd(100)))
                .machineId();
    }

    static long listedMachine(double price) {
        long id = newMachine();
        assertThat(list(host, "{\"machine\": " + id + ", \"price_gpu\": " + price + "}")
                        .status())
                .isEqualTo(200);
        return id;
    }

    static Http.Response list(TestServer.Account who, String body) {
        return Http.put(server.api() + "/machines/create_asks/", who.key(), body);
    }

    static JsonNode machine(long id) {
        var r = Http.get(server.api() + "/machines/" + id + "?owner=me", host.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        return r.json().get(0);
    }

    static double epochNow() {
        return CLOCK.instant().toEpochMilli() / 1000.0;
    }

    @Test
    void a_host_lists_a_machine_with_prices_min_bid_and_a_rolling_duration_that_offers_carry() {
        long id = newMachine();
        var r = list(host, """
                {"machine": %d, "price_gpu": 0.45, "price_disk": 0.2, "price_inetu": 0.01, "price_inetd": 0.02,
                 "price_min_bid": 0.25, "min_chunk": 2, "end_date": null, "credit_discount_max": 0.3, "duration": "3 days",
                 "vol_size": null, "vol_price": null}""".formatted(id));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();

        JsonNode m = machine(id);
        assertThat(m.get("listed_gpu_cost").asDouble()).isEqualTo(0.45);
        assertThat(m.get("min_bid_price").asDouble()).isEqualTo(0.25);
        assertThat(m.get("listed_storage_cost").asDouble()).isEqualTo(0.2);
        assertThat(m.get("listed_inet_up_cost").asDouble()).isEqualTo(0.01);
        assertThat(m.get("listed_inet_down_cost").asDouble()).isEqualTo(0.02);
        assertThat(m.get("credit_discount_max").asDouble()).isEqualTo(0.3);
        assertThat(m.get("min_chunk").asInt()).isEqualTo(2);
        assertThat(m.get("end_date").asDouble()).isCloseTo(epochNow() + 3 * 86400, within(1.0));

        List<JsonNode> offers = Rentals.offers(server, alice.key(), id);
        assertThat(offers).extracting(o -> o.get("num_gpus").asInt()).containsExactlyInAnyOrder(2, 4);
        for (JsonNode o : offers) {
            assertThat(o.get("duration").asDouble()).isCloseTo(3 * 86400, within(1.0));
            assertThat(o.get("end_date").asDouble()).isEqualTo(m.get("end_date").asDouble());
            assertThat(o.get("min_bid").asDouble())
                    .isGreaterThanOrEqualTo(0.25 * o.get("num_gpus").asInt() - 1e-9);
        }

        // The duration rolls: two days later the upkeep moves the end date to three days from then.
        CLOCK.advance(Duration.ofDays(2));
        assertThat(server.app().machines().rollListings()).isGreaterThanOrEqualTo(1);
        assertThat(machine(id).get("end_date").asDouble()).isCloseTo(epochNow() + 3 * 86400, within(1.0));
        assertThat(Rentals.offers(server, alice.key(), id)
                        .get(0)
                        .get("duration")
                        .asDouble())
                .isCloseTo(3 * 86400, within(1.0));
    }

    @Test
    void a_fixed_end_date_is_not_rolled() {
        long id = newMachine();
        double end = Math.floor(epochNow()) + 86400;
        assertThat(list(host, "{\"machine\": " + id + ", \"price_gpu\": 0.3, \"end_date\": " + end + "}")
                        .status())
                .isEqualTo(200);
        CLOCK.advance(Duration.ofHours(1));
        server.app().machines().rollListings();
        assertThat(machine(id).get("end_date").asDouble()).isEqualTo(end);
    }

    @Test
    void raising_prices_changes_new_offers_but_never_a_running_contract() {
        long id = listedMachine(0.40);
        var rented = Rentals.rentOne(server, alice, id);
        assertThat(list(host, "{\"machine\": " + id + ", \"price_gpu\": 0.90, \"price_disk\": 0.5}")
                        .status())
                .isEqualTo(200);

        JsonNode instance = Rentals.show(server, alice.key(), rented.id());
        assertThat(instance.get("dph_base").asDouble()).isEqualTo(0.40);
        assertThat(instance.get("storage_cost").asDouble()).isEqualTo(0.10);
        JsonNode offer = Rentals.offers(server, bob.key(), id).get(0);
        assertThat(offer.get("dph_base").asDouble() / offer.get("num_gpus").asInt())
                .isCloseTo(0.90, within(1e-9));
        assertThat(offer.get("storage_cost").asDouble()).isEqualTo(0.5);
    }

    @Test
    void set_min_bid_changes_the_floor_and_needs_a_listed_machine_and_a_price() {
        long id = listedMachine(0.5);
        var r = Http.put(
                server.api() + "/machines/" + id + "/minbid/", host.key(), "{\"client_id\": \"me\", \"price\": 0.2}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("you_sent").get("price").asDouble()).isEqualTo(0.2);
        assertThat(machine(id).get("min_bid_price").asDouble()).isEqualTo(0.2);
        assertThat(machine(id).get("listed_gpu_cost").asDouble()).isEqualTo(0.5);

        var noPrice = Http.put(server.api() + "/machines/" + id + "/minbid/", host.key(), "{\"client_id\": \"me\"}");
        assertThat(noPrice.status()).isEqualTo(400);
        assertThat(noPrice.json().get("msg").asText()).contains("price");
        long unlisted = newMachine();
        var notListed = Http.put(
                server.api() + "/machines/" + unlisted + "/minbid/",
                host.key(),
                "{\"client_id\": \"me\", \"price\": 0.2}");
        assertThat(notListed.status()).isEqualTo(400);
        assertThat(notListed.json().get("error").asText()).isEqualTo("invalid_args");
    }

    @Test
    void a_maintenance_window_shows_on_the_renters_instances_and_in_the_hosts_list_until_cancelled() {
        long id = listedMachine(0.3);
        var rented = Rentals.rentOne(server, alice, id);
        double start = Math.floor(epochNow()) + 7200;
        var r = Http.put(
                server.api() + "/machines/" + id + "/dnotify/",
                host.key(),
                "{\"client_id\": \"me\", \"sdate\": " + start
                        + ", \"duration\": 1.5, \"maintenance_category\": \"power\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("you_sent").asText()).isEqualTo("1 notifications sent");

        var listed = Http.get(
                server.api() + "/machines/maintenances?owner=me&machine_ids=" + Http.encode("[" + id + "]"),
                host.key());
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().isArray()).isTrue();
        assertThat(listed.json()).hasSize(1);
        JsonNode w = listed.json().get(0);
        assertThat(w.get("machine_id").asLong()).isEqualTo(id);
        assertThat(w.get("start_time").asDouble()).isEqualTo(start);
        assertThat(w.get("end_time").asDouble()).isEqualTo(start + 5400);
        assertThat(w.get("duration_hours").asDouble()).isEqualTo(1.5);
        assertThat(w.get("maintenance_category").asText()).isEqualTo("power");

        JsonNode shown = Rentals.show(server, alice.key(), rented.id()).get("maintenances");
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).get("start_time").asDouble()).isEqualTo(start);
        var v1 = Http.get(server.api().replace("/v0", "/v1") + "/instances/", alice.key())
                .json()
                .get("instances");
        assertThat(v1.findValues("maintenances")).anySatisfy(m -> assertThat(m).hasSize(1));

        var cancelled = Http.put(
                server.api() + "/machines/" + id + "/cancel_maint/",
                host.key(),
                "{\"client_id\": \"me\", \"machine_id\": " + id + "}");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("msg").asText())
                .isEqualTo("deleted 1 scheduled maintenance window(s) on machine " + id);
        assertThat(Rentals.show(server, alice.key(), rented.id()).get("maintenances"))
                .isEmpty();
        assertThat(Http.get(server.api() + "/machines/maintenances?owner=me&machine_ids=[" + id + "]", host.key())
                        .json())
                .isEmpty();
    }

    @Test
    void a_window_ends_by_itself_and_bad_windows_are_refused() {
        long id = listedMachine(0.3);
        double start = Math.floor(epochNow());
        assertThat(Http.put(
                                server.api() + "/machines/" + id + "/dnotify/",
                                host.key(),
                                "{\"sdate\": " + start + ", \"duration\": 1, \"maintenance_category\": \"gpu\"}")
                        .status())
                .isEqualTo(200);
        String all = server.api() + "/machines/maintenances?owner=me";
        assertThat(Http.get(all, host.key()).json().findValuesAsText("machine_id"))
                .contains(Long.toString(id));
        CLOCK.advance(Duration.ofHours(2));
        assertThat(Http.get(all, host.key()).json().findValuesAsText("machine_id"))
                .doesNotContain(Long.toString(id));

        var weather = Http.put(
                server.api() + "/machines/" + id + "/dnotify/",
                host.key(),
                "{\"sdate\": " + epochNow() + ", \"duration\": 1, \"maintenance_category\": \"weather\"}");
        assertThat(weather.status()).isEqualTo(400);
        assertThat(weather.json().get("msg").asText()).contains("maintenance_category");
        var noDuration =
                Http.put(server.api() + "/machines/" + id + "/dnotify/", host.key(), "{\"sdate\": " + epochNow() + "}");
        assertThat(noDuration.status()).isEqualTo(400);
    }

    @Test
    void the_maintenances_route_is_not_taken_for_a_machine_id_and_a_word_for_an_id_is_refused_cleanly() {
        var list = Http.get(server.api() + "/machines/maintenances", host.key());
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        var word = Http.get(server.api() + "/machines/abc/", host.key());
        assertThat(word.status()).isEqualTo(400);
        assertThat(word.contentType()).isEqualTo("application/json");
        assertThat(word.json().get("success").asBoolean()).isFalse();
        assertThat(word.json().get("error").asText()).isEqualTo("invalid_args");
        var bad =
                Http.get(server.api() + "/machines/maintenances?machine_ids=" + Http.encode("[1, \"x\"]"), host.key());
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void a_renter_reports_a_machine_and_its_host_reads_the_report() {
        long id = listedMachine(0.3);
        var rented = Rentals.rentOne(server, alice, id);
        assertThat(machine(id).get("num_reports").asInt()).isZero();
        var filed = Http.post(
                server.api() + "/instances/" + rented.id() + "/reports/",
                alice.key(),
                "{\"problem\": \"GPU not detected\", \"message\": \"nvidia-smi finds no device\"}");
        assertThat(filed.status()).as(filed.body()).isEqualTo(200);

        // vastai sends this GET with a JSON body
        var reports = Http.call(
                "GET", server.api() + "/machines/" + id + "/reports/", host.key(), "{\"machine_id\": " + id + "}");
        assertThat(reports.status()).as(reports.body()).isEqualTo(200);
        assertThat(reports.json()).hasSize(1);
        JsonNode report = reports.json().get(0);
        assertThat(report.get("problem").asText()).isEqualTo("GPU not detected");
        assertThat(report.get("message").asText()).isEqualTo("nvidia-smi finds no device");
        assertThat(report.get("created_at").asDouble()).isEqualTo(epochNow());
        assertThat(machine(id).get("num_reports").asInt()).isEqualTo(1);
        var all = Http.get(server.api() + "/machines/?owner=me", host.key())
                .json()
                .get("machines");
        JsonNode listed = null;
        for (JsonNode m : all) if (m.get("id").asLong() == id) listed = m;
        assertThat(listed).isNotNull();
        assertThat(listed.get("num_reports").asInt()).isEqualTo(1);
    }

    @Test
    void a_destroyed_instance_can_still_be_reported_but_not_someone_elses_and_not_without_a_problem() {
        long id = listedMachine(0.3);
        var rented = Rentals.rentOne(server, alice, id);
        assertThat(Http.delete(server.api() + "/instances/" + rented.id() + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        String url = server.api() + "/instances/" + rented.id() + "/reports/";
        assertThat(Http.post(url, alice.key(), "{\"problem\": \"crashed twice\"}")
                        .status())
                .isEqualTo(200);
        var bobs = Http.post(url, bob.key(), "{\"problem\": \"not mine\"}");
        assertThat(bobs.status()).isEqualTo(404);
        assertThat(bobs.json().get("success").asBoolean()).isFalse();
        var empty = Http.post(url, alice.key(), "{\"message\": \"no problem given\"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("msg").asText()).contains("problem");
        assertThat(machine(id).get("num_reports").asInt()).isEqualTo(1);
    }

    @Test
    void someone_who_does_not_own_the_machine_gets_403_on_every_host_route() {
        long id = listedMachine(0.3);
        String m = server.api() + "/machines/" + id;
        List<Http.Response> refused = List.of(
                Http.get(m + "/", bob.key()),
                list(bob, "{\"machine\": " + id + ", \"price_gpu\": 0.01}"),
                Http.delete(m + "/asks/", bob.key(), "{}"),
                Http.put(m + "/minbid/", bob.key(), "{\"client_id\": \"me\", \"price\": 0.01}"),
                Http.put(
                        m + "/dnotify/",
                        bob.key(),
                        "{\"sdate\": " + epochNow() + ", \"duration\": 1, \"maintenance_category\": \"power\"}"),
                Http.put(m + "/cancel_maint/", bob.key(), "{\"client_id\": \"me\", \"machine_id\": " + id + "}"),
                Http.get(server.api() + "/machines/maintenances?owner=me&machine_ids=[" + id + "]", bob.key()),
                Http.call("GET", m + "/reports/", bob.key(), "{\"machine_id\": " + id + "}"));
        for (Http.Response r : refused) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(r.json().get("error").asText()).isEqualTo("not_authorized");
        }
        // nothing changed
        JsonNode still = machine(id);
        assertThat(still.get("listed").asBoolean()).isTrue();
        assertThat(still.get("listed_gpu_cost").asDouble()).isEqualTo(0.3);
        assertThat(Http.get(server.api() + "/machines/maintenances?owner=me&machine_ids=[" + id + "]", host.key())
                        .json())
                .isEmpty();
    }

    @Test
    void verification_set_by_an_admin_decides_the_verified_filter_of_search() {
        long id = listedMachine(0.3);
        String verified = "{\"machine_id\": {\"eq\": " + id + "}, \"verified\": {\"eq\": true}}";
        assertThat(search(verified)).isEmpty();
        server.admin().adminSetMachine(id, java.util.Map.of("verification", "verified"));
        assertThat(search(verified))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("verification").asText()).isEqualTo("verified"));
        server.admin().adminSetMachine(id, java.util.Map.of("verification", "deverified"));
        assertThat(search(verified)).isEmpty();
        assertThat(search("{\"machine_id\": {\"eq\": " + id + "}, \"verified\": {\"eq\": false}}"))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("verification").asText()).isEqualTo("deverified"));
        assertThat(machine(id).get("verification").asText()).isEqualTo("deverified");
        var bad = Http.put(
                server.api() + "/admin/machines/" + id + "/", server.adminKey(), "{\"verification\": \"trusted\"}");
        assertThat(bad.status()).isEqualTo(400);
    }

    static List<JsonNode> search(String query) {
        var r = Http.post(server.api() + "/bundles/", alice.key(), query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        r.json().get("offers").forEach(out::add);
        return out;
    }
}
