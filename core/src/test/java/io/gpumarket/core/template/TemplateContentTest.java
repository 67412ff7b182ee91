package io.gpumarket.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateContentTest {
    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> b = new LinkedHashMap<>(Map.of("name", "torch", "image", "pytorch/pytorch"));
        for (int i = 0; i < pairs.length; i += 2) b.put((String) pairs[i], pairs[i + 1]);
        return b;
    }

    @Test
    void defaults_fill_what_the_body_leaves_out() {
        TemplateContent t = TemplateContent.of(body());

        assertThat(t.fields())
                .containsEntry("tag", "latest")
                .containsEntry("private", true)
                .containsEntry("recommended_disk_space", 8.0)
                .containsEntry("runtype", "args")
                .containsEntry("env", "");
        assertThat(TemplateContent.of(body("use_ssh", true)).runtype()).isEqualTo("ssh");
    }

    @Test
    void name_and_image_are_required_and_env_filters_and_runtype_are_checked() {
        assertThatThrownBy(() -> TemplateContent.of(Map.of("image", "x"))).hasMessage("Template name is required");
        assertThatThrownBy(() -> TemplateContent.of(Map.of("name", "x"))).hasMessageContaining("image is required");
        assertThatThrownBy(() -> TemplateContent.of(body("env", "-p 8080:99999")))
                .hasMessageContaining("ports 1-65535");
        assertThatThrownBy(() -> TemplateContent.of(body("env", Map.of("A", "b"))))
                .hasMessageContaining("'env' must be a string");
        assertThatThrownBy(() -> TemplateContent.of(body("extra_filters", Map.of("no_such_field", Map.of("eq", 1)))))
                .hasMessageContaining("extra_filters: unknown search field 'no_such_field'");
        assertThatThrownBy(() -> TemplateContent.of(body("runtype", "telnet")))
                .hasMessageContaining("unknown token 'telnet'");
        assertThatThrownBy(() -> TemplateContent.of(body("recommended_disk_space", "lots")))
                .hasMessageContaining("must be a number");
    }

    @Test
    void the_hash_follows_the_content_and_the_creator_not_the_key_order() {
        TemplateContent a = TemplateContent.of(body(
                "env",
                "-e A=1",
                "extra_filters",
                Map.of("num_gpus", Map.of("gte", 1), "verified", Map.of("eq", true))));
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("extra_filters", Map.of("verified", Map.of("eq", true), "num_gpus", Map.of("gte", 1)));
        reordered.put("env", "-e A=1");
        reordered.put("image", "pytorch/pytorch");
        reordered.put("name", "torch");
        reordered.put("recommended_disk_space", 8);

        assertThat(TemplateContent.of(reordered).hashId(1)).isEqualTo(a.hashId(1));
        assertThat(a.hashId(2)).isNotEqualTo(a.hashId(1));
        assertThat(a.edit(Map.of("env", "-e A=2")).hashId(1)).isNotEqualTo(a.hashId(1));
        assertThat(a.hashId(1)).hasSize(32).matches("[0-9a-f]+");
    }

    @Test
    void an_edit_changes_what_it_gives_and_nulls_change_nothing() {
        TemplateContent t = TemplateContent.of(body("onstart", "echo hi", "private", false));
        Map<String, Object> cliEdit = new HashMap<>();
        cliEdit.put("hash_id", "whatever");
        cliEdit.put("name", "torch2");
        cliEdit.put("onstart", null);

        TemplateContent edited = t.edit(cliEdit);

        assertThat(edited.name()).isEqualTo("torch2");
        assertThat(edited.onstart()).isEqualTo("echo hi");
        assertThat(edited.isPrivate()).isFalse();
    }

    @Test
    void the_image_gets_its_tag_unless_it_names_one() {
        assertThat(TemplateContent.of(body("tag", "2.4")).imageRef()).isEqualTo("pytorch/pytorch:2.4");
        assertThat(TemplateContent.of(body("image", "pytorch/pytorch:2.1", "tag", "2.4"))
                        .imageRef())
                .isEqualTo("pytorch/pytorch:2.1");
        assertThat(TemplateContent.of(body("image", "localhost:5000/torch", "tag", "x"))
                        .imageRef())
                .isEqualTo("localhost:5000/torch:x");
        assertThat(TemplateContent.of(body("image", "repo@sha256:abc")).imageRef())
                .isEqualTo("repo@sha256:abc");
    }
}
