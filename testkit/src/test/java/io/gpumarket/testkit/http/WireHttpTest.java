package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What real clients send that a naive server turns into 500s. */
class WireHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account alice;

    @BeforeAll
    static void start() {
        alice = server.newUser();
    }

    @Test
    void a_client_that_accepts_gzip_as_python_requests_does_gets_a_whole_gzipped_answer() throws Exception {
        // the API document is tens of kilobytes: large enough for Javalin to compress it
        var answer = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/api/openapi.json"))
                                .header("Accept-Encoding", "gzip, deflate")
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] json = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(answer.body())).readAllBytes();
        assertThat(io.gpumarket.api.Wire.mapper().readTree(json).path("openapi").asText())
                .startsWith("3.1");
    }

    @Test
    void malformed_json_is_a_400_in_the_vast_shape() {
        var r = Http.post(server.api() + "/bundles/", alice.key(), "{\"gpu_name\": {\"eq\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(r.json().get("msg").asText()).startsWith("Invalid json");
    }

    @Test
    void a_json_array_where_an_object_belongs_is_a_400() {
        var r = Http.post(server.api() + "/bundles/", alice.key(), "[1,2,3]");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void a_wrong_type_in_a_typed_body_is_a_400_naming_the_field() {
        var r = Http.post(
                server.api() + "/host/machines/", alice.key(), "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": \"many\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText()).contains("num_gpus");
    }

    @Test
    void an_oversized_body_is_a_400_not_a_413_or_500() {
        String big = "{\"label\": \"" + "x".repeat(2 << 20) + "\"}";
        var r = Http.post(server.api() + "/bundles/", alice.key(), big);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("success").asBoolean()).isFalse();
    }

    @Test
    void a_body_on_a_get_is_tolerated_and_unknown_query_parameters_are_ignored() {
        var r = Http.call(
                "GET", server.api() + "/users/current/?owner=me&whatever=1", alice.key(), "{\"machine_id\": 5}");
        assertThat(r.status()).isEqualTo(200);
    }
}
