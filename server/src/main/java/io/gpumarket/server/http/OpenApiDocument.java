package io.gpumarket.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the API, written from the router's own route table ({@link Router#table()}): every
 * registered route with its method, path parameters, who may call it ({@code x-gpumarket-access}, the scoped keys'
 * route name {@code x-gpumarket-route-name}) and its rate-limit class ({@code x-gpumarket-rate-limit-class}). Nothing
 * here is written by hand per route, so the document cannot drift from what the server answers; bodies are described
 * as JSON objects (their fields are Vast's, docs/vast-compatibility.md).
 */
public final class OpenApiDocument {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {}

    public static Map<String, Object> of(List<Router.Route> routes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put(
                "info",
                Map.of(
                        "title",
                        "gpumarket API",
                        "version",
                        "v0",
                        "description",
                        "A GPU market's REST API, wire-compatible with Vast.ai's v0 and v1 (instance list). Generated "
                                + "from the server's route table."));
        doc.put("servers", List.of(Map.of("url", "/")));
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (Router.Route r : routes) {
            paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>())
                    .put(r.method().toLowerCase(Locale.ROOT), operation(r));
        }
        doc.put("paths", paths);
        doc.put("components", components());
        return doc;
    }

    private static Map<String, Object> operation(Router.Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId(r));
        op.put("summary", r.name());
        op.put("tags", List.of(r.access().category()));
        List<Object> parameters = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(r.path());
        while (m.find()) {
            parameters.add(
                    Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) op.put("parameters", parameters);
        if (r.method().equals("POST") || r.method().equals("PUT")) {
            op.put(
                    "requestBody",
                    Map.of(
                            "required",
                            false,
                            "content",
                            Map.of(Json.CONTENT_TYPE, Map.of("schema", Map.of("type", "object")))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "Success"));
        responses.put("default", Map.of("$ref", "#/components/responses/Error"));
        op.put("responses", responses);
        op.put("security", security(r));
        op.put("x-gpumarket-access", r.access().category());
        op.put("x-gpumarket-route-name", r.name());
        op.put("x-gpumarket-rate-limit-class", Router.routeClass(r).flag());
        if (r.anonymous()) op.put("x-gpumarket-key-optional", true);
        return op;
    }

    /** "PUT /api/v0/instances/{id}" → "put_api_v0_instances_id": unique, since (method, path) is. */
    static String operationId(Router.Route r) {
        String path = r.path().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
        return r.method().toLowerCase(Locale.ROOT) + "_" + path;
    }

    private static List<Object> security(Router.Route r) {
        return switch (r.access()) {
            case PUBLIC -> List.of();
            case AGENT -> List.of(Map.of("machineToken", List.of()));
            default -> {
                List<Object> s = new ArrayList<>();
                if (r.anonymous()) s.add(Map.of()); // no key at all is accepted too
                s.add(Map.of("apiKey", List.of()));
                s.add(Map.of("apiKeyQuery", List.of()));
                yield s;
            }
        };
    }

    private static Map<String, Object> components() {
        Map<String, Object> schemes = new LinkedHashMap<>();
        schemes.put(
                "apiKey",
                Map.of("type", "http", "scheme", "bearer", "description", "An API key (full or scoped), as on Vast"));
        schemes.put("apiKeyQuery", Map.of("type", "apiKey", "in", "query", "name", "api_key"));
        schemes.put(
                "machineToken",
                Map.of("type", "http", "scheme", "bearer", "description", "A machine's token (agent routes only)"));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "object");
        error.put(
                "properties",
                Map.of(
                        "success", Map.of("const", false),
                        "error", Map.of("type", "string"),
                        "msg", Map.of("type", "string"),
                        "request_id", Map.of("type", "string", "description", "5xx answers only")));
        error.put("required", List.of("success", "error", "msg"));
        return Map.of(
                "securitySchemes",
                schemes,
                "schemas",
                Map.of("Error", error),
                "responses",
                Map.of(
                        "Error",
                        Map.of(
                                "description",
                                "A refusal in Vast's error shape",
                                "content",
                                Map.of(
                                        Json.CONTENT_TYPE,
                                        Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))),
                                "headers",
                                Map.of(
                                        "X-Request-Id",
                                        Map.of(
                                                "description",
                                                "The request's id",
                                                "schema",
                                                Map.of("type", "string"))))));
    }
}
