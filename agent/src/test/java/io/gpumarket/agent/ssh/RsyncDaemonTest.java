package io.gpumarket.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RsyncDaemonTest {
    @Test
    void only_rsyncs_daemon_request_is_run_and_with_our_configuration_not_the_clients() {
        assertThat(RsyncDaemon.command("rsync --server --daemon .", 42, List.of("rsync"), false))
                .hasValueSatisfying(argv -> {
                    assertThat(argv.subList(0, 2)).containsExactly("sh", "-c");
                    assertThat(argv.get(2))
                            .contains("[42]\npath = /\nread only = no\n", "[C.42]\n", "--config=/dev/fd/3 .")
                            .doesNotContain("[43]");
                });
        assertThat(RsyncDaemon.command("rsync --server --daemon --config=/etc/evil .", 42, List.of("rsync"), false))
                .hasValueSatisfying(argv -> assertThat(argv.get(2)).doesNotContain("/etc/evil"));
        for (String other : List.of("id", "rsync --server -logDtpre.iLsfxCIvu . /root", "bash -l", "", "rsync")) {
            assertThat(RsyncDaemon.command(other, 42, List.of("rsync"), false))
                    .as(other)
                    .isEmpty();
        }
    }

    @Test
    void a_copy_tickets_session_gets_the_module_read_only_and_the_containers_rsync_is_quoted() {
        String script =
                RsyncDaemon.script(7, List.of("/.gpumarket/ld-linux.so.2", "--library-path", "/.gpumarket"), true);
        assertThat(script).contains("read only = yes").doesNotContain("read only = no");
        assertThat(script)
                .contains("exec '/.gpumarket/ld-linux.so.2' '--library-path' '/.gpumarket' --server --daemon");
    }
}
