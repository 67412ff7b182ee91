package io.gpumarket.core.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudCopyRequestTest {
    @Test
    void instance_to_cloud_takes_the_instance_path_from_src_and_the_bucket_from_dst_in_any_case() {
        var r = CloudCopyRequest.of("/workspace/data", "/my-bucket/run1", "instance to CLOUD", List.of("--update"));
        assertThat(r.toCloud()).isTrue();
        assertThat(r.instancePath()).isEqualTo("/workspace/data");
        assertThat(r.cloudPath()).isEqualTo("my-bucket/run1");
        assertThat(r.flags()).containsExactly("--update");
        assertThat(r.transfer()).isEqualTo("Instance To Cloud");
    }

    @Test
    void cloud_to_instance_puts_a_relative_path_under_workspace() {
        var r = CloudCopyRequest.of("my-bucket", "restored", "Cloud To Instance", null);
        assertThat(r.toCloud()).isFalse();
        assertThat(r.instancePath()).isEqualTo("/workspace/restored");
        assertThat(r.cloudPath()).isEqualTo("my-bucket");
    }

    @Test
    void flags_outside_vastais_list_dot_dots_bad_buckets_and_unknown_transfers_are_refused() {
        for (Runnable bad : List.<Runnable>of(
                () -> CloudCopyRequest.of("/w", "bkt", "Instance To Cloud", List.of("--config=/etc/x")),
                () -> CloudCopyRequest.of("/w/../etc", "bkt", "Instance To Cloud", List.of()),
                () -> CloudCopyRequest.of("/w", "bkt/../x", "Instance To Cloud", List.of()),
                () -> CloudCopyRequest.of("/w", "Bad_Bucket", "Instance To Cloud", List.of()),
                () -> CloudCopyRequest.of("/w\nx", "bkt", "Instance To Cloud", List.of()),
                () -> CloudCopyRequest.of("/w", "bkt", "Cloud To Cloud", List.of()),
                () -> CloudCopyRequest.of(null, "bkt", "Instance To Cloud", List.of()))) {
            assertThatThrownBy(bad::run).isInstanceOf(DomainException.BadRequest.class);
        }
    }

    @Test
    void a_connections_rclone_options_use_rclones_names_and_values_with_newlines_are_refused() {
        var spec = CloudConnectionSpec.of("b", null, null, "http://10.0.0.1:9000", "us-east-1", "AK1234", "SK");
        assertThat(spec.rcloneOptions())
                .containsEntry("type", "s3")
                .containsEntry("provider", "Other")
                .containsEntry("endpoint", "http://10.0.0.1:9000")
                .containsEntry("region", "us-east-1")
                .containsEntry("access_key_id", "AK1234")
                .containsEntry("secret_access_key", "SK");
        assertThat(CloudConnectionSpec.fromOptions("b", spec.rcloneOptions())).isEqualTo(spec);
        assertThat(spec.maskedKeyId()).isEqualTo("**1234");
        assertThat(spec.toString()).doesNotContain("SK").doesNotContain("AK1234");
        assertThatThrownBy(() -> CloudConnectionSpec.of("b", "s3", null, "http://h", null, "a", "s\nB=c"))
                .isInstanceOf(DomainException.BadRequest.class);
        assertThatThrownBy(() -> CloudConnectionSpec.of("b", "s3", null, null, null, "a", "s"))
                .hasMessageContaining("endpoint");
        assertThat(CloudConnectionSpec.of("b", "s3", "AWS", null, null, "a", "s")
                        .endpoint())
                .isNull();
    }
}
