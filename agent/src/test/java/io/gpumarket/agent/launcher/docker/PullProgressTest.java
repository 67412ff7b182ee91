package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PullProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void feed(PullProgress p, String... events) throws Exception {
        for (String e : events) p.accept(JSON.readTree(e));
    }

    @Test
    void layers_and_bytes_add_up_as_the_engine_reports_them() throws Exception {
        PullProgress p = new PullProgress("pytorch/pytorch:2.4.0");
        feed(
                p,
                "{\"status\":\"Pulling from pytorch/pytorch\",\"id\":\"2.4.0\"}",
                "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a\"}",
                "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"b\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1000000,\"total\":4000000},\"id\":\"a\"}",
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":500000,\"total\":1000000},\"id\":\"b\"}");
        assertThat(p.summary()).isEqualTo("pulling image pytorch/pytorch:2.4.0: 0 of 2 layers, 1.5 of 5.0 MB");
        feed(p, "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"b\"}");
        assertThat(p.summary()).isEqualTo("pulling image pytorch/pytorch:2.4.0: 1 of 2 layers, 2.0 of 5.0 MB");
        assertThat(p.error()).isNull();
    }

    @Test
    void an_error_in_the_stream_is_kept_for_the_message() throws Exception {
        PullProgress p = new PullProgress("nope/missing:1");
        feed(p, "{\"error\":\"manifest unknown\",\"errorDetail\":{\"message\":\"manifest unknown\"}}");
        assertThat(p.error()).isEqualTo("manifest unknown");
        assertThat(p.summary()).isEqualTo("pulling image nope/missing:1");
    }
}
