package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminHttpTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_admin_creates_an_account_whose_key_works_at_once() {
        var r = Http.post(server.api() + "/admin/users/", server.adminKey(), "{\"email\":\"carol@test.local\",\"username\":\"carol\"}");
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
        var r = Http.post(server.api() + "/admin/users/", server.adminKey(), "{\"email\":\"DUP@test.local\",\"username\":\"other\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("error").asText()).isEqualTo("user_exists");
    }

    @Test
    void credit_is_added_once_per_idempotency_key() {
        var user = server.newUser();
        server.admin().adminAddCredit(user.id(), 25.5, "first", "deposit-1");
        server.admin().adminAddCredit(user.id(), 25.5, "first again", "deposit-1");
        server.admin().adminAddCredit(user.id(), 4.5, "second", "deposit-2");
        assertThat(((Number) user.client().currentUser().get("credit")).doubleValue()).isEqualTo(30.0);
    }

    @Test
    void credit_of_a_missing_user_is_404_and_a_non_number_is_400() {
        var missing = Http.put(server.api() + "/admin/users/999999/credit/", server.adminKey(), "{\"amount\": 5}");
        assertThat(missing.status()).isEqualTo(404);
        var user = server.newUser();
        var bad = Http.put(server.api() + "/admin/users/" + user.id() + "/credit/", server.adminKey(), "{\"amount\": \"lots\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("msg").asText()).contains("amount");
    }
}
