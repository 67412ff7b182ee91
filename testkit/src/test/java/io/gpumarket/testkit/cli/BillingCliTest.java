package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing verbs against a real server: what each sends (docs/vast-compatibility.md §b.6, as vastai sends it) and what it prints.
 * The billing routes are the billing work's (issue 4); until a route exists the server's "No route" 404 is what
 * the user gets, and these tests accept exactly that, so they keep passing when the routes land.
 */
class BillingCliTest {
    static final String NO_ROUTE = "Failed with error 404: No route for ";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account alice;
    static TestServer.Account bob;
    static CaptureProxy proxy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        alice = Rent.renter(server);
        bob = server.newUser();
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static double credit(TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }

    static boolean noRouteYet(Cli.Result r) {
        return r.code() == 1 && r.err().startsWith(NO_ROUTE);
    }

    @Test
    void transfer_credit_sends_from_me_to_the_recipient() {
        String email = Http.get(server.api() + "/users/current/", bob.key())
                .json()
                .get("email")
                .asText();
        var r = Cli.of(proxy.url(), alice.key(), dir).run("transfer", "credit", email, "2.5", "--skip");
        assertThat(proxy.last().method() + " " + proxy.last().target())
                .isEqualTo("PUT /api/v0/commands/transfer_credit/");
        assertThat(proxy.last().bodyText())
                .isEqualTo("{\"sender\": \"me\", \"recipient\": \"" + email + "\", \"amount\": 2.5}");
        if (noRouteYet(r)) return;
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out()).isEqualTo("Sent 2.5 to " + email + "\n");
        assertThat(credit(alice)).isEqualTo(97.5);
        assertThat(credit(bob)).isEqualTo(2.5);
    }

    @Test
    void transfer_credit_asks_first_and_a_no_sends_nothing() {
        proxy.clear();
        var r = Cli.of(proxy.url(), alice.key(), dir)
                .input("n\n", "transfer", "credit", "--recipient", "someone@test.local", "--amount", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .startsWith(
                        "Transfer $1.0 credit to account someone@test.local?  This is irreversible.\nContinue? [y/n] ");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void show_charges_asks_for_the_day_window_and_prints_the_charges() {
        var r = Cli.of(proxy.url(), alice.key(), dir)
                .run("show", "charges", "-s", "2024-01-01", "-e", "2024-01-08", "-ct", "instance");
        // select_filters = {"day": {"gte": 1704067200, "lte": 1704672000}, "type": {"in": ["instance"]}}
        assertThat(proxy.last().target())
                .isEqualTo(
                        "/api/v0/charges/?select_filters=%7B%22day%22%3A+%7B%22gte%22%3A+1704067200%2C+"
                                + "%22lte%22%3A+1704672000%7D%2C+%22type%22%3A+%7B%22in%22%3A+%5B%22instance%22%5D%7D%7D&latest_first=false&limit=100&format=table");
        if (noRouteYet(r)) return;
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out())
                .startsWith("Charges from 2024-01-01 to 2024-01-08:\nstart")
                .contains("Total: $");
    }

    @Test
    void show_invoices_asks_for_the_when_window_and_prints_the_invoices() {
        var r = Cli.of(proxy.url(), alice.key(), dir).run("show", "invoices", "-s", "2024-01-01", "-e", "2024-01-08");
        assertThat(proxy.last().target())
                .isEqualTo("/api/v1/invoices/?select_filters=%7B%22when%22%3A+%7B%22gte%22%3A+1704067200%2C+"
                        + "%22lte%22%3A+1704672000%7D%7D&latest_first=false&limit=100");
        if (noRouteYet(r)) return;
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out())
                .startsWith("Invoices from 2024-01-01 to 2024-01-08:\nstart")
                .contains("Total: $");
    }

    @Test
    void show_earnings_asks_in_days_since_the_epoch() {
        var r = Cli.of(proxy.url(), alice.key(), dir).run("show", "earnings", "-s", "2024-01-01", "-e", "2024-01-08");
        assertThat(proxy.last().target())
                .isEqualTo("/api/v0/users/me/machine-earnings?owner=me&sday=19723.0&eday=19730.0&machid=null");
        if (noRouteYet(r)) return;
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.out()).startsWith("Earnings from 2024-01-01 to 2024-01-08:\n  GPU $");
    }
}
