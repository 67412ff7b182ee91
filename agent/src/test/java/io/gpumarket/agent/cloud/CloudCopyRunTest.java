package io.gpumarket.agent.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.agent.CloudCopyTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudCopyRunTest {
    static final Map<String, String> REMOTE = new LinkedHashMap<>(
            Map.of("type", "s3", "endpoint", "http://h:9000", "access_key_id", "AK", "secret_access_key", "S3CRET"));

    @Test
    void the_keys_go_to_stdin_as_rclone_env_config_lines_and_never_into_the_arguments() {
        var t = new CloudCopyTask(1, 7, true, "/workspace/d", "bkt/p", List.of("--dry-run"), REMOTE);
        List<String> args = CloudCopyRun.rcloneArgs(List.of("rclone"), t);
        assertThat(String.join(" ", args)).doesNotContain("S3CRET").doesNotContain("AK");
        assertThat(args.subList(0, 4)).containsExactly("rclone", "copy", "/workspace/d", "gmcloud:bkt/p");
        assertThat(args).contains("--dry-run", "--links");
        String lines = CloudCopyRun.envLines(REMOTE);
        assertThat(lines.lines().toList())
                .contains("RCLONE_CONFIG_GMCLOUD_SECRET_ACCESS_KEY=S3CRET", "RCLONE_CONFIG_GMCLOUD_TYPE=s3");
        assertThat(lines).endsWith("\n\n");
        assertThat(t.toString()).doesNotContain("S3CRET");
    }

    @Test
    void from_the_cloud_the_remote_is_the_source_and_odd_options_are_left_out() {
        var t = new CloudCopyTask(1, 7, false, "/root/x", "bkt", List.of(), Map.of());
        assertThat(CloudCopyRun.rcloneArgs(List.of("rclone"), t).subList(1, 4))
                .containsExactly("copy", "gmcloud:bkt", "/root/x");
        assertThat(CloudCopyRun.envLines(Map.of("Bad-Name", "v", "region", "a\nB=c")))
                .isEqualTo("\n");
    }

    @Test
    void rclones_date_and_level_are_taken_off_its_lines() {
        assertThat(CloudCopyRun.message("2026/12/07 11:34:21 NOTICE:    97.659 KiB / 97.659 KiB, 100%, 0 B/s, ETA -"))
                .isEqualTo("97.659 KiB / 97.659 KiB, 100%, 0 B/s, ETA -");
        assertThat(CloudCopyRun.message("plain text")).isEqualTo("plain text");
    }
}
