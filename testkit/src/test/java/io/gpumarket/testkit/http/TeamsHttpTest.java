package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Teams over HTTP (docs/teams.md), as vastai's {@code teams.py} calls them: a team is an account of its own that its
 * members act in with team keys, each limited by their role's permission document and their key's together; the
 * team's instances and credit are the team's; removing a member or narrowing a role takes effect on the next request;
 * the audit log names the member behind each call.
 */
class TeamsHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static final AtomicInteger SERIAL = new AtomicInteger();
    static TestServer.Hosted machine;

    @BeforeAll
    static void start() {
        machine = server.hostMachine(
                server.newUser(), TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48000), 0.4, Map.of());
    }

    static String name() {
        return "lab" + SERIAL.incrementAndGet();
    }

    static double balance(String key) {
        var r = Http.get(server.api() + "/users/current/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("credit").asDouble();
    }

    @Test
    void creating_a_team_makes_an_account_of_its_own_funded_by_an_exact_transfer_from_the_owner() {
        var owner = server.newRenter(30);
        Teams.Team team = Teams.create(server, owner.key(), name(), 12.5);

        assertThat(balance(owner.key())).isEqualTo(17.5);
        assertThat(balance(team.ownerKey())).isEqualTo(12.5);
        var me = Http.get(server.api() + "/users/current/", team.ownerKey()).json();
        assertThat(me.get("id").asLong()).isEqualTo(team.id()).isNotEqualTo(owner.id());
        var roles = Http.get(server.api() + "/team/roles-full/", team.ownerKey());
        assertThat(roles.status()).as(roles.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        roles.json().forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).containsExactly("owner", "manager", "member");
        var members = Http.get(server.api() + "/team/members/", team.ownerKey()).json();
        assertThat(members).hasSize(1);
        assertThat(members.get(0).get("id").asLong()).isEqualTo(owner.id());
        assertThat(members.get(0).get("roles").get(0).asText()).isEqualTo("owner");
    }

    @Test
    void a_team_cannot_be_funded_beyond_the_owners_credit_and_nothing_is_created_then() {
        var owner = server.newRenter(5);
        String n = name();
        var r = Http.post(
                server.api() + "/team/", owner.key(), "{\"team_name\": \"" + n + "\", \"transfer_credit\": 6}");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("insufficient_balance");
        assertThat(balance(owner.key())).isEqualTo(5.0);
        Teams.create(server, owner.key(), n, 1); // the name was not taken by the refused attempt
    }

    @Test
    void a_member_rents_for_the_team_with_its_credit_and_the_owner_sees_and_manages_that_instance() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 8);
        var person = server.newUser();
        String memberKey = Teams.join(server, team, team.ownerKey(), person.key(), "member");

        long offer = Rentals.offer(server, memberKey, machine.id(), 1);
        var rented = Rentals.rent(server, memberKey, offer, "{\"image\": \"ubuntu\"}");
        assertThat(rented.status()).as(rented.body()).isEqualTo(200);
        long id = rented.json().get("new_contract").asLong();

        assertThat(Http.get(server.api() + "/instances/" + id + "/", team.ownerKey())
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/instances/" + id + "/", team.ownerKey())
                        .json()
                        .path("instances")
                        .path("id")
                        .asLong())
                .isEqualTo(id);
        assertThat(Http.get(server.api() + "/instances/" + id + "/", person.key())
                        .json()
                        .path("instances")
                        .isNull())
                .as("the member's own account does not hold the team's instance (Vast's answer for another's)")
                .isTrue();
        var destroyed = Http.delete(server.api() + "/instances/" + id + "/", team.ownerKey(), "");
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
    }

    @Test
    void a_member_is_refused_what_their_role_lacks_naming_the_role_and_cannot_mint_a_wider_key() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        String memberKey =
                Teams.join(server, team, team.ownerKey(), server.newUser().key(), "member");

        for (String[] call : List.of(
                new String[] {"GET", "/team/members/", "team_read"},
                new String[] {"POST", "/team/roles/", "team_write"},
                new String[] {"GET", "/charges/", "billing_read"},
                new String[] {"GET", "/machines/", "machine_read"})) {
            var r = Http.call(call[0], server.api() + call[1], memberKey, "{}");
            assertThat(r.status()).as(call[1] + ": " + r.body()).isEqualTo(403);
            assertThat(r.json().get("msg").asText()).startsWith("the team role 'member' lacks permission " + call[2]);
        }
        var wider = Http.post(
                server.api() + "/auth/apikeys/", memberKey, "{\"permissions\": {\"api\": {\"billing_read\": {}}}}");
        assertThat(wider.status()).as(wider.body()).isEqualTo(403);
        var narrower = Http.post(
                server.api() + "/auth/apikeys/", memberKey, "{\"permissions\": {\"api\": {\"instance_read\": {}}}}");
        assertThat(narrower.status()).as(narrower.body()).isEqualTo(200);
        String narrowKey = narrower.json().get("key").asText();
        assertThat(Http.get(server.api() + "/instances/", narrowKey).status()).isEqualTo(200);
        assertThat(Http.post(server.api() + "/ssh/", narrowKey, "{}").status())
                .as("the key's own document still applies inside the role")
                .isEqualTo(403);
    }

    @Test
    void removing_a_member_revokes_every_team_key_of_theirs_on_the_next_request() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        var person = server.newUser();
        String memberKey = Teams.join(server, team, team.ownerKey(), person.key(), "member");
        String second = Http.post(
                        server.api() + "/auth/apikeys/", memberKey, "{\"permissions\": {\"api\": {\"misc\": {}}}}")
                .json()
                .get("key")
                .asText();
        assertThat(Http.get(server.api() + "/instances/", memberKey).status()).isEqualTo(200); // cached now
        assertThat(Http.get(server.api() + "/audit_logs/", second).status()).isEqualTo(200);

        var removed = Http.delete(server.api() + "/team/members/" + person.id() + "/", team.ownerKey(), "");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);

        for (String key : List.of(memberKey, second)) {
            var r = Http.get(server.api() + "/audit_logs/", key);
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.json().get("error").asText()).isEqualTo("auth_error");
        }
        assertThat(Http.get(server.api() + "/users/current/", person.key()).status())
                .as("their own account is untouched")
                .isEqualTo(200);
        var members = Http.get(server.api() + "/team/members/", team.ownerKey()).json();
        assertThat(members).hasSize(1);
    }

    @Test
    void narrowing_a_role_takes_effect_on_the_next_request_of_its_members() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        long role = Teams.role(server, team.ownerKey(), "viewer", "{\"api\": {\"instance_read\": {}, \"misc\": {}}}");
        String memberKey =
                Teams.join(server, team, team.ownerKey(), server.newUser().key(), "viewer");
        assertThat(Http.get(server.api() + "/instances/", memberKey).status()).isEqualTo(200);

        var updated = Http.put(
                server.api() + "/team/roles/" + role + "/",
                team.ownerKey(),
                "{\"permissions\": {\"api\": {\"misc\": {}}}}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);

        var r = Http.get(server.api() + "/instances/", memberKey);
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().get("msg").asText()).startsWith("the team role 'viewer' lacks permission instance_read");
        var shown = Http.get(server.api() + "/team/roles/viewer/", team.ownerKey());
        assertThat(shown.json().get("permissions").get("api").has("instance_read"))
                .isFalse();
    }

    @Test
    void a_role_cannot_grant_routes_that_do_not_exist_nor_more_than_its_creator_holds() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        var unknown = Http.post(
                server.api() + "/team/roles/",
                team.ownerKey(),
                "{\"name\": \"odd\", \"permissions\": {\"api\": {\"instance_read\": {\"api.no.such.route\": {}}}}}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);

        Teams.role(server, team.ownerKey(), "roles", "{\"api\": {\"team_read\": {}, \"team_write\": {}}}");
        String rolesKey =
                Teams.join(server, team, team.ownerKey(), server.newUser().key(), "roles");
        var wider = Http.post(
                server.api() + "/team/roles/",
                rolesKey,
                "{\"name\": \"wider\", \"permissions\": {\"api\": {\"billing_write\": {}}}}");
        assertThat(wider.status()).as(wider.body()).isEqualTo(403);
        assertThat(wider.json().get("msg").asText()).contains("billing_write");
    }

    @Test
    void the_owner_role_cannot_be_changed_or_deleted_and_a_role_in_use_cannot_be_deleted() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        Teams.join(server, team, team.ownerKey(), server.newUser().key(), "member");

        assertThat(Http.delete(server.api() + "/team/roles/owner/", team.ownerKey(), "")
                        .status())
                .isEqualTo(403);
        assertThat(Http.put(server.api() + "/team/roles/owner/", team.ownerKey(), "{\"name\": \"boss\"}")
                        .status())
                .isEqualTo(403);
        var inUse = Http.delete(server.api() + "/team/roles/member/", team.ownerKey(), "");
        assertThat(inUse.status()).as(inUse.body()).isEqualTo(409);
        assertThat(Http.delete(server.api() + "/team/roles/manager/", team.ownerKey(), "")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/team/roles/manager/", team.ownerKey())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void an_invitation_is_redeemed_once_only_by_the_invited_account_and_not_sent_twice_in_five_minutes() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        var invitee = server.newUser();
        var stranger = server.newUser();
        String token = Teams.invite(server, team.ownerKey(), Teams.email(server, invitee.key()), "member");

        var again = Http.post(
                server.api() + "/team/invite/?email=" + Http.encode(Teams.email(server, invitee.key()))
                        + "&role=member",
                team.ownerKey(),
                "");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        var byStranger = Http.get(server.api() + "/team/invite/" + token + "/", stranger.key());
        assertThat(byStranger.status()).as(byStranger.body()).isEqualTo(404);
        var byTeamKey = Http.get(server.api() + "/team/invite/" + token + "/", team.ownerKey());
        assertThat(byTeamKey.status()).as(byTeamKey.body()).isEqualTo(400);
        assertThat(Http.get(server.api() + "/team/invite/" + token + "/", invitee.key())
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/team/invite/" + token + "/", invitee.key())
                        .status())
                .as("a token is used once")
                .isEqualTo(404);
        var badRole =
                Http.post(server.api() + "/team/invite/?email=x%40example.com&role=nosuchrole", team.ownerKey(), "");
        assertThat(badRole.status()).as(badRole.body()).isEqualTo(400);
    }

    @Test
    void team_routes_answer_a_key_that_is_no_team_key_as_vast_does() {
        var someone = server.newUser();
        var r = Http.get(server.api() + "/team/members/", someone.key());
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.json().get("msg").asText()).contains("not a team account");
    }

    @Test
    void the_audit_log_of_a_team_says_which_member_did_what() {
        var owner = server.newRenter(10);
        Teams.Team team = Teams.create(server, owner.key(), name(), 0);
        var person = server.newUser();
        String memberKey = Teams.join(server, team, team.ownerKey(), person.key(), "member");
        var made = Http.post(server.api() + "/secrets/", memberKey, "{\"key\": \"BY_MEMBER\", \"value\": \"v\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        Http.post(server.api() + "/secrets/", team.ownerKey(), "{\"key\": \"BY_OWNER\", \"value\": \"v\"}");

        List<JsonNode> entries = new ArrayList<>();
        Http.get(server.api() + "/audit_logs/", team.ownerKey()).json().forEach(entries::add);
        assertThat(entries).hasSizeGreaterThanOrEqualTo(2);
        assertThat(entries.get(0).get("member_id").asLong()).isEqualTo(owner.id());
        assertThat(entries.get(1).get("member_id").asLong()).isEqualTo(person.id());
        assertThat(entries.get(1).get("member_email").asText()).isEqualTo(Teams.email(server, person.key()));
        assertThat(entries.get(1).get("user_id").asLong()).isEqualTo(team.id());
    }

    @Test
    void only_the_owner_destroys_a_team_not_while_it_has_instances_and_its_credit_goes_back_to_the_owner() {
        var owner = server.newRenter(20);
        Teams.Team team = Teams.create(server, owner.key(), name(), 10);
        String managerKey =
                Teams.join(server, team, team.ownerKey(), server.newUser().key(), "manager");
        var rented = Rentals.rent(
                server,
                team.ownerKey(),
                Rentals.offer(server, team.ownerKey(), machine.id(), 1),
                "{\"image\": \"ubuntu\"}");
        long id = rented.json().get("new_contract").asLong();

        assertThat(Http.delete(server.api() + "/team/", managerKey, "").status())
                .isEqualTo(403);
        var busy = Http.delete(server.api() + "/team/", team.ownerKey(), "");
        assertThat(busy.status()).as(busy.body()).isEqualTo(409);
        Http.delete(server.api() + "/instances/" + id + "/", team.ownerKey(), "");
        double left = balance(team.ownerKey());
        double ownerBefore = balance(owner.key());

        var destroyed = Http.delete(server.api() + "/team/", team.ownerKey(), "");
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
        assertThat(destroyed.json().get("returned_credit").asDouble()).isEqualTo(left);
        assertThat(balance(owner.key())).isEqualTo(ownerBefore + left);
        assertThat(Http.get(server.api() + "/users/current/", team.ownerKey()).status())
                .isEqualTo(401);
        assertThat(Http.get(server.api() + "/users/current/", managerKey).status())
                .isEqualTo(401);
        Teams.create(server, owner.key(), team.name(), 0); // the name is free again
    }
}
