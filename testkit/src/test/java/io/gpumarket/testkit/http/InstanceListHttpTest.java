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

/** {@code GET /api/v1/instances/}: keyset pages of at most 25, filters on stored fields, order, columns. */
class InstanceListHttpTest {
    static final int COUNT = 30;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static List<Long> ids = new ArrayList<>();

    @BeforeAll
    static void start() {
        TestServer.Account host = server.newUser();
        renter = server.newRenter();
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 32, "Oslo, NO", 49000), 0.4, Map.of("verification", "verified"));
        for (int i = 0; i < COUNT; i++) {
            String label = i % 3 == 0 ? "null" : i % 3 == 1 ? "\"train\"" : "\"eval\"";
            ids.add(Rentals.rent(
                            server,
                            renter,
                            m.id(),
                            1,
                            "{\"image\": \"busybox\", \"disk\": 10, \"label\": " + label + "}")
                    .id());
        }
        // Every fifth instance runs, as its agent says.
        var agent = server.agent(m);
        for (int i = 0; i < COUNT; i += 5) agent.report(ids.get(i), "running");
        server.hostMachine(host, TestMachines.machine("RTX 3090", 1, "Lyon, FR", 49200), 0.2, Map.of());
        Rentals.rentOne(
                server,
                server.newRenter(),
                server.app().store().repos().machines().byHost(host.id()).get(1).id());
    }

    static Http.Response list(String query) {
        return Http.get(server.url() + "/api/v1/instances/" + (query.isEmpty() ? "" : "?" + query), renter.key());
    }

    static String q(String name, String json) {
        return name + "=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    static List<Long> idsOf(JsonNode answer) {
        List<Long> out = new ArrayList<>();
        answer.get("instances").forEach(i -> out.add(i.get("id").asLong()));
        return out;
    }

    @Test
    void thirty_instances_come_in_two_pages_joined_by_the_next_token() {
        var first = list("");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("success").asBoolean()).isTrue();
        assertThat(first.json().get("instances_found").asInt()).isEqualTo(25);
        assertThat(first.json().get("total_instances").asInt()).isEqualTo(COUNT);
        String token = first.json().get("next_token").asText();
        assertThat(token).isNotBlank();

        var second = list(q("after_token", token));
        assertThat(second.json().get("instances_found").asInt()).isEqualTo(5);
        assertThat(second.json().get("next_token").isNull()).isTrue();

        List<Long> all = new ArrayList<>(idsOf(first.json()));
        all.addAll(idsOf(second.json()));
        assertThat(all).containsExactlyElementsOf(ids);
    }

    @Test
    void the_query_string_the_vastai_cli_sends_is_understood() {
        var r = list(
                "select_filters=%7B%7D&order_by=%5B%7B%22col%22%3A+%22id%22%2C+%22dir%22%3A+%22asc%22%7D%5D&limit=25");

        assertThat(r.status()).isEqualTo(200);
        assertThat(idsOf(r.json())).containsExactlyElementsOf(ids.subList(0, 25));
    }

    @Test
    void descending_order_pages_of_ten_visit_every_instance_once() {
        String order = q("order_by", "[{\"col\": \"id\", \"dir\": \"desc\"}]");
        List<Long> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var r = list(order + "&limit=10" + (token == null ? "" : "&" + q("after_token", token)));
            assertThat(r.status()).isEqualTo(200);
            seen.addAll(idsOf(r.json()));
            token = r.json().get("next_token").isNull()
                    ? null
                    : r.json().get("next_token").asText();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
    }

    @Test
    void ordering_by_label_keeps_id_as_the_tiebreak_across_pages() {
        String order = q("order_by", "[{\"col\": \"label\", \"dir\": \"asc\"}]");
        var first = list(order + "&limit=12");
        var second = list(order + "&limit=12&"
                + q("after_token", first.json().get("next_token").asText()));
        List<String> labels = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (var page : List.of(first.json(), second.json())) {
            page.get("instances").forEach(i -> {
                labels.add(i.get("label").isNull() ? "" : i.get("label").asText());
                seen.add(i.get("id").asLong());
            });
        }

        assertThat(labels.subList(0, 10)).containsOnly("");
        assertThat(labels.subList(10, 20)).containsOnly("eval");
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 10)).isSorted();
    }

    @Test
    void filters_select_on_stored_fields_including_the_shown_actual_status() {
        assertThat(idsOf(list(q("select_filters", "{\"actual_status\": {\"eq\": \"running\"}}"))
                        .json()))
                .containsExactly(ids.get(0), ids.get(5), ids.get(10), ids.get(15), ids.get(20), ids.get(25));
        assertThat(list(q("select_filters", "{\"label\": {\"in\": [null, \"train\"]}}"))
                        .json()
                        .get("total_instances")
                        .asInt())
                .isEqualTo(20);
        assertThat(list(q(
                                "select_filters",
                                "{\"label\": {\"notin\": [\"train\"]}, \"id\": {\"gt\": \"" + ids.get(14) + "\"}}"))
                        .json()
                        .get("total_instances")
                        .asInt())
                .isEqualTo(10);
        assertThat(list(q(
                                "select_filters",
                                "{\"gpu_name\": {\"eq\": \"RTX 4090\"}, \"verification\": {\"eq\": \"verified\"},"
                                        + " \"num_gpus\": {\"gte\": 1}}"))
                        .json()
                        .get("total_instances")
                        .asInt())
                .isEqualTo(COUNT);
        assertThat(list(q("select_filters", "{\"intended_status\": {\"neq\": \"running\"}}"))
                        .json()
                        .get("total_instances")
                        .asInt())
                .isZero();
    }

    @Test
    void label_counts_count_every_instance_by_label_with_unlabelled_as_empty() {
        JsonNode counts = list(q("select_filters", "{\"label\": {\"eq\": \"train\"}}"))
                .json()
                .get("label_counts");

        assertThat(counts.get("").asInt()).isEqualTo(10);
        assertThat(counts.get("train").asInt()).isEqualTo(10);
        assertThat(counts.get("eval").asInt()).isEqualTo(10);
    }

    @Test
    void computed_fields_are_not_valid_search_keys() {
        var r = list(q("select_filters", "{\"dph_total\": {\"lte\": 1}}"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.json().get("msg").asText())
                .isEqualTo("Error in query parameters: dph_total is not a valid search key");
        assertThat(list(q("order_by", "[{\"col\": \"dph_total\"}]")).status()).isEqualTo(400);
        assertThat(list(q("select_filters", "{\"id\": {\"like\": 3}}")).status())
                .isEqualTo(400);
        assertThat(list(q("select_filters", "{not json")).status()).isEqualTo(400);
    }

    @Test
    void select_cols_trims_each_instance_to_the_named_fields() {
        var r = list(q("select_cols", "[\"id\", \"label\", \"no_such_field\"]") + "&limit=2");

        JsonNode first = r.json().get("instances").get(0);
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.get("id").asLong()).isEqualTo(ids.get(0));
        assertThat(first.get("no_such_field").isNull()).isTrue();
    }

    @Test
    void limits_above_25_are_25_and_limits_below_one_are_5() {
        assertThat(list("limit=100").json().get("instances_found").asInt()).isEqualTo(25);
        assertThat(list("limit=0").json().get("instances_found").asInt()).isEqualTo(5);
    }

    @Test
    void a_token_from_elsewhere_or_from_another_order_is_invalid_token() {
        String token = list("limit=5").json().get("next_token").asText();

        var otherOrder = list(q("order_by", "[{\"col\": \"id\", \"dir\": \"desc\"}]") + "&" + q("after_token", token));
        var garbage = list(q("after_token", "not-a-token"));

        assertThat(otherOrder.status()).isEqualTo(400);
        assertThat(otherOrder.json().get("error").asText()).isEqualTo("invalid_token");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("error").asText()).isEqualTo("invalid_token");
    }
}
