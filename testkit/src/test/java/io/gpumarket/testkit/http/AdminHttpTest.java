package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void an_admin_creates_an_account_whose_key_works_at_once() {
        var r = Http.post(
                server.api() + "/admin/users/",
                server.adminKey(),
                "{\"email\":\"carol@test.local\",\"username\":\"carol\"}");
        assertThat(r.status()).isEqualTo(200);
        String key = r.json().get("api_key").asText();
        assertThat(key).hasSize(64).matches("[0-9a-f]+");
        var me = Http.get(server.api() + "/users/current/", key).json();
        assertThat(me.get("email").asText()).isEqualTo("carol@test.local");
        assertThat(me.get("credit").asDouble()).isZero();
    }

    @Test
    void a_second_account_with_the_same_email_is_refused_with_409() {
        Http.post(server.api() + "/admin/users/", server.adminKey(), "{\"email\":\"dup@test.local\"}");
        var r = Http.post(
                server.api() + "/admin/users/",
                server.adminKey(),
                "{\"email\":\"DUP@test.local\",\"username\":\"other\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("error").asText()).isEqualTo("user_exists");
    }

    @Test
    void credit_is_added_once_per_idempotency_key() {
        var user = server.newUser();
        server.admin().adminAddCredit(user.id(), 25.5, "first", "deposit-1");
        server.admin().adminAddCredit(user.id(), 25.5, "first again", "deposit-1");
        server.admin().adminAddCredit(user.id(), 4.5, "second", "deposit-2");
        assertThat(((Number) user.client().currentUser().get("credit")).doubleValue())
                .isEqualTo(30.0);
    }

    @Test
    void credit_of_a_missing_user_is_404_and_a_non_number_is_400() {
        var missing = Http.put(server.api() + "/admin/users/999999/credit/", server.adminKey(), "{\"amount\": 5}");
        assertThat(missing.status()).isEqualTo(404);
        var user = server.newUser();
        var bad = Http.put(
                server.api() + "/admin/users/" + user.id() + "/credit/", server.adminKey(), "{\"amount\": \"lots\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("msg").asText()).contains("amount");
    }

    @Test
    void a_refund_credits_the_renter_once_per_key_and_shows_in_their_invoices_with_its_reason() {
        var user = server.newUser();
        server.admin().adminRefund(user.id(), 3.25, "GPU fell off the bus", null, "refund-1");
        server.admin().adminRefund(user.id(), 3.25, "GPU fell off the bus", null, "refund-1");
        assertThat(((Number) user.client().currentUser().get("credit")).doubleValue())
                .isEqualTo(3.25);

        long now = System.currentTimeMillis() / 1000;
        String when = Http.encode("{\"when\": {\"gte\": " + (now - 3600) + ", \"lte\": " + (now + 3600) + "}}");
        var invoices = Http.get(server.url() + "/api/v1/invoices/?select_filters=" + when, user.key())
                .json();
        assertThat(invoices.get("total").asInt()).isEqualTo(1);
        var refund = invoices.get("results").get(0);
        assertThat(refund.get("type").asText()).isEqualTo("refund");
        assertThat(refund.get("amount").asDouble())
                .as("credits are negative, as Vast lists them")
                .isEqualTo(-3.25);
        assertThat(refund.get("description").asText()).contains("GPU fell off the bus");
    }

    @Test
    void a_refund_needs_a_positive_amount_a_reason_and_an_instance_of_that_renter() {
        var user = server.newUser();
        String url = server.api() + "/admin/users/" + user.id() + "/refund/";
        var negative = Http.put(url, server.adminKey(), "{\"amount\": -1, \"reason\": \"x\"}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("msg").asText()).contains("positive");
        var unexplained = Http.put(url, server.adminKey(), "{\"amount\": 1}");
        assertThat(unexplained.status()).isEqualTo(400);
        assertThat(unexplained.json().get("msg").asText()).contains("reason");
        var notTheirs = Http.put(url, server.adminKey(), "{\"amount\": 1, \"reason\": \"x\", \"instance_id\": 424242}");
        assertThat(notTheirs.status()).isEqualTo(400);
        assertThat(notTheirs.json().get("msg").asText()).contains("424242");
        assertThat(((Number) user.client().currentUser().get("credit")).doubleValue())
                .as("nothing was credited")
                .isZero();
    }
}
