package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.server.http.Router;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/openapi.json}: written from the route table, so every route is in it, and it is valid OpenAPI 3.1. */
class OpenApiHttpTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_registered_route_is_in_the_document_with_its_access_and_rate_limit_class() {
        JsonNode paths = document().get("paths");
        List<Router.Route> routes = server.app().routes();
        assertThat(routes).hasSizeGreaterThan(40);
        for (Router.Route r : routes) {
            JsonNode op = paths.path(r.path()).path(r.method().toLowerCase(Locale.ROOT));
            assertThat(op.isObject()).as(r.method() + " " + r.path()).isTrue();
            assertThat(op.get("x-gpumarket-access").asText())
                    .isEqualTo(r.access().category());
            assertThat(op.get("x-gpumarket-route-name").asText()).isEqualTo(r.name());
            assertThat(op.get("x-gpumarket-rate-limit-class").asText())
                    .isEqualTo(Router.routeClass(r).flag());
            long params = r.path().chars().filter(c -> c == '{').count();
            assertThat(op.path("parameters").size()).as(r.path()).isEqualTo((int) params);
        }
        int operations = 0;
        for (JsonNode path : paths) operations += path.size();
        assertThat(operations).as("no operation the table lacks").isEqualTo(routes.size());
    }

    @Test
    void the_document_validates_as_openapi_3_1() {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(problems(doc.toString())).isEmpty();
    }

    @Test
    void the_validator_finds_a_broken_document_broken() {
        // the check above could pass on anything if the validator accepted anything: one without responses must fail
        ObjectNode broken = document().deepCopy();
        ((ObjectNode) broken.get("paths").get("/api/v0/users/current").get("get")).remove("responses");
        ((ObjectNode) broken).remove("info");
        assertThat(problems(broken.toString())).isNotEmpty();
    }

    @Test
    void the_document_is_public_and_answers_as_json() {
        Http.Response r = Http.get(server.url() + "/api/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
    }

    private static JsonNode document() {
        Http.Response r = Http.get(server.url() + "/api/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    private static List<String> problems(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        List<String> messages =
                new OpenAPIV3Parser().readContents(json, null, options).getMessages();
        return messages == null ? List.of() : messages;
    }
}
