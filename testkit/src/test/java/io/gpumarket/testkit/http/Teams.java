package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;

/** Steps of the team tests: a team, its invitations redeemed, members' team keys (docs/teams.md). */
final class Teams {
    private Teams() {}

    /** A team and its owner's team key. */
    record Team(long id, String name, String ownerKey) {}

    static String email(TestServer server, String key) {
        var r = Http.get(server.api() + "/users/current/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("email").asText();
    }

    static Team create(TestServer server, String ownerKey, String name, double transfer) {
        var r = Http.post(
                server.api() + "/team/",
                ownerKey,
                "{\"team_name\": \"" + name + "\", \"transfer_credit\": " + transfer + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Team(
                r.json().get("team_id").asLong(), name, r.json().get("api_key").asText());
    }

    /** Invites the account of {@code inviteeKey} with {@code role} and redeems it: the member's team key. */
    static String join(TestServer server, Team team, String inviterKey, String inviteeKey, String role) {
        String token = invite(server, inviterKey, email(server, inviteeKey), role);
        var r = Http.get(server.api() + "/team/invite/" + token + "/", inviteeKey);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("team_id").asLong()).isEqualTo(team.id());
        return r.json().get("api_key").asText();
    }

    static String invite(TestServer server, String inviterKey, String email, String role) {
        var r = Http.post(
                server.api() + "/team/invite/?email=" + Http.encode(email) + "&role=" + Http.encode(role),
                inviterKey,
                "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    static long role(TestServer server, String key, String name, String permissions) {
        var r = Http.post(
                server.api() + "/team/roles/",
                key,
                "{\"name\": \"" + name + "\", \"permissions\": " + permissions + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asLong();
    }
}
