package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SearchHttpTest {
    static final String QUICKSTART = """
            {"verified":{"eq":true},"rentable":{"eq":true},"gpu_name":{"eq":"RTX 4090"},"num_gpus":{"eq":1},
             "direct_port_count":{"gte":1},"order":[["dlperf_per_dphtotal","desc"]],"type":"on-demand","limit":5}""";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static long cheap4090;
    static long unverified4090;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
        var verified = Map.<String, Object>of("verification", "verified", "reliability", 0.99);
        cheap4090 = server.listMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 41000), 0.30, verified);
        server.listMachine(host, TestMachines.machine("RTX 4090", 1, "Austin, US", 41100), 0.45, verified);
        server.listMachine(host, TestMachines.machine("RTX 4090", 1, "Lima, PE", -1), 0.20, verified);
        unverified4090 = server.listMachine(
                host, TestMachines.machine("RTX 4090", 1, "Taipei, TW", 41200), 0.25, Map.of("reliability", 0.97));
        server.listMachine(host, TestMachines.machine("RTX 3090", 2, "Lyon, FR", 41300), 0.18, verified);
    }

    @Test
    void the_quickstart_search_finds_verified_single_4090s_with_ports_best_value_first() {
        var r = Http.post(server.api() + "/bundles/", renter.key(), QUICKSTART);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        List<JsonNode> offers = list(r.json().get("offers"));
        assertThat(offers).hasSize(2);
        assertThat(offers).allSatisfy(o -> {
            assertThat(o.get("gpu_name").asText()).isEqualTo("RTX 4090");
            assertThat(o.get("num_gpus").asInt()).isEqualTo(1);
            assertThat(o.get("verification").asText()).isEqualTo("verified");
            assertThat(o.get("direct_port_count").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(o.get("id").isIntegralNumber()).isTrue();
            assertThat(o.get("dph_total").isNumber()).isTrue();
        });
        assertThat(offers.get(0).get("machine_id").asLong()).isEqualTo(cheap4090);
        assertThat(offers.get(0).get("dlperf_per_dphtotal").asDouble())
                .isGreaterThan(offers.get(1).get("dlperf_per_dphtotal").asDouble());
    }

    @Test
    void numeric_strings_in_lists_and_ondemand_spelling_are_understood() {
        var r = Http.post(server.api() + "/bundles/", renter.key(), """
                {"gpu_name":{"in":["RTX 4090"]},"num_gpus":{"gte":"1"},"reliability":{"gte":0.5},
                 "verified":{"eq":true},"rentable":{"eq":true},"type":"ondemand","limit":3}""");
        assertThat(r.status()).isEqualTo(200);
        assertThat(list(r.json().get("offers")))
                .hasSize(3)
                .allSatisfy(o -> assertThat(o.get("gpu_name").asText()).isEqualTo("RTX 4090"));
    }

    @Test
    void the_legacy_get_with_q_and_the_new_put_search_asks_answer_the_same() {
        String q = URLEncoder.encode(QUICKSTART, StandardCharsets.UTF_8);
        var legacy = Http.get(server.api() + "/bundles/?q=" + q, renter.key());
        var newer = Http.put(
                server.api() + "/search/asks/", renter.key(), "{\"select_cols\":[\"*\"],\"q\":" + QUICKSTART + "}");
        var post = Http.post(server.api() + "/bundles/", renter.key(), QUICKSTART);
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(newer.status()).isEqualTo(200);
        assertThat(newer.json().get("success").asBoolean()).isTrue();
        assertThat(ids(legacy.json())).isEqualTo(ids(post.json())).isEqualTo(ids(newer.json()));
    }

    @Test
    void an_unknown_field_is_a_400_naming_it() {
        var r = Http.post(server.api() + "/bundles/", renter.key(), "{\"gpu_colour\":{\"eq\":\"red\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(r.json().get("msg").asText()).contains("gpu_colour");
    }

    /** Parsed queries are cached by body text: only valid ones, so a refused body is refused every time. */
    @Test
    void a_refused_query_is_refused_every_time_it_is_sent_and_a_valid_one_answers_the_same_every_time() {
        String refused = "{\"num_gpus\":{\"gte\":\"three\"}}";
        for (int k = 0; k < 3; k++) {
            var r = Http.post(server.api() + "/bundles/", renter.key(), refused);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("msg").asText()).contains("num_gpus");
        }
        var first = Http.post(server.api() + "/bundles/", renter.key(), QUICKSTART);
        var again = Http.post(server.api() + "/bundles/", renter.key(), QUICKSTART);
        assertThat(again.status()).isEqualTo(200);
        assertThat(ids(again.json())).isEqualTo(ids(first.json())).isNotEmpty();
    }

    @Test
    void a_word_where_a_number_belongs_is_a_400_naming_the_field() {
        var r = Http.post(server.api() + "/bundles/", renter.key(), "{\"num_gpus\":{\"gte\":\"two\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText()).contains("num_gpus");
    }

    @Test
    void explain_says_how_many_offers_each_filter_eliminated() {
        var r = Http.post(
                server.api() + "/bundles/",
                renter.key(),
                "{\"gpu_name\":{\"eq\":\"RTX 4090\"},\"verified\":{\"eq\":true},\"explain\":true}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode explain = r.json().get("explain");
        assertThat(explain).isNotNull();
        assertThat(r.body()).contains("gpu_name").contains("verified");
        assertThat(list(r.json().get("offers"))).hasSize(3);
    }

    @Test
    void the_index_follows_verification_and_unlisting_at_once() {
        String q = "{\"gpu_name\":{\"eq\":\"RTX 4090\"},\"verified\":{\"eq\":true},\"limit\":50}";
        assertThat(machines(
                        Http.post(server.api() + "/bundles/", renter.key(), q).json()))
                .doesNotContain(unverified4090);
        server.admin().adminSetMachine(unverified4090, Map.of("verification", "verified"));
        assertThat(machines(
                        Http.post(server.api() + "/bundles/", renter.key(), q).json()))
                .contains(unverified4090);
        var unlist = Http.call("DELETE", server.api() + "/machines/" + unverified4090 + "/asks/", host.key(), "{}");
        assertThat(unlist.status()).isEqualTo(200);
        assertThat(machines(
                        Http.post(server.api() + "/bundles/", renter.key(), q).json()))
                .doesNotContain(unverified4090);
    }

    @Test
    void gpu_names_are_served_without_a_key() {
        var r = Http.get(server.api() + "/gpu_names/unique/", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(list(r.json().get("gpu_names"))).extracting(JsonNode::asText).contains("RTX 4090", "RTX 3090");
    }

    @Test
    void relisting_a_machine_gives_its_offer_a_new_id() {
        var q = "{\"machine_id\":{\"eq\":" + cheap4090 + "}}";
        long before = list(Http.post(server.api() + "/bundles/", renter.key(), q)
                        .json()
                        .get("offers"))
                .get(0)
                .get("id")
                .asLong();
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\":" + cheap4090 + ",\"price_gpu\":0.31}");
        var after = list(
                Http.post(server.api() + "/bundles/", renter.key(), q).json().get("offers"));
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("id").asLong()).isNotEqualTo(before);
        assertThat(after.get(0).get("dph_base").asDouble()).isEqualTo(0.31);
    }

    @Test
    void rented_is_true_only_for_the_caller_who_holds_an_instance_on_the_machine() {
        long machine = server.listMachine(host, TestMachines.machine("RTX 3080", 2, "Kyiv, UA", 42000), 0.12, Map.of());
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = list(Http.post(server.api() + "/bundles/", renter.key(), q)
                        .json()
                        .get("offers"))
                .get(0)
                .get("id")
                .asLong();
        var rent =
                Http.put(server.api() + "/asks/" + offer + "/", renter.key(), "{\"image\": \"ubuntu\", \"disk\": 10}");
        assertThat(rent.status()).as(rent.body()).isEqualTo(200);

        var mine = list(
                Http.post(server.api() + "/bundles/", renter.key(), q).json().get("offers"));
        var theirs =
                list(Http.post(server.api() + "/bundles/", host.key(), q).json().get("offers"));
        assertThat(mine)
                .singleElement()
                .satisfies(o -> assertThat(o.get("rented").asBoolean()).isTrue());
        assertThat(theirs)
                .singleElement()
                .satisfies(o -> assertThat(o.get("rented").asBoolean()).isFalse());
        var notRented = Http.post(
                server.api() + "/bundles/",
                renter.key(),
                "{\"machine_id\": {\"eq\": " + machine + "}, \"rented\": {\"eq\": false}}");
        assertThat(list(notRented.json().get("offers"))).isEmpty();

        // destroying it ends "rented" for the caller at once
        long instance = rent.json().get("new_contract").asLong();
        assertThat(Http.delete(server.api() + "/instances/" + instance + "/", renter.key(), null)
                        .status())
                .isEqualTo(200);
        assertThat(list(Http.post(server.api() + "/bundles/", renter.key(), q)
                        .json()
                        .get("offers")))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("rented").asBoolean()).isFalse());
    }

    @Test
    void only_the_owner_may_list_a_machine() {
        var r = Http.put(
                server.api() + "/machines/create_asks/",
                renter.key(),
                "{\"machine\":" + cheap4090 + ",\"price_gpu\":0.01}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).isEqualTo("not_authorized");
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static List<Long> ids(JsonNode answer) {
        return list(answer.get("offers")).stream()
                .map(o -> o.get("id").asLong())
                .toList();
    }

    static List<Long> machines(JsonNode answer) {
        return list(answer.get("offers")).stream()
                .map(o -> o.get("machine_id").asLong())
                .toList();
    }
}
