package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inputs that gave 500s (or Jetty's HTML pages), each refused with a 400 in the Vast shape, the same on SQLite
 * and PostgreSQL: numbers past a double ({@code 1e999}) in searches, launches and templates; NUL and unpaired
 * surrogates in any text field, query parameter or path; a rent's disk past what pricing can hold; a host's run
 * start past any clock; and requests Jetty refuses before Javalin sees them.
 */
class HostileInputHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static TestServer.Hosted machine;
    static long instance;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
        machine = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 4, "Oslo, NO", 43300), 0.40, Map.of("verification", "verified"));
        instance = Rentals.rent(server, renter, machine.id(), 1, "{\"image\": \"ubuntu\", \"label\": \"before\"}")
                .id();
    }

    /** A 400 in the Vast shape with the API's exact Content-Type; its msg. */
    static String refused(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().get("success").asBoolean(true)).isFalse();
        assertThat(r.json().get("error").asText()).isIn("invalid_args", "invalid_request");
        return r.json().get("msg").asText();
    }

    @Test
    void a_number_past_a_double_is_refused_in_every_search_form_in_launches_and_in_templates() {
        String q = "{\"gpu_name\": {\"eq\": 1e999}}";
        String msg = "'gpu_name.eq' in the body must be a finite number, got 1e999";

        assertThat(refused(Http.post(server.api() + "/bundles/", renter.key(), q)))
                .isEqualTo(msg);
        assertThat(refused(Http.put(server.api() + "/search/asks/", renter.key(), "{\"q\": " + q + "}")))
                .isEqualTo("'q.gpu_name.eq' in the body must be a finite number, got 1e999");
        assertThat(refused(Http.get(server.api() + "/bundles/?q=" + Http.encode(q), renter.key())))
                .isEqualTo("'gpu_name.eq' in the query parameter q must be a finite number, got 1e999");
        assertThat(refused(Http.put(
                        server.api() + "/launch_instance/", renter.key(), "{\"image\": \"ubuntu\", \"q\": " + q + "}")))
                .contains("'q.gpu_name.eq'");
        assertThat(refused(Http.post(
                        server.api() + "/template/",
                        renter.key(),
                        "{\"name\": \"big\", \"image\": \"ubuntu\", \"extra_filters\": " + q + "}")))
                .contains("'extra_filters.gpu_name.eq'");
        assertThat(refused(Http.post(
                        server.api() + "/bundles/",
                        renter.key(),
                        "{\"num_gpus\": {\"gte\": " + "9".repeat(400) + "}}")))
                .startsWith("'num_gpus.gte' in the body must be a finite number, got 9999");
    }

    @Test
    void nul_in_any_text_field_is_refused_naming_the_field_and_nothing_is_stored() {
        Map<String, Http.Response> answers = new LinkedHashMap<>();
        String api = server.api();
        answers.put(
                "label", Http.put(api + "/instances/" + instance + "/", renter.key(), "{\"label\": \"a\\u0000b\"}"));
        answers.put(
                "problem",
                Http.post(api + "/instances/" + instance + "/reports/", renter.key(), "{\"problem\": \"GPU\\u0000\"}"));
        answers.put(
                "name", Http.post(api + "/template/", renter.key(), "{\"name\": \"t\\u0000\", \"image\": \"ubuntu\"}"));
        answers.put(
                "name ",
                Http.post(
                        api + "/auth/apikeys/",
                        renter.key(),
                        "{\"name\": \"k\\u0000\", \"permissions\": {\"api\": {\"misc\": {}}}}"));
        answers.put(
                "recipient",
                Http.put(
                        api + "/commands/transfer_credit/",
                        renter.key(),
                        "{\"sender\": \"me\", \"recipient\": \"\\u0000\", \"amount\": 0.01}"));
        answers.put(
                "reason",
                Http.put(
                        api + "/admin/users/" + renter.id() + "/refund/",
                        server.adminKey(),
                        "{\"amount\": 1, \"reason\": \"out\\u0000age\"}"));
        answers.put("gpu_name", Http.post(api + "/host/machines/", host.key(), registration("RTX\u00004090")));
        answers.put("gpu_name  ", Http.put(api + "/agent/machine/", machine.token(), registration("RTX\u00004090")));
        answers.put("fullname", Http.put(api + "/users/", renter.key(), "{\"fullname\": \"\\u0000\"}"));
        answers.put(
                "env.TZ",
                Http.put(
                        api + "/asks/" + Rentals.offer(server, renter.key(), machine.id(), 1) + "/",
                        renter.key(),
                        "{\"image\": \"ubuntu\", \"env\": {\"TZ\": \"\\u0000\"}}"));

        answers.forEach(
                (field, r) -> assertThat(refused(r))
                        .as(field)
                        .matches(
                                "'" + java.util.regex.Pattern.quote(field.strip())
                                        + "' in the body contains a NUL character \\(U\\+0000\\) at position \\d+, which cannot be stored; remove it"));
        assertThat(Rentals.show(server, renter.key(), instance).get("label").asText())
                .isEqualTo("before");
        assertThat(Http.get(api + "/template/", renter.key()).body()).doesNotContain("\\u0000");
    }

    @Test
    void an_unpaired_surrogate_is_refused_in_values_keys_query_parameters_and_paths() {
        assertThat(refused(Http.put(
                        server.api() + "/instances/" + instance + "/", renter.key(), "{\"label\": \"a\\ud800\"}")))
                .isEqualTo(
                        "'label' in the body contains an unpaired surrogate (U+D800) at position 1, which cannot be stored; remove it");
        assertThat(refused(Http.put(
                        server.api() + "/asks/1/",
                        renter.key(),
                        "{\"image\": \"ubuntu\", \"env\": {\"\\udc00\": \"1\"}}")))
                .containsIgnoringCase(
                        "surrogate"); // Jackson refuses a lone low one in a key itself, the screen the rest
        assertThat(refused(
                        Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"ssh-ed25519 AAAA\\udbff\"}")))
                .contains("'ssh_key' in the body contains an unpaired surrogate (U+DBFF)"); // its NULs are stripped, as
        // on Vast
        assertThat(refused(Http.get(server.api() + "/instances/?label=%00", renter.key())))
                .isEqualTo(
                        "Query parameter 'label' contains a NUL character (U+0000) at position 0, which cannot be stored; remove it");
        assertThat(refused(Http.get(
                        server.api() + "/template/?select_filters=" + Http.encode("{\"name\": {\"eq\": \"\\u0000\"}}"),
                        renter.key())))
                .contains("'name.eq' in the select_filters");
    }

    @Test
    void a_rent_asking_more_disk_than_pricing_can_hold_or_an_infinite_disk_is_refused() {
        long offer = Rentals.offer(server, renter.key(), machine.id(), 1);

        assertThat(refused(Rentals.rent(server, renter.key(), offer, "{\"image\": \"ubuntu\", \"disk\": 1e15}")))
                .isEqualTo("'disk' must be at most 1000000 GB, got 1.0E15");
        assertThat(refused(Rentals.rent(server, renter.key(), offer, "{\"image\": \"ubuntu\", \"disk\": 1e999}")))
                .isEqualTo("'disk' in the body must be a finite number, got 1e999");
        assertThat(refused(Rentals.rent(server, renter.key(), offer, "{\"image\": \"ubuntu\", \"disk\": 5000}")))
                .startsWith("'disk' of 5000 GB is more than offer " + offer + " has");
    }

    @Test
    void a_host_reporting_a_run_start_past_any_clock_is_refused() {
        var r = server.agent(machine)
                .syncRaw("{\"revision\": 0, \"wait_seconds\": 0, \"instances\": [{\"id\": " + instance
                        + ", \"actual_status\": \"running\", \"status_msg\": \"\", \"ssh_port\": 0, \"disk_usage_gb\": 0, \"cpu_util\": 0, "
                        + "\"applied_revision\": 0, \"started_at\": 9223372036854775807}], \"removed\": []}");

        assertThat(refused(r))
                .isEqualTo("instance " + instance + ": started_at must be epoch seconds between 0 and 253402300799, "
                        + "got 9223372036854775807");
    }

    @Test
    void billing_ranges_far_outside_the_books_answer_like_the_books_edge() {
        var invoices =
                Http.get(server.api() + "/users/me/invoices?sdate=-9223372036854775808&edate=1e300", renter.key());
        var earnings =
                Http.get(server.api() + "/users/me/machine-earnings?sday=-9223372036854775808&eday=-1e300", host.key());
        var charges = Http.get(
                server.api() + "/charges/?select_filters="
                        + Http.encode("{\"day\": {\"gte\": -1e300, \"lte\": 1e300}}"),
                renter.key());

        assertThat(invoices.status()).as(invoices.body()).isEqualTo(200);
        assertThat(earnings.status()).as(earnings.body()).isEqualTo(200);
        assertThat(charges.status()).as(charges.body()).isEqualTo(200);
    }

    @Test
    void jettys_own_refusals_are_json_in_the_vast_shape() throws IOException {
        String uriTooLong = raw("GET /api/v0/bundles/?q=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String nulInPath = raw("GET /api/v0/instances/%00/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String badEncoding = raw("GET /api/v0/instances/%c3%28/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String badHost = raw("GET /api/v0/instances/ HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
        String headersTooLarge =
                raw("GET /api/v0/instances/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        String badRequestLine = raw("G\u0001T / HTTP/1.1\r\nHost: x\r\n\r\n");
        String badLength = raw("PUT /api/v0/instances/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");

        assertVastError(uriTooLong, 414, "uri_too_long");
        assertVastError(nulInPath, 400, "invalid_request");
        assertVastError(badEncoding, 400, "invalid_request");
        assertVastError(badHost, 400, "invalid_request");
        assertVastError(headersTooLarge, 431, "headers_too_large");
        assertVastError(badRequestLine, 400, "invalid_request");
        assertVastError(badLength, 400, "invalid_request");
    }

    @Test
    void an_unknown_method_a_wrong_content_type_and_a_body_that_is_not_json_get_vast_errors() {
        var patch = Http.call("PATCH", server.api() + "/instances/", renter.key(), "{}");
        var notJson = Http.post(server.api() + "/bundles/", renter.key(), "not json");

        assertThat(patch.status()).isIn(404, 405);
        assertThat(patch.contentType()).isEqualTo("application/json");
        assertThat(patch.json().get("success").asBoolean(true)).isFalse();
        assertThat(refused(notJson)).startsWith("Invalid json body");
    }

    @Test
    void a_log_upload_holding_nul_bytes_is_kept_with_replacement_characters() {
        String url = Http.put(server.api() + "/instances/request_logs/" + instance + "/", renter.key(), "{}")
                .json()
                .get("result_url")
                .asText();
        String token = url.substring(url.lastIndexOf('/') + 1, url.length() - ".log".length());

        assertThat(server.agent(machine)
                        .uploadLogs(token, "line one\u0000\nline two\n")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(url, null).body()).isEqualTo("line one\uFFFD\nline two\n");
    }

    private static String registration(String gpuName) {
        try {
            Map<String, Object> m = Wire.mapper()
                    .convertValue(
                            TestMachines.machine("RTX 4090", 1, "Oslo, NO", 43400),
                            new TypeReference<Map<String, Object>>() {});
            m.put("gpu_name", gpuName);
            return Wire.mapper().writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends bytes as they are (no client would let us send these) and answers what came back. */
    private static String raw(String request) throws IOException {
        java.net.URI uri = java.net.URI.create(server.url());
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (complete(b)) break;
                }
            } catch (java.net.SocketException | java.net.SocketTimeoutException closed) {
                // the server closed after answering: what arrived is the answer
            }
            return b.toString();
        }
    }

    /** Whether a whole answer (headers and Content-Length bytes of body) has arrived. */
    private static boolean complete(StringBuilder b) {
        int end = b.indexOf("\r\n\r\n");
        if (end < 0) return false;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(b.substring(0, end));
        return m.find() && b.length() - end - 4 >= Integer.parseInt(m.group(1));
    }

    private static void assertVastError(String answer, int status, String code) throws IOException {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status + " ");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
        assertThat(head).as(head).containsIgnoringCase("\r\nContent-Type: application/json\r\n");
        var body = Wire.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.get("success").asBoolean(true)).isFalse();
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("msg").asText()).isNotBlank();
    }
}
