package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImagePullerTest {
    @Test
    void image_references_split_into_name_and_tag_as_the_pull_call_takes_them() {
        assertThat(ImagePuller.splitReference("ubuntu")).containsExactly("ubuntu", "latest");
        assertThat(ImagePuller.splitReference("pytorch/pytorch:2.4.0-cuda12.4"))
                .containsExactly("pytorch/pytorch", "2.4.0-cuda12.4");
        assertThat(ImagePuller.splitReference("registry.local:5000/team/img"))
                .containsExactly("registry.local:5000/team/img", "latest");
        assertThat(ImagePuller.splitReference("img@sha256:abc")).containsExactly("img", "sha256:abc");
    }
}
