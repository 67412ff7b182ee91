package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team and subaccount verbs as vastai names them (docs/teams.md), against a real server: a team created, a role
 * made, a member invited and joined with the printed token, listed, removed (their key refused after), and a
 * subaccount created and listed with its credit.
 */
class TeamsCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    static Path dir;

    static String shownOnce(String out) {
        Matcher m = Pattern.compile("shown once: (\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void a_team_is_created_a_member_invited_joins_with_the_token_and_removing_them_stops_their_key() throws Exception {
        TestServer.Account owner = Rent.renter(server);
        TestServer.Account person = server.newUser();
        Cli mine = Cli.of(server.url(), owner.key(), dir.resolve("owner"));
        var created = mine.run("create", "team", "--team-name", "clilab", "--transfer-credit", "5");
        assertThat(created.code()).as(created.describe()).isZero();
        Cli team = Cli.of(server.url(), shownOnce(created.out()), dir.resolve("team"));

        var role = team.run("create", "team-role", "--name", "viewer", "--permissions", "{\"api\": {\"misc\": {}}}");
        assertThat(role.code()).as(role.describe()).isZero();
        var roles = team.run("show", "team-roles");
        assertThat(roles.out()).contains("viewer").contains("owner");
        String email = Wire.mapper()
                .readTree(Cli.of(server.url(), person.key(), dir.resolve("p"))
                        .run("show", "user", "--raw")
                        .out())
                .get("email")
                .asText();
        var invited = team.run("invite", "member", "--email", email, "--role", "viewer");
        assertThat(invited.code()).as(invited.describe()).isZero();
        Matcher token = Pattern.compile("join team (\\S+)").matcher(invited.out());
        assertThat(token.find()).as(invited.out()).isTrue();

        Cli personCli = Cli.of(server.url(), person.key(), dir.resolve("person"));
        var joined = personCli.run("join", "team", token.group(1));
        assertThat(joined.code()).as(joined.describe()).isZero();
        Cli member = Cli.of(server.url(), shownOnce(joined.out()), dir.resolve("member"));
        assertThat(member.run("show", "audit-logs").code()).isZero();

        var members = team.run("show", "members", "--raw");
        JsonNode list = Wire.mapper().readTree(members.out());
        assertThat(list).hasSize(2);
        var removed = team.run("remove", "member", Long.toString(person.id()));
        assertThat(removed.code()).as(removed.describe()).isZero();
        var refused = member.run("show", "audit-logs");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Failed with error 401");
        assertThat(team.run("remove", "team-role", "viewer").code()).isZero();
    }

    @Test
    void a_subaccount_is_created_and_listed_with_its_credit() throws Exception {
        TestServer.Account parent = Rent.renter(server);
        Cli cli = Cli.of(server.url(), parent.key(), dir.resolve("parent"));
        var made =
                cli.run("create", "subaccount", "--email", "kid@example.com", "--username", "kid", "--type", "client");
        assertThat(made.code()).as(made.describe()).isZero();
        assertThat(cli.run("transfer", "credit", "kid@example.com", "3", "--skip")
                        .code())
                .isZero();

        var table = cli.run("show", "subaccounts");
        assertThat(table.code()).as(table.describe()).isZero();
        assertThat(table.out()).contains("kid@example.com").contains("3.00");
    }
}
