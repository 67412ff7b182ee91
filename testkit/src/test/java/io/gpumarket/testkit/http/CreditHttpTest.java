package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Creating or starting an instance needs credit for an hour of it; moving credit between accounts. */
class CreditHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static long machine;

    @BeforeAll
    static void start() {
        host = server.newUser();
        machine = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 4090", 8, "Oslo, NO", 52000),
                        0.5,
                        Map.of("verification", "verified"))
                .id();
    }

    @Test
    void renting_without_credit_for_an_hour_is_refused_with_a_clear_message() {
        TestServer.Account broke = server.newUser();
        var r = Rentals.rent(
                server,
                broke.key(),
                Rentals.offer(server, broke.key(), machine, 1),
                "{\"image\": \"busybox\", \"disk\": 10}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("insufficient_credit");
        assertThat(r.json().get("msg").asText()).contains("$0.5021/hour").contains("your balance is $0.00");
    }

    @Test
    void a_balance_that_covers_less_than_an_hour_is_refused_and_one_that_covers_it_is_not() {
        TestServer.Account renter = server.newRenter(0.50);
        long offer = Rentals.offer(server, renter.key(), machine, 1);
        assertThat(Rentals.rent(server, renter.key(), offer, "{\"image\": \"busybox\", \"disk\": 10}")
                        .status())
                .isEqualTo(400);

        server.credit(renter, 0.0021);
        assertThat(Rentals.rent(server, renter.key(), offer, "{\"image\": \"busybox\", \"disk\": 10}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void starting_stopped_instances_needs_an_hour_of_credit_for_all_of_them() {
        TestServer.Account renter = server.newRenter(1.2);
        long a = Rentals.rent(server, renter, machine, 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        long b = Rentals.rent(
                        server,
                        renter,
                        machine,
                        1,
                        "{\"image\": \"busybox\", \"disk\": 10, \"target_state\": \"stopped\"}")
                .id();
        Http.put(server.api() + "/instances/" + a + "/", renter.key(), "{\"state\": \"stopped\"}");
        TestServer.Account other = server.newUser();
        transfer(renter, "{\"sender\": \"me\", \"recipient\": \"" + other.id() + "\", \"amount\": 0.5}");

        var both = Http.put(
                server.api() + "/instances/",
                renter.key(),
                "{\"ids\": [" + a + ", " + b + "], \"state\": \"running\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("error").asText())
                .as("Vast's code for this route")
                .isEqualTo("missing_billing");
        assertThat(both.json().get("msg").asText()).contains("2 instances");
        assertThat(Rentals.show(server, renter.key(), a).get("intended_status").asText())
                .isEqualTo("stopped");
        assertThat(Http.put(server.api() + "/instances/" + a + "/", renter.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void credit_moves_between_accounts_by_email_or_id_in_one_step() {
        TestServer.Account alice = server.newRenter(30);
        TestServer.Account bob = server.newUser();
        String bobEmail = Http.get(server.api() + "/users/current/", bob.key())
                .json()
                .get("email")
                .asText();

        var sent = transfer(
                alice, "{\"sender\": \"me\", \"recipient\": \"" + bobEmail.toUpperCase() + "\", \"amount\": 25.5}");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().get("success").asBoolean()).isTrue();
        assertThat(transfer(alice, "{\"sender\": \"me\", \"recipient\": " + bob.id() + ", \"amount\": \"0.01\"}")
                        .status())
                .isEqualTo(200);

        assertThat(credit(alice)).isEqualTo(4.49);
        assertThat(credit(bob)).isEqualTo(25.51);
    }

    @Test
    void a_transfer_is_refused_whole_for_too_little_balance_an_unknown_recipient_or_too_small_an_amount() {
        TestServer.Account alice = server.newRenter(5);
        TestServer.Account bob = server.newUser();

        var poor = transfer(alice, "{\"sender\": \"me\", \"recipient\": \"" + bob.id() + "\", \"amount\": 5.01}");
        assertThat(poor.status()).isEqualTo(400);
        assertThat(poor.json().get("error").asText()).isEqualTo("insufficient_balance");
        var nobody = transfer(alice, "{\"sender\": \"me\", \"recipient\": \"nobody@nowhere.test\", \"amount\": 1}");
        assertThat(nobody.json().get("error").asText()).isEqualTo("invalid_recipient");
        var tiny = transfer(alice, "{\"sender\": \"me\", \"recipient\": \"" + bob.id() + "\", \"amount\": 0.001}");
        assertThat(tiny.status()).isEqualTo(400);
        assertThat(tiny.json().get("msg").asText()).contains("at least $0.01");
        var self = transfer(alice, "{\"sender\": \"me\", \"recipient\": \"" + alice.id() + "\", \"amount\": 1}");
        assertThat(self.json().get("error").asText()).isEqualTo("invalid_recipient");

        assertThat(credit(alice)).isEqualTo(5.0);
        assertThat(credit(bob)).isZero();
    }

    @Test
    void racing_transfers_never_spend_the_same_credit_twice() throws Exception {
        TestServer.Account alice = server.newRenter(10);
        TestServer.Account bob = server.newUser();
        var answers = io.gpumarket.testkit.Race.run(
                8, i -> transfer(alice, "{\"sender\": \"me\", \"recipient\": \"" + bob.id() + "\", \"amount\": 3}"));

        assertThat(answers.stream().filter(r -> r.status() == 200)).hasSize(3);
        assertThat(credit(alice)).isEqualTo(1.0);
        assertThat(credit(bob)).isEqualTo(9.0);
    }

    static Http.Response transfer(TestServer.Account from, String body) {
        return Http.put(server.api() + "/commands/transfer_credit/", from.key(), body);
    }

    static double credit(TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }
}
