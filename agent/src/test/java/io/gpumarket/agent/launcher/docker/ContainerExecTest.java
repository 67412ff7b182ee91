package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerExecTest {
    @Test
    void bash_runs_through_the_shell_picker_and_other_commands_as_given() {
        assertThat(ContainerExec.argv(List.of("bash", "-c", "nvidia-smi")))
                .containsExactly("/bin/sh", "-c", ContainerExec.SHELL, "sh", "-c", "nvidia-smi");
        assertThat(ContainerExec.argv(List.of("/.gpumarket/sftp-server"))).containsExactly("/.gpumarket/sftp-server");
    }

    @Test
    void the_exec_body_attaches_all_streams_and_keeps_only_variables_a_shell_can_take() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TERM", "xterm");
        env.put("BAD NAME", "x");
        env.put("NUL", "a\0b");
        env.put("NONE", null);

        Map<String, Object> body = ContainerExec.createBody(List.of("sh"), env, true);

        assertThat(body)
                .containsEntry("AttachStdin", true)
                .containsEntry("AttachStdout", true)
                .containsEntry("AttachStderr", true)
                .containsEntry("Tty", true)
                .containsEntry("Cmd", List.of("sh"))
                .containsEntry("Env", List.of("TERM=xterm", "NUL=ab"));
    }

    @Test
    void the_operators_list_names_the_program_never_its_arguments() {
        assertThat(ContainerExec.program(ContainerExec.argv(List.of("bash")))).isEqualTo("shell");
        assertThat(ContainerExec.program(ContainerExec.argv(List.of("bash", "-c", "echo $SECRET"))))
                .isEqualTo("shell -c");
        assertThat(ContainerExec.program(List.of("/usr/bin/rsync", "--server", ".")))
                .isEqualTo("rsync");
    }
}
