package io.gpumarket.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PermissionDocumentTest {
    static final Map<String, String> ID_7 = Map.of("id", "7");

    static PermissionDocument doc(Map<String, Object> categories) {
        return new PermissionDocument(Map.of("api", categories));
    }

    @Test
    void an_empty_category_grants_every_route_in_it() {
        PermissionDocument d = doc(Map.of("misc", Map.of(), "instance_read", Map.of()));

        assertThat(d.check("misc", "api.bundles", Map.of()).allowed()).isTrue();
        assertThat(d.check("instance_read", "api.instance.show", ID_7).allowed())
                .isTrue();
    }

    @Test
    void a_missing_category_is_refused_naming_the_category_and_route() {
        Decision d = doc(Map.of("misc", Map.of())).check("user_read", "api.users.current", Map.of());

        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("this key lacks permission user_read for api.users.current");
    }

    @Test
    void a_category_that_lists_routes_grants_only_those() {
        PermissionDocument d = doc(Map.of("instance_write", Map.of("api.instance.destroy", Map.of())));

        assertThat(d.check("instance_write", "api.instance.destroy", ID_7).allowed())
                .isTrue();
        assertThat(d.check("instance_write", "api.instance.reboot", ID_7).allowed())
                .isFalse();
    }

    @Test
    void constraints_on_id_take_eq_lte_and_gte() {
        PermissionDocument eq = doc(Map.of(
                "instance_read", Map.of("api.instance.show", Map.of("constraints", Map.of("id", Map.of("eq", 7))))));
        PermissionDocument range = doc(Map.of(
                "instance_read",
                Map.of(
                        "api.instance.request_logs",
                        Map.of("constraints", Map.of("id", Map.of("gte", 1, "lte", 100))))));

        assertThat(eq.check("instance_read", "api.instance.show", ID_7).allowed())
                .isTrue();
        Decision other = eq.check("instance_read", "api.instance.show", Map.of("id", "8"));
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).isEqualTo("this key lacks permission instance_read for api.instance.show on id 8");
        assertThat(range.check("instance_read", "api.instance.request_logs", Map.of("id", "100"))
                        .allowed())
                .isTrue();
        assertThat(range.check("instance_read", "api.instance.request_logs", Map.of("id", "101"))
                        .allowed())
                .isFalse();
        assertThat(range.check("instance_read", "api.instance.request_logs", Map.of("id", "0"))
                        .allowed())
                .isFalse();
    }

    @Test
    void a_constrained_route_called_without_that_parameter_is_refused() {
        PermissionDocument d = doc(Map.of(
                "instance_read", Map.of("api.instances.show", Map.of("constraints", Map.of("id", Map.of("eq", 7))))));

        Decision decision = d.check("instance_read", "api.instances.show", Map.of());
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("limited by id");
    }

    @Test
    void what_the_checker_does_not_understand_is_refused() {
        PermissionDocument unknownOp = doc(Map.of(
                "instance_read", Map.of("api.instance.show", Map.of("constraints", Map.of("id", Map.of("like", 7))))));
        PermissionDocument listBound = doc(Map.of(
                "instance_read",
                Map.of("api.instance.show", Map.of("constraints", Map.of("id", Map.of("eq", List.of(7)))))));
        PermissionDocument notAnObject = doc(Map.of("instance_read", "all"));

        assertThat(unknownOp.check("instance_read", "api.instance.show", ID_7).allowed())
                .isFalse();
        assertThat(listBound.check("instance_read", "api.instance.show", ID_7).allowed())
                .isFalse();
        assertThat(notAnObject.check("instance_read", "api.instance.show", ID_7).allowed())
                .isFalse();
        assertThat(new PermissionDocument(Map.of())
                        .check("misc", "api.bundles", Map.of())
                        .allowed())
                .isFalse();
    }

    @Test
    void the_instance_key_document_grants_its_instance_show_manage_destroy_and_logs_only() {
        PermissionDocument d = new PermissionDocument(InstanceScope.document(7));

        for (String[] grant : new String[][] {
            {"instance_read", InstanceScope.SHOW},
            {"instance_read", InstanceScope.REQUEST_LOGS},
            {"instance_write", InstanceScope.MANAGE},
            {"instance_write", InstanceScope.DESTROY}
        }) {
            assertThat(d.check(grant[0], grant[1], ID_7).allowed()).as(grant[1]).isTrue();
            assertThat(d.check(grant[0], grant[1], Map.of("id", "8")).allowed())
                    .as(grant[1] + " elsewhere")
                    .isFalse();
        }
        assertThat(d.check("instance_write", "api.instance.reboot", ID_7).allowed())
                .isFalse();
        assertThat(d.check("instance_write", "api.instance.create", ID_7).allowed())
                .isFalse();
        assertThat(d.check("user_read", "api.users.current", Map.of()).allowed())
                .isFalse();
    }
}
