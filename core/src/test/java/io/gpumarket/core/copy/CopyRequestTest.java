package io.gpumarket.core.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import org.junit.jupiter.api.Test;

class CopyRequestTest {
    @Test
    void vastais_ids_name_this_machine_an_instance_a_volume_or_a_cloud_connection() {
        assertThat(CopyLocation.of("src_id", null)).isEqualTo(new CopyLocation.Local());
        assertThat(CopyLocation.of("src_id", "local")).isEqualTo(new CopyLocation.Local());
        assertThat(CopyLocation.of("src_id", 42)).isEqualTo(new CopyLocation.OfInstance(42));
        assertThat(CopyLocation.of("src_id", "42")).isEqualTo(new CopyLocation.OfInstance(42));
        assertThat(CopyLocation.of("src_id", "C.42")).isEqualTo(new CopyLocation.OfInstance(42));
        assertThat(CopyLocation.of("src_id", "V.7")).isEqualTo(new CopyLocation.OfVolume(7));
        assertThat(CopyLocation.of("src_id", "s3.101")).isEqualTo(new CopyLocation.Cloud("s3.101"));
        for (Object bad : new Object[] {1.5, -3, 0, "C.", "C.-1", "../x", true}) {
            assertThatThrownBy(() -> CopyLocation.of("src_id", bad))
                    .isInstanceOf(DomainException.BadRequest.class)
                    .hasMessageContaining("'src_id'");
        }
    }

    @Test
    void the_rsync_route_takes_exactly_one_local_end_and_an_instance_at_the_other() {
        var up = CopyRequest.of(null, "./data", "C.42", "/workspace/");
        assertThat(up.remoteForRsync().id()).isEqualTo(42);
        assertThat(up.toLocal()).isFalse();
        var down = CopyRequest.of("42", "/workspace/data", "local", "back");
        assertThat(down.remoteForRsync().id()).isEqualTo(42);
        assertThat(down.toLocal()).isTrue();
        assertThatThrownBy(() -> CopyRequest.of(null, "/a", "local", "/b").remoteForRsync())
                .hasMessageContaining("one end of a copy must be an instance");
        assertThatThrownBy(() -> CopyRequest.of("41", "/a", "42", "/b").remoteForRsync())
                .hasMessageContaining("copy_direct");
        assertThatThrownBy(() -> CopyRequest.of(null, "/a", "V.3", "/b").remoteForRsync())
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo("unsupported"));
    }

    @Test
    void copy_direct_takes_two_different_instances() {
        var pair = CopyRequest.of("C.41", "/workspace/", 42, "/workspace/").instances();
        assertThat(pair[0].id()).isEqualTo(41);
        assertThat(pair[1].id()).isEqualTo(42);
        assertThatThrownBy(() -> CopyRequest.of("42", "/a", "C.42", "/b").instances())
                .hasMessageContaining("same instance");
        assertThatThrownBy(() -> CopyRequest.of("s3.1", "/a", "42", "/b").instances())
                .hasMessageContaining("/commands/rclone/");
    }

    @Test
    void paths_are_unix_paths_without_nul_or_empty_segments_and_a_long_bad_one_is_refused_at_once() {
        assertThat(CopyRequest.of(null, null, "42", "").dstPath()).isEqualTo("/");
        assertThat(CopyRequest.of(null, "with space/x", "42", "/w/").srcPath()).isEqualTo("with space/x");
        for (String bad : new String[] {"a//b", "/a\0b", "/" + "a".repeat(5000)}) {
            assertThatThrownBy(() -> CopyRequest.of(null, bad, "42", "/w"))
                    .isInstanceOf(DomainException.BadRequest.class)
                    .hasMessageContaining("'src_path'");
        }
        // parse_vast_url's regex backtracks exponentially on this; the check here must not
        String slow = "a".repeat(4000) + "\0";
        assertThatThrownBy(() -> CopyRequest.of(null, slow, "42", "/w")).isInstanceOf(DomainException.BadRequest.class);
    }
}
