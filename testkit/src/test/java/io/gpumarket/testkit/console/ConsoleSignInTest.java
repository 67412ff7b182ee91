package io.gpumarket.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.Totp;
import io.gpumarket.server.ratelimit.RateLimits;
import io.gpumarket.testkit.FakeClock;
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

    @Test
    void with_two_factor_on_a_password_alone_no_longer_signs_in_and_each_code_is_good_once() throws Exception {
        server.close();
        FakeClock clock = new FakeClock();
        server = TestServer.start(clock);
        TestServer.Account renter = server.newRenter(5);
        String email = email(renter);
        setPassword(renter.id(), "a-good-password", server.adminKey());
        var before = Http.get(server.api() + "/tfa/status/", renter.key());
        assertThat(before.json().get("tfa_enabled").asBoolean()).isFalse();
        assertThat(before.json().get("methods")).isEmpty();

        var setup = Http.post(server.api() + "/tfa/totp-setup/", renter.key(), "{}");
        assertThat(setup.status()).as(setup.body()).isEqualTo(200);
        String secret = setup.json().get("secret").asText();
        assertThat(setup.json().get("provisioning_uri").asText())
                .startsWith("otpauth://totp/gpumarket:")
                .contains("secret=" + secret);
        // not on until a code from the app confirms it
        assertThat(Http.get(server.api() + "/tfa/status/", renter.key())
                        .json()
                        .get("tfa_enabled")
                        .asBoolean())
                .isFalse();
        assertThat(signIn("email=" + enc(email) + "&password=a-good-password").statusCode())
                .isEqualTo(303);
        var wrong = Http.post(
                server.api() + "/tfa/confirm-new/",
                renter.key(),
                "{\"secret\": \"" + secret + "\", \"code\": \"000000\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").asText()).isEqualTo("2fa_verification_failed");
        var confirmed = Http.post(
                server.api() + "/tfa/confirm-new/",
                renter.key(),
                "{\"tfa_method\": \"totp\", \"secret\": \"" + secret + "\", \"code\": \"" + code(secret, clock, 0)
                        + "\"}");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        var on = Http.get(server.api() + "/tfa/status/", renter.key()).json();
        assertThat(on.get("tfa_enabled").asBoolean()).isTrue();
        assertThat(on.get("methods").get(0).get("method").asText()).isEqualTo("totp");

        HttpResponse<String> noCode = signIn("email=" + enc(email) + "&password=a-good-password");
        assertThat(noCode.statusCode()).isEqualTo(401);
        assertThat(noCode.body()).contains("6-digit code");
        assertThat(noCode.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("gm_session="));
        // the code that confirmed the app was used: it does not sign in
        assertThat(signIn("email=" + enc(email) + "&password=a-good-password&code=" + code(secret, clock, 0))
                        .statusCode())
                .isEqualTo(401);
        // a wrong password with a right code tells nothing more than a wrong password
        HttpResponse<String> wrongPassword =
                signIn("email=" + enc(email) + "&password=not-the-password&code=" + code(secret, clock, 1));
        assertThat(wrongPassword.body()).contains("Wrong email or password.");
        clock.advance(java.time.Duration.ofSeconds(30));
        HttpResponse<String> signedIn =
                signIn("email=" + enc(email) + "&password=a-good-password&code=" + code(secret, clock, 0));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(get("/console/security", sessionCookie(signedIn)).body()).contains("id=\"tfa-state\">On");

        // an API key signs in without a code (it is a credential of its own); turning it off needs a fresh code
        assertThat(signIn("api_key=" + enc(renter.key())).statusCode()).isEqualTo(303);
        assertThat(Http.delete(server.api() + "/tfa/", renter.key(), "{\"code\": \"" + code(secret, clock, 0) + "\"}")
                        .status())
                .isEqualTo(400);
        var off = Http.delete(server.api() + "/tfa/", renter.key(), "{\"code\": \"" + code(secret, clock, 1) + "\"}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/tfa/status/", renter.key())
                        .json()
                        .get("tfa_enabled")
                        .asBoolean())
                .isFalse();
        assertThat(signIn("email=" + enc(email) + "&password=a-good-password").statusCode())
                .isEqualTo(303);
    }

    @Test
    void a_scoped_key_may_read_the_two_factor_status_but_not_set_it_up() {
        TestServer.Account renter = server.newRenter(5);
        var scoped = Http.post(
                server.api() + "/auth/apikeys/",
                renter.key(),
                "{\"name\": \"u\", \"permissions\": {\"api\": {\"user_read\": {}, \"user_write\": {}}}}");
        String scopedKey = scoped.json().path("key").asText();
        assertThat(Http.get(server.api() + "/tfa/status/", scopedKey).status()).isEqualTo(200);
        var refused = Http.post(server.api() + "/tfa/totp-setup/", scopedKey, "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(Http.get(server.api() + "/tfa/status/", renter.key())
                        .json()
                        .get("tfa_enabled")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void a_key_created_in_the_console_carries_the_permission_document_the_api_checks() throws Exception {
        TestServer.Account renter = server.newRenter(5);
        String cookie = sessionCookie(signIn("api_key=" + enc(renter.key())));
        Matcher m = CSRF.matcher(get("/console/api-keys", cookie).body());
        assertThat(m.find()).isTrue();
        HttpResponse<String> created = post(
                "/console/api-keys",
                cookie,
                "name=reader&category=instance_read&category=user_read&csrf=" + enc(m.group(1)),
                server.url());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        Matcher key = Pattern.compile("id=\"new-key\">([^<]+)<").matcher(created.body());
        assertThat(key.find()).as(created.body()).isTrue();
        String secret = key.group(1);
        assertThat(Http.get(server.api() + "/instances/", secret).status()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/ssh/", secret).status()).isEqualTo(200);
        var refused = Http.post(server.api() + "/ssh/", secret, "{\"ssh_key\": \"x\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("msg").asText()).contains("user_write");
        // a session of that key cannot make a key with more than it holds
        String narrow = sessionCookie(signIn("api_key=" + enc(secret)));
        Matcher t = CSRF.matcher(get("/console/api-keys", narrow).body());
        assertThat(t.find()).isTrue();
        HttpResponse<String> more = post(
                "/console/api-keys", narrow, "name=more&category=instance_write&csrf=" + enc(t.group(1)), server.url());
        assertThat(more.statusCode()).isEqualTo(403);
    }

    private static String code(String secret, java.time.Clock clock, int stepsLater) {
        return Totp.code(secret, Totp.step(clock.instant()) + stepsLater);
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
