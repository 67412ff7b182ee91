package io.gpumarket.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PermissionSubsetTest {
    static PermissionDocument doc(Map<String, Object> categories) {
        return new PermissionDocument(Map.of("api", categories));
    }

    static Map<String, Object> ids(Map<String, Object> ops) {
        return Map.of("constraints", Map.of("id", ops));
    }

    @Test
    void a_full_access_key_may_grant_anything() {
        assertThat(PermissionSubset.excess(doc(Map.of("misc", Map.of(), "user_write", Map.of())), null))
                .isEmpty();
    }

    @Test
    void a_category_the_holder_lacks_is_the_excess() {
        assertThat(PermissionSubset.excess(doc(Map.of("user_write", Map.of())), doc(Map.of("misc", Map.of()))))
                .contains("category user_write");
    }

    @Test
    void a_whole_category_exceeds_a_holder_with_some_of_its_routes() {
        PermissionDocument holder = doc(Map.of("instance_read", Map.of("api.instance.show", Map.of())));

        assertThat(PermissionSubset.excess(doc(Map.of("instance_read", Map.of())), holder))
                .get()
                .asString()
                .startsWith("all of instance_read");
        assertThat(PermissionSubset.excess(doc(Map.of("instance_read", Map.of("api.instance.show", Map.of()))), holder))
                .isEmpty();
        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_read", Map.of("api.instance.request_logs", Map.of()))), holder))
                .contains("api.instance.request_logs");
    }

    @Test
    void constraints_may_narrow_but_not_widen() {
        PermissionDocument holder =
                doc(Map.of("instance_write", Map.of("api.instance.destroy", ids(Map.of("gte", 10, "lte", 20)))));

        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_write", Map.of("api.instance.destroy", ids(Map.of("eq", 15))))), holder))
                .isEmpty();
        assertThat(PermissionSubset.excess(
                        doc(Map.of(
                                "instance_write", Map.of("api.instance.destroy", ids(Map.of("gte", "12", "lte", 20))))),
                        holder))
                .isEmpty();
        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_write", Map.of("api.instance.destroy", ids(Map.of("eq", 21))))), holder))
                .isPresent();
        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_write", Map.of("api.instance.destroy", ids(Map.of("gte", 10))))), holder))
                .isPresent();
        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_write", Map.of("api.instance.destroy", Map.of()))), holder))
                .contains("api.instance.destroy without the constraint on id");
    }

    @Test
    void an_unconstrained_holder_route_allows_any_constraint_on_it() {
        PermissionDocument holder = doc(Map.of("instance_write", Map.of("api.instance.destroy", Map.of())));

        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_write", Map.of("api.instance.destroy", ids(Map.of("eq", 3))))), holder))
                .isEmpty();
    }

    @Test
    void an_instance_key_can_grant_only_what_it_holds_of_its_own_instance() {
        PermissionDocument instanceKey = new PermissionDocument(InstanceScope.document(7));

        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_read", Map.of(InstanceScope.SHOW, ids(Map.of("eq", 7))))), instanceKey))
                .isEmpty();
        assertThat(PermissionSubset.excess(
                        doc(Map.of("instance_read", Map.of(InstanceScope.SHOW, ids(Map.of("eq", 8))))), instanceKey))
                .isPresent();
    }
}
