package io.gpumarket.core.serverless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchParamsTest {
    @Test
    void vast_clis_default_query_text_reads_as_the_json_query() {
        assertThat(SearchParams.parse("num_gpus>=1 dph<2.5 gpu_name=RTX_4090 verified=True rented=False"))
                .isEqualTo(Map.of(
                        "num_gpus", Map.of("gte", 1L),
                        "dph", Map.of("lt", 2.5),
                        "gpu_name", Map.of("eq", "RTX 4090"),
                        "verified", Map.of("eq", true),
                        "rented", Map.of("eq", false)));
    }

    @Test
    void a_json_query_is_taken_as_it_is_and_nonsense_is_refused() {
        assertThat(SearchParams.parse(Map.of("num_gpus", Map.of("eq", 1)))).containsKey("num_gpus");
        assertThat(SearchParams.parse("")).isEmpty();
        assertThatThrownBy(() -> SearchParams.parse("num_gpus ~ 3"))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("cannot read");
    }
}
