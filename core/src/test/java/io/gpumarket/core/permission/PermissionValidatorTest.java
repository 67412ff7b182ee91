package io.gpumarket.core.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionValidatorTest {
    static final RouteCatalog ROUTES = new RouteCatalog(Map.of(
            "instance_read", Map.of("api.instance.show", Set.of("id"), "api.instances.list", Set.of()),
            "instance_write", Map.of("api.instance.destroy", Set.of("id")),
            "misc", Map.of("api.bundles", Set.of())));

    static void refused(Object doc, String code, String message) {
        assertThatThrownBy(() -> PermissionValidator.validate(doc, ROUTES))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    /** A document granting api.instance.show with these constraints. */
    static Map<String, Object> show(Map<String, Object> constraints) {
        return Map.of("api", Map.of("instance_read", Map.of("api.instance.show", Map.of("constraints", constraints))));
    }

    @Test
    void the_documented_examples_pass_and_come_back_in_normal_form() {
        Map<String, Object> doc = PermissionValidator.validate(
                Map.of(
                        "api",
                        Map.of(
                                "misc",
                                Map.of(),
                                "instance_read",
                                Map.of(
                                        "api.instance.show",
                                        Map.of("constraints", Map.of("id", Map.of("gte", 1, "lte", 100)))))),
                ROUTES);

        assertThat(new PermissionDocument(doc)
                        .check("instance_read", "api.instance.show", Map.of("id", "42"))
                        .allowed())
                .isTrue();
        assertThat(new PermissionDocument(doc)
                        .check("instance_read", "api.instance.show", Map.of("id", "101"))
                        .allowed())
                .isFalse();
        assertThat(new PermissionDocument(doc)
                        .check("misc", "api.bundles", Map.of())
                        .allowed())
                .isTrue();
    }

    @Test
    void a_document_without_the_api_key_is_wrapped_in_one() {
        assertThat(PermissionValidator.validate(Map.of("misc", Map.of()), ROUTES))
                .isEqualTo(Map.of("api", Map.of("misc", Map.of())));
    }

    @Test
    void no_document_is_missing_permissions() {
        refused(null, "missing_permissions", "'permissions' is required");
    }

    @Test
    void every_mistake_is_refused_naming_it() {
        refused(List.of(), "invalid_permissions", "must be a JSON object");
        refused(Map.of("api", Map.of()), "invalid_permissions", "grants nothing");
        refused(Map.of("api", Map.of("misc", Map.of()), "extra", 1), "invalid_permissions", "also got extra");
        refused(
                Map.of("api", Map.of("manage_instances", Map.of())),
                "invalid_permissions",
                "unknown permission category 'manage_instances'");
        refused(Map.of("api", Map.of("misc", true)), "invalid_permissions", "misc must be an object");
        refused(
                Map.of("api", Map.of("instance_write", Map.of("api.instance.show", Map.of()))),
                "invalid_permissions",
                "'api.instance.show' is not a route of instance_write; its routes are api.instance.destroy");
        refused(
                Map.of("api", Map.of("instance_read", Map.of("api.instance.show", Map.of("params", "*")))),
                "invalid_permissions",
                "unknown key 'params'");
        refused(show(Map.of("machine_id", Map.of("eq", 1))), "invalid_permissions", "has no parameter 'machine_id'");
        refused(
                show(Map.of("id", Map.of("lt", 1))),
                "invalid_permissions",
                "unknown operator 'lt' on id; use eq, lte or gte");
        refused(show(Map.of("id", Map.of("eq", List.of(1)))), "invalid_permissions", "must be a number or a string");
    }
}
