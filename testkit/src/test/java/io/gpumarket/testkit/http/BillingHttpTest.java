package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The billing pages over HTTP, in the shapes of docs/vast-compatibility.md §b.6: charges, invoices (v1 and legacy), host earnings. One
 * market for all: a host with two machines (the platform takes 10%), a renter with three instances run for an hour
 * each, the meter ticked once at the end.
 */
class BillingHttpTest {
    static final FakeClock CLOCK = new FakeClock();
    static final long DAY0 = FakeClock.DEFAULT_START.getEpochSecond();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .clock(CLOCK)
            .agentTimings(new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ZERO))
            .billing(BillingConfig.manual().withPlatformFeePercent(10))
            .perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static long machineA;
    static List<Long> instances = new ArrayList<>();
    static long templateId;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter(50);
        TestServer.Hosted a = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 4, "Oslo, NO", 53000), 0.5, Map.of("verification", "verified"));
        TestServer.Hosted b = server.hostMachine(
                host, TestMachines.machine("RTX 3090", 4, "Oslo, NO", 53100), 0.25, Map.of("verification", "verified"));
        machineA = a.id();
        TestAgent agentA = server.agent(a);
        TestAgent agentB = server.agent(b);
        instances.add(
                Rentals.rent(server, renter, a.id(), 1, "{\"image\": \"busybox\", \"disk\": 10, \"label\": \"one\"}")
                        .id());
        instances.add(Rentals.rent(server, renter, a.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id());
        var template = Http.post(server.api() + "/template/", renter.key(), """
                {"name": "billed", "image": "busybox", "runtype": "ssh", "recommended_disk_space": 10}""");
        templateId = template.json().get("template").get("id").asLong();
        String hash = template.json().get("template").get("hash_id").asText();
        instances.add(Rentals.rent(server, renter, b.id(), 1, "{\"template_hash_id\": \"" + hash + "\"}")
                .id());
        for (int k = 0; k < 2; k++) agentA.report(instances.get(k), "running");
        agentB.report(instances.get(2), "running");
        for (int minute = 10; minute <= 60; minute += 10) {
            CLOCK.advance(Duration.ofMinutes(10));
            agentA.sync();
            agentB.sync();
        }
        server.tick();
    }

    static String dayRange() {
        return Http.encode("{\"day\": {\"gte\": " + DAY0 + ", \"lte\": " + (DAY0 + 86_400) + "}}");
    }

    static JsonNode get(String path) {
        return getUrl(server.api() + path);
    }

    static JsonNode invoices(String query) {
        return getUrl(server.url() + "/api/v1/invoices/?" + query);
    }

    static JsonNode getUrl(String url) {
        var r = Http.get(url, renter.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void charges_list_each_instance_with_its_items_and_add_up_to_what_the_ledger_took() {
        JsonNode page = get("/charges/?format=tree&select_filters=" + dayRange());

        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("next_token").isNull()).isTrue();
        double sum = 0;
        for (JsonNode r : page.get("results")) {
            sum += r.get("amount").asDouble();
            assertThat(r.get("items"))
                    .extracting(i -> i.get("type").asText())
                    .containsExactly("gpu", "disk", "bwu", "bwd");
            assertThat(r.get("description").asText()).startsWith("Instance ").endsWith("Charges - 1.0 hours");
        }
        assertThat(page.get("results").get(0).get("metadata").get("label").asText())
                .isEqualTo("one");
        // the third was created from a template: vastai's show invoices-v1 --charges reads it from the metadata
        assertThat(page.get("results").get(0).get("metadata").get("template_id").isNull())
                .isTrue();
        assertThat(page.get("results").get(2).get("metadata").get("template_id").asLong())
                .isEqualTo(templateId);
        assertThat(page.get("results")
                        .get(0)
                        .get("items")
                        .get(0)
                        .get("description")
                        .asText())
                .isEqualTo("1.000 hours at $0.500/hour");
        double credit = Http.get(server.api() + "/users/current/", renter.key())
                .json()
                .get("credit")
                .asDouble();
        assertThat(Math.round(sum * 1e6)).isEqualTo(Math.round((50 - credit) * 1e6));
    }

    @Test
    void charges_page_with_a_token_and_the_table_format_leaves_items_out() {
        JsonNode first = get("/charges/?limit=2&latest_first=true&select_filters=" + dayRange());
        assertThat(first.get("count").asInt()).isEqualTo(2);
        assertThat(first.get("results").get(0).get("source").asText()).isEqualTo("instance-" + instances.get(2));
        assertThat(first.get("results").get(0).get("items")).isEmpty();
        JsonNode second = get("/charges/?limit=2&latest_first=true&select_filters=" + dayRange() + "&after_token="
                + first.get("next_token").asText());
        assertThat(second.get("count").asInt()).isEqualTo(1);
        assertThat(second.get("results").get(0).get("source").asText()).isEqualTo("instance-" + instances.get(0));
        assertThat(second.get("next_token").isNull()).isTrue();
    }

    @Test
    void charges_need_a_day_range_a_known_type_and_a_valid_token() {
        var noRange = Http.get(server.api() + "/charges/", renter.key());
        assertThat(noRange.status()).isEqualTo(400);
        assertThat(noRange.json().get("msg").asText())
                .isEqualTo("Must provide both 'day' gte and lte filters for instance charges");
        var badToken = Http.get(
                server.api() + "/charges/?select_filters=" + dayRange() + "&after_token=garbage", renter.key());
        assertThat(badToken.json().get("error").asText()).isEqualTo("invalid_token");
        assertThat(Http.get(server.api() + "/charges/?limit=501&select_filters=" + dayRange(), renter.key())
                        .status())
                .isEqualTo(400);
        var volumes = get("/charges/?select_filters="
                + Http.encode("{\"day\": {\"gte\": " + DAY0 + ", \"lte\": " + (DAY0 + 86_400)
                        + "}, \"type\": {\"in\": [\"volume\"]}}"));
        assertThat(volumes.get("total").asInt()).isZero();
    }

    @Test
    void invoices_list_deposits_and_transfers_with_vast_signs_and_filters() {
        TestServer.Account other = server.newUser();
        Http.put(
                server.api() + "/commands/transfer_credit/",
                renter.key(),
                "{\"sender\": \"me\", \"recipient\": \"" + other.id() + "\", \"amount\": 1.25}");
        String when = Http.encode("{\"when\": {\"gte\": " + DAY0 + ", \"lte\": " + (DAY0 + 86_400) + "}}");

        JsonNode all = invoices(
                "select_filters=" + when + "&order_by=" + Http.encode("[{\"col\": \"amount\", \"dir\": \"asc\"}]"));
        assertThat(all.get("total").asInt()).isEqualTo(2);
        JsonNode transfer = all.get("results").get(0);
        assertThat(transfer.get("type").asText()).isEqualTo("transfer");
        assertThat(transfer.get("amount").asDouble()).isEqualTo(-1.25);
        JsonNode credit = all.get("results").get(1);
        assertThat(credit.get("type").asText()).isEqualTo("credit");
        assertThat(credit.get("amount").asDouble())
                .as("credits are negative, as Vast lists them")
                .isEqualTo(-50.0);
        assertThat(credit.get("metadata").get("service").asText()).isEqualTo("manual");

        JsonNode transfers = invoices("select_filters="
                + Http.encode("{\"when\": {\"gte\": " + DAY0 + ", \"lte\": " + (DAY0 + 86_400)
                        + "}, \"service\": {\"in\": [\"transfer\"]}}"));
        assertThat(transfers.get("total").asInt()).isEqualTo(1);
    }

    @Test
    void invoices_without_a_date_range_answer_200_with_success_false() {
        var r = Http.get(server.url() + "/api/v1/invoices/", renter.key());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("error").asText()).isEqualTo("Invalid date range");
        assertThat(r.json().get("results")).isEmpty();
        assertThat(r.json().get("next_token").isNull()).isTrue();
    }

    @Test
    void the_legacy_invoice_report_has_payments_charges_and_the_current_totals() {
        JsonNode r = get("/users/me/invoices?owner=me&inc_charges=true&sdate=" + DAY0 + "&edate=" + (DAY0 + 86_400));

        assertThat(r.get("invoices"))
                .anySatisfy(row -> assertThat(row.get("type").asText()).isEqualTo("payment"));
        assertThat(r.get("invoices")).anySatisfy(row -> {
            assertThat(row.get("type").asText()).isEqualTo("charge");
            assertThat(row.get("instance_id").asLong()).isIn(instances);
        });
        assertThat(r.get("current").get("credit").isNumber()).isTrue();
        assertThat(r.get("current").get("charges").asDouble()).isPositive();
        assertThat(r.has("username")).isTrue();
        JsonNode payments = get("/users/me/invoices?inc_charges=false&sdate=" + DAY0 + "&edate=" + (DAY0 + 86_400));
        assertThat(payments.get("invoices"))
                .allSatisfy(row -> assertThat(row.get("type").asText()).isEqualTo("payment"));
    }

    @Test
    void hosts_see_their_earnings_per_machine_and_day_net_of_the_platform_fee() {
        double day = DAY0 / 86_400.0;
        var r = Http.get(
                server.api() + "/users/me/machine-earnings?owner=me&sday=" + day + "&eday=" + day + "&machid=null",
                host.key());
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = r.json();
        // 2 × $0.50 + $0.25 of GPU hours, 90% of it for the host
        assertThat(e.get("summary").get("total_gpu").asDouble()).isEqualTo(1.125);
        assertThat(e.get("per_machine")).hasSize(2);
        assertThat(e.get("per_machine").get(0).get("gpu_earn").asDouble()).isEqualTo(0.9);
        assertThat(e.get("per_day"))
                .singleElement()
                .satisfies(d -> assertThat(d.get("day").asLong()).isEqualTo(DAY0 / 86_400));
        assertThat(e.get("current").get("service_fee").asDouble()).isGreaterThanOrEqualTo(0.125);
        double hostCredit = Http.get(server.api() + "/users/current/", host.key())
                .json()
                .get("credit")
                .asDouble();
        assertThat(hostCredit).isEqualTo(e.get("current").get("total").asDouble());

        var one = Http.get(
                server.api() + "/users/me/machine-earnings?sday=" + day + "&eday=" + day + "&machid=" + machineA,
                host.key());
        assertThat(one.json().get("per_machine")).hasSize(1);
    }

    @Test
    void another_accounts_reports_are_not_found() {
        assertThat(Http.get(server.api() + "/users/" + host.id() + "/invoices", renter.key())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void billing_routes_need_the_billing_permissions_of_a_scoped_key() {
        String instanceKey = Rentals.rent(server, renter, machineA, 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .key();
        var r = Http.get(server.api() + "/charges/?select_filters=" + dayRange(), instanceKey);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("msg").asText()).contains("billing_read");
        var t = Http.put(
                server.api() + "/commands/transfer_credit/", instanceKey, "{\"recipient\": \"1\", \"amount\": 1}");
        assertThat(t.json().get("msg").asText()).contains("billing_write");
    }
}
