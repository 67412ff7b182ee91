package io.gpumarket.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.Wire;
import io.gpumarket.core.permission.InstanceScope;
import org.junit.jupiter.api.Test;

class RentScopeTest {
    @Test
    void the_instance_keys_scope_text_is_jacksons_text_of_the_permission_document() throws Exception {
        for (long id : new long[] {1, 9, 10, 12_345, 999_999_999_999L, Long.MAX_VALUE}) {
            assertThat(RentService.scope(id)).isEqualTo(Wire.mapper().writeValueAsString(InstanceScope.document(id)));
        }
    }
}
