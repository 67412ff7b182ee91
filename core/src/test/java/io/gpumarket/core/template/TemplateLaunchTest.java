package io.gpumarket.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.instance.RentRequest;
import io.gpumarket.core.instance.Runtype;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateLaunchTest {
    static final TemplateContent TEMPLATE = TemplateContent.of(Map.of(
            "name",
            "t",
            "image",
            "ubuntu",
            "tag",
            "22.04",
            "env",
            "-e GREETING=hello -e SHARED=template -p 8080:8080",
            "onstart",
            "echo template",
            "runtype",
            "ssh",
            "recommended_disk_space",
            20,
            "extra_filters",
            Map.of("num_gpus", Map.of("gte", 2), "verified", Map.of("eq", true))));

    static RentFields request(String image, Object env, String onstart, Double disk) {
        return new RentFields(image, env, onstart, null, null, null, "lbl", disk, null, false, null);
    }

    @Test
    void the_template_fills_what_the_request_leaves_out() {
        RentRequest r =
                TemplateLaunch.apply(TEMPLATE, request(null, null, null, null)).toRequest();

        assertThat(r.launch().image()).isEqualTo("ubuntu:22.04");
        assertThat(r.launch().onstart()).isEqualTo("echo template");
        assertThat(r.launch().runtype()).isEqualTo(Runtype.SSH);
        assertThat(r.diskGb()).isEqualTo(20.0);
        assertThat(r.label()).isEqualTo("lbl");
        assertThat(r.publishedPorts()).containsExactly("8080/tcp");
    }

    @Test
    void request_scalars_win_and_env_merges_by_key_with_the_request_winning() {
        RentRequest r = TemplateLaunch.apply(
                        TEMPLATE, request("busybox", Map.of("SHARED", "request", "MINE", "1"), "", 10.0))
                .toRequest();

        assertThat(r.launch().image()).isEqualTo("busybox");
        assertThat(r.launch().onstart()).isEmpty();
        assertThat(r.diskGb()).isEqualTo(10.0);
        assertThat(r.launch().env())
                .containsExactly(
                        new EnvPair("GREETING", "hello"),
                        new EnvPair("SHARED", "request"),
                        new EnvPair("-p 8080:8080", "1"),
                        new EnvPair("MINE", "1"));
    }

    @Test
    void the_request_query_wins_over_extra_filters_key_by_key() {
        Map<String, Object> q = TemplateLaunch.filters(TEMPLATE, Map.of("num_gpus", Map.of("eq", 1)));

        assertThat(q).isEqualTo(Map.of("num_gpus", Map.of("eq", 1), "verified", Map.of("eq", true)));
        assertThat(TemplateLaunch.filters(null, Map.of("a", 1))).isEqualTo(Map.of("a", 1));
    }

    @Test
    void args_come_from_the_request_only() {
        RentFields withArgs =
                new RentFields(null, null, null, List.of("--port", "1"), null, "args", null, null, null, false, null);

        assertThat(TemplateLaunch.apply(TEMPLATE, withArgs).toRequest().launch().args())
                .containsExactly("--port", "1");
    }
}
