package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account alice;

    @BeforeAll
    static void start() {
        alice = server.newUser();
    }

    @Test
    void current_user_answers_with_numbers_and_no_secret_but_the_key_presented() {
        var r = Http.get(server.api() + "/users/current/", alice.key());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        var u = r.json();
        assertThat(u.get("id").isNumber()).isTrue();
        assertThat(u.get("id").asLong()).isEqualTo(alice.id());
        assertThat(u.get("credit").isNumber()).isTrue();
        assertThat(u.get("balance").isNumber()).isTrue();
        assertThat(u.get("key_id").isNumber()).isTrue();
        assertThat(u.has("email")).isTrue();
        assertThat(u.get("ssh_key").isTextual()).isTrue();
        // as Vast's does (vast.py's `show user` reads it): the key the caller presented, and no other secret
        assertThat(u.get("api_key").asText()).isEqualTo(alice.key());
        assertThat(r.body().replaceFirst(alice.key(), "")).doesNotContain(alice.key());
    }

    @Test
    void the_legacy_api_key_query_parameter_is_accepted() {
        var r = Http.get(server.api() + "/users/current?api_key=" + alice.key() + "&owner=me", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asLong()).isEqualTo(alice.id());
    }

    @Test
    void routes_answer_with_and_without_the_trailing_slash() {
        assertThat(Http.get(server.api() + "/users/current", alice.key()).status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/users/current/", alice.key()).status())
                .isEqualTo(200);
    }

    @Test
    void no_key_is_refused_with_the_vast_error_body() {
        var r = Http.get(server.api() + "/users/current/", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("error").asText()).isEqualTo("auth_error");
        assertThat(r.json().get("msg").asText()).isEqualTo("This action requires login.");
    }

    @Test
    void an_unknown_key_is_refused_with_401() {
        var r = Http.get(server.api() + "/users/current/", "not-a-key");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("auth_error");
        assertThat(r.json().get("msg").asText()).isEqualTo("Invalid user key");
    }

    @Test
    void an_unknown_route_answers_404_in_the_vast_shape() {
        var r = Http.get(server.api() + "/no/such/route/", alice.key());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("msg").asText()).contains("/no/such/route");
    }

    @Test
    void admin_routes_refuse_a_renter_key() {
        var r = Http.post(server.api() + "/admin/users/", alice.key(), "{\"email\":\"x@y.z\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).isEqualTo("not_authorized");
    }
}
