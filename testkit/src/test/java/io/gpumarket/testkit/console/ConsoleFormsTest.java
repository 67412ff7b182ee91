package io.gpumarket.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestKeys;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's operator refunds and its instance forms (label, attached keys) over plain HTTP: each is the API
 * route's service call under that route's permission check, so a refund made in the console is the ledger entry the
 * API's refund route makes, and a session is refused exactly what its key would be refused.
 */
class ConsoleFormsTest {
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern IDEM = Pattern.compile("name=\"idem\" value=\"([^\"]+)\"");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static long machine;
    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void market() {
        machine = server.hostMachine(
                        server.newUser(),
                        TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48300),
                        0.4,
                        Map.of("verification", "verified"))
                .id();
    }

    @Test
    void a_refund_made_in_the_console_is_the_entry_the_api_makes_and_the_same_form_sent_twice_refunds_once()
            throws Exception {
        TestServer.Account renter = server.newRenter(5);
        String admin = signIn(server.adminKey());
        String page = get("/console/admin/users/" + renter.id(), admin).body();
        String form = "amount=1.25&reason=" + enc("the disk was slow") + "&idem=" + enc(first(IDEM, page)) + "&csrf="
                + enc(first(CSRF, page));
        HttpResponse<String> refunded = post("/console/admin/users/" + renter.id() + "/refund", admin, form);
        assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(303);
        assertThat(refunded.headers().firstValue("Location").orElseThrow())
                .startsWith("/console/admin/users/" + renter.id() + "?notice=Refunded");
        assertThat(post("/console/admin/users/" + renter.id() + "/refund", admin, form)
                        .statusCode())
                .as("the same rendered form sent again")
                .isEqualTo(303);
        assertThat(credit(renter)).isEqualTo(6.25);

        var api = Http.put(
                server.api() + "/admin/users/" + renter.id() + "/refund/",
                server.adminKey(),
                "{\"amount\": 1.25, \"reason\": \"the disk was slow\"}");
        assertThat(api.status()).as(api.body()).isEqualTo(200);
        assertThat(credit(renter)).isEqualTo(7.5);
        List<JsonNode> refunds = payments(renter, "refund");
        assertThat(refunds).hasSize(2);
        assertThat(refunds.get(0).get("description").asText()).isEqualTo("the disk was slow");
        assertThat(refunds.get(1).get("description")).isEqualTo(refunds.get(0).get("description"));
        assertThat(refunds.get(1).get("amount")).isEqualTo(refunds.get(0).get("amount"));

        // the operator's page for the user lists it, as the user's own billing does
        assertThat(get("/console/admin/users/" + renter.id(), admin).body()).contains("the disk was slow");
        String own = signIn(renter.key());
        assertThat(get("/console/billing", own).body()).contains("the disk was slow");
    }

    @Test
    void a_refund_needs_an_admin_with_full_access_a_reason_and_an_instance_of_that_user() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        TestServer.Account other = server.newRenter(5);
        long othersInstance = rent(other);
        String admin = signIn(server.adminKey());
        String page = get("/console/admin/users/" + renter.id(), admin).body();
        String csrf = first(CSRF, page);
        String path = "/console/admin/users/" + renter.id() + "/refund";

        HttpResponse<String> noReason = post(path, admin, "amount=1&csrf=" + enc(csrf));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason");
        assertThat(post(path, admin, "amount=-1&reason=x&csrf=" + enc(csrf)).statusCode())
                .isEqualTo(400);
        HttpResponse<String> notTheirs =
                post(path, admin, "amount=1&reason=x&instance_id=" + othersInstance + "&csrf=" + enc(csrf));
        assertThat(notTheirs.statusCode()).isEqualTo(400);
        assertThat(notTheirs.body()).contains("is not an instance of user " + renter.id());
        assertThat(get("/console/admin/users/999999", admin).statusCode()).isEqualTo(404);

        String renterSession = signIn(renter.key());
        String renterCsrf = first(CSRF, get("/console/keys", renterSession).body());
        assertThat(post(path, renterSession, "amount=1&reason=x&csrf=" + enc(renterCsrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("/console/admin/users/" + renter.id(), renterSession).statusCode())
                .isEqualTo(403);
        // an admin's scoped key is not the admin: the admin routes need full access
        var scoped = Http.post(
                server.api() + "/auth/apikeys/",
                server.adminKey(),
                "{\"name\": \"billing\", \"permissions\": {\"api\": {\"billing_read\": {}, \"billing_write\": {}}}}");
        assertThat(scoped.status()).as(scoped.body()).isEqualTo(200);
        String scopedSession = signIn(scoped.json().get("key").asText());
        assertThat(post(
                                path,
                                scopedSession,
                                "amount=1&reason=x&csrf="
                                        + enc(first(
                                                CSRF,
                                                get("/console/billing", scopedSession)
                                                        .body())))
                        .statusCode())
                .isEqualTo(403);
        assertThat(credit(renter)).isEqualTo(5.0);
        assertThat(payments(renter, "refund")).isEmpty();
    }

    @Test
    void the_label_set_in_the_console_is_the_one_the_api_shows_and_a_blank_one_clears_it() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        long id = rent(renter);
        String session = signIn(renter.key());
        String csrf = first(CSRF, get("/console/instances/" + id, session).body());
        HttpResponse<String> set =
                post("/console/instances/" + id + "/label", session, "label=" + enc("run <7>") + "&csrf=" + enc(csrf));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(303);
        assertThat(label(renter, id)).isEqualTo("run <7>");
        assertThat(get("/console/instances/" + id, session).body())
                .contains("value=\"run &lt;7")
                .doesNotContain("run <7>");
        HttpResponse<String> tooLong = post(
                "/console/instances/" + id + "/label", session, "label=" + "x".repeat(1025) + "&csrf=" + enc(csrf));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("limit label length");
        assertThat(post("/console/instances/" + id + "/label", session, "label=&csrf=" + enc(csrf))
                        .statusCode())
                .isEqualTo(303);
        assertThat(label(renter, id)).isEmpty();
    }

    @Test
    void the_move_action_starts_the_apis_migration_and_shows_why_when_it_cannot() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        long id = rent(renter);
        String session = signIn(renter.key());
        String page = get("/console/instances/" + id, session).body();
        assertThat(page).contains("Move to another machine");
        String csrf = first(CSRF, page);
        HttpResponse<String> gone =
                post("/console/instances/" + id + "/migrate", session, "offer_id=999999&csrf=" + enc(csrf));
        assertThat(gone.statusCode()).isEqualTo(400);
        assertThat(gone.body()).contains("id=\"error\"").contains("999999");
        long other = server.hostMachine(
                        server.newUser(),
                        TestMachines.machine("RTX 4090", 1, "Lima, PE", 48400),
                        0.3,
                        Map.of("verification", "verified"))
                .id();
        HttpResponse<String> moving =
                post("/console/instances/" + id + "/migrate", session, "offer_id=&csrf=" + enc(csrf));
        assertThat(moving.statusCode()).as(moving.body()).isEqualTo(303);
        JsonNode m = Http.get(server.api() + "/instances/migrate/" + id + "/", renter.key())
                .json()
                .get("migrations")
                .get(0);
        assertThat(m.get("to_machine_id").asLong()).isEqualTo(other);
    }

    @Test
    void a_key_attached_in_the_console_is_the_apis_attached_key_and_is_detached_there_too() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        long id = rent(renter);
        String session = signIn(renter.key());
        String csrf = first(CSRF, get("/console/instances/" + id, session).body());
        String key = TestKeys.ed25519("colleague@lab");
        HttpResponse<String> attached =
                post("/console/instances/" + id + "/ssh", session, "ssh_key=" + enc(key) + "&csrf=" + enc(csrf));
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(303);
        JsonNode list = attachedKeys(renter, id);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("public_key").asText()).isEqualTo(key);
        long keyId = list.get(0).get("id").asLong();
        String page = get("/console/instances/" + id, session).body();
        assertThat(page).contains("data-key=\"" + keyId + "\"").contains("colleague@lab");

        HttpResponse<String> bad = post(
                "/console/instances/" + id + "/ssh", session, "ssh_key=" + enc("not a key") + "&csrf=" + enc(csrf));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"error\"");
        assertThat(attachedKeys(renter, id)).hasSize(1);

        assertThat(post("/console/instances/" + id + "/ssh/" + keyId + "/detach", session, "csrf=" + enc(csrf))
                        .statusCode())
                .isEqualTo(303);
        assertThat(attachedKeys(renter, id)).isEmpty();
        assertThat(post("/console/instances/" + id + "/ssh/" + keyId + "/detach", session, "csrf=" + enc(csrf))
                        .statusCode())
                .as("no longer attached")
                .isEqualTo(404);
    }

    @Test
    void a_session_that_may_only_read_instances_sees_the_keys_but_may_not_label_attach_or_detach() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        long id = rent(renter);
        String key = TestKeys.ed25519("kept@lab");
        var attached = Http.post(
                server.api() + "/instances/" + id + "/ssh/",
                renter.key(),
                "{\"ssh_key\": " + Wire.mapper().writeValueAsString(key) + "}");
        assertThat(attached.status()).as(attached.body()).isEqualTo(200);
        long keyId = attached.json().get("key").get("id").asLong();
        var reader = Http.post(
                server.api() + "/auth/apikeys/",
                renter.key(),
                "{\"name\": \"read\", \"permissions\": {\"api\": {\"instance_read\": {}}}}");
        assertThat(reader.status()).as(reader.body()).isEqualTo(200);
        String session = signIn(reader.json().get("key").asText());
        HttpResponse<String> page = get("/console/instances/" + id, session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("kept@lab");
        String csrf = first(CSRF, page.body());
        assertThat(post("/console/instances/" + id + "/label", session, "label=x&csrf=" + enc(csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post(
                                "/console/instances/" + id + "/ssh",
                                session,
                                "ssh_key=" + enc(TestKeys.ed25519("more@lab")) + "&csrf=" + enc(csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/console/instances/" + id + "/ssh/" + keyId + "/detach", session, "csrf=" + enc(csrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(attachedKeys(renter, id)).hasSize(1);
        assertThat(label(renter, id)).isNotEqualTo("x");

        // another renter's session: refused the instance's forms as its page, whether the instance exists or not
        String stranger = signIn(server.newRenter(5).key());
        String strangerCsrf = first(CSRF, get("/console/keys", stranger).body());
        assertThat(post("/console/instances/" + id + "/label", stranger, "label=x&csrf=" + enc(strangerCsrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/console/instances/" + id + "/ssh/" + keyId + "/detach", stranger, "csrf=" + enc(strangerCsrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(attachedKeys(renter, id)).hasSize(1);
    }

    private long rent(TestServer.Account renter) {
        var offers = Http.post(
                server.api() + "/bundles/",
                renter.key(),
                "{\"machine_id\": {\"eq\": " + machine + "}, \"limit\": 100}");
        assertThat(offers.status()).as(offers.body()).isEqualTo(200);
        long offer = -1;
        for (JsonNode o : offers.json().get("offers"))
            if (o.get("num_gpus").asInt() == 1) offer = o.get("id").asLong();
        var rented = Http.put(
                server.api() + "/asks/" + offer + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\"}");
        assertThat(rented.status()).as(rented.body()).isEqualTo(200);
        return rented.json().get("new_contract").asLong();
    }

    private static String label(TestServer.Account renter, long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key())
                .json()
                .get("instances")
                .path("label")
                .asText("");
    }

    private static JsonNode attachedKeys(TestServer.Account renter, long id) throws Exception {
        var r = Http.get(server.api() + "/instances/" + id + "/ssh/", renter.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Wire.mapper().readTree(r.json().get("ssh_keys").asText());
    }

    private static double credit(TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }

    /** The account's payment rows of one service in {@code /users/me/invoices}, oldest first. */
    private static List<JsonNode> payments(TestServer.Account a, String service) {
        long now = System.currentTimeMillis() / 1000;
        var r = Http.get(
                server.api() + "/users/me/invoices?inc_charges=false&sdate=0&edate=" + (now + 86_400), a.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode row : r.json().get("invoices"))
            if (row.get("service").asText().equals(service)) out.add(row);
        return out;
    }

    private static String first(Pattern p, String html) {
        Matcher m = p.matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    /** A console session signed in with the key; the cookie to send. */
    private String signIn(String key) throws Exception {
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/sign-in"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String token = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gm_signin="))
                .map(c -> c.substring("gm_signin=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", "gm_signin=" + token)
                        .header("Origin", server.url())
                        .POST(HttpRequest.BodyPublishers.ofString("api_key=" + enc(key) + "&csrf=" + enc(token)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String set = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gm_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError(signedIn.body()));
        return set.substring(0, set.indexOf(';'));
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", cookie)
                        .header("Origin", server.url())
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
