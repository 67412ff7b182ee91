package io.gpumarket.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.ratelimit.RateLimits;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over plain HTTP (no browser): the cookie's flags, the CSRF and Origin checks, passwords set
 * through the API (own, with a full-access key only; anyone's by the operator), scoped keys keeping their scope in
 * the console, signing out, and the lockout after repeated failures.
 */
class ConsoleSignInTest {
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    TestServer server;
    HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_password_set_by_the_operator_signs_in_and_the_session_cookie_is_httponly_and_samesite() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        String email = email(renter);
        setPassword(renter.id(), "a-good-password", server.adminKey());
        HttpResponse<String> signedIn = signIn("email=" + enc(email) + "&password=" + enc("a-good-password"));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/console/offers");
        String cookie = sessionCookie(signedIn);
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        HttpResponse<String> offers = get("/console/offers", cookie);
        assertThat(offers.statusCode()).isEqualTo(200);
        assertThat(offers.body()).contains(email);
    }

    @Test
    void a_wrong_password_is_refused_and_enough_failures_lock_the_address_out() throws Exception {
        server.close();
        server = TestServer.start(RateLimits.defaults()); // ten failed authentications a minute per address
        TestServer.Account renter = server.newRenter(5);
        setPassword(renter.id(), "a-good-password", server.adminKey());
        HttpResponse<String> wrong = signIn("email=" + enc(email(renter)) + "&password=nope-nope-nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong email or password.");
        int status = 401;
        for (int i = 0; i < 20 && status == 401; i++)
            status = signIn("email=x%40y.z&password=guess" + i).statusCode();
        assertThat(status).isEqualTo(429);
        assertThat(signIn("email=" + enc(email(renter)) + "&password=a-good-password")
                        .statusCode())
                .isEqualTo(429);
    }

    @Test
    void a_scoped_key_cannot_set_its_accounts_password_but_a_full_access_key_can() {
        TestServer.Account renter = server.newRenter(5);
        var scoped = Http.post(
                server.api() + "/auth/apikeys/",
                renter.key(),
                "{\"name\": \"read\", \"permissions\": {\"api\": {\"user_read\": {}}}}");
        assertThat(scoped.status()).as(scoped.body()).isEqualTo(200);
        String scopedKey =
                scoped.json().path("key").asText(scoped.json().path("api_key").asText());
        assertThat(Http.put(server.api() + "/users/current/password/", scopedKey, "{\"password\": \"a-good-password\"}")
                        .status())
                .isEqualTo(403);
        assertThat(Http.put(
                                server.api() + "/users/current/password/",
                                renter.key(),
                                "{\"password\": \"a-good-password\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.put(server.api() + "/users/current/password/", renter.key(), "{\"password\": \"short\"}")
                        .status())
                .isEqualTo(400);
        assertThat(Http.put(
                                server.api() + "/admin/users/" + renter.id() + "/password/",
                                renter.key(),
                                "{\"password\": \"x-long-enough\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void a_post_without_the_csrf_token_or_from_another_origin_is_refused_and_sign_out_ends_the_session()
            throws Exception {
        TestServer.Account renter = server.newRenter(5);
        HttpResponse<String> signedIn = signIn("api_key=" + enc(renter.key()));
        String cookie = sessionCookie(signedIn);
        HttpResponse<String> keys = get("/console/keys", cookie);
        Matcher m = CSRF.matcher(keys.body());
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        String body = "public_key="
                + enc("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq7x8nA5cRsl0x5D3fWlQ9v6b1Yq2yH2m3p4q5r6s7t t@t");
        assertThat(post("/console/keys", cookie, body, null).statusCode()).isEqualTo(403);
        assertThat(post("/console/keys", cookie, body + "&csrf=" + enc(token), "http://evil.example")
                        .statusCode())
                .isEqualTo(403);
        assertThat(Http.get(server.api() + "/ssh/", renter.key()).body())
                .doesNotContain("AAAAC3NzaC1lZDI1NTE5AAAAIGq7x8nA5cRsl0x5D3fWlQ9v6b1Yq2yH2m3p4q5r6s7t");
        HttpResponse<String> added = post("/console/keys", cookie, body + "&csrf=" + enc(token), server.url());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(Http.get(server.api() + "/ssh/", renter.key()).body())
                .contains("AAAAC3NzaC1lZDI1NTE5AAAAIGq7x8nA5cRsl0x5D3fWlQ9v6b1Yq2yH2m3p4q5r6s7t");
        assertThat(post("/console/sign-out", cookie, "csrf=" + enc(token), server.url())
                        .statusCode())
                .isEqualTo(302);
        HttpResponse<String> after = get("/console/keys", cookie);
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location")).hasValue("/console/sign-in");
    }

    @Test
    void a_renter_session_is_refused_the_operator_page() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        String cookie = sessionCookie(signIn("api_key=" + enc(renter.key())));
        assertThat(get("/console/admin", cookie).statusCode()).isEqualTo(403);
        assertThat(get("/console/instances/12345", cookie).statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> signIn(String form) throws Exception {
        HttpResponse<String> page = get("/console/sign-in", null);
        String token = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gm_signin="))
                .map(c -> c.substring("gm_signin=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow();
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", "gm_signin=" + token)
                        .header("Origin", server.url())
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&csrf=" + enc(token)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> r) {
        List<String> set = r.headers().allValues("Set-Cookie");
        return set.stream()
                .filter(c -> c.startsWith("gm_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError(set + " " + r.body()));
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (cookie != null) b.header("Cookie", cookie.substring(0, cookie.indexOf(';')));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')));
        if (origin != null) b.header("Origin", origin);
        return http.send(
                b.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String email(TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("email")
                .asText();
    }

    private void setPassword(long userId, String password, String key) {
        var set = Http.put(
                server.api() + "/admin/users/" + userId + "/password/", key, "{\"password\": \"" + password + "\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
