package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import org.junit.jupiter.api.Test;

class ExecuteCommandTest {
    @Test
    void vasts_examples_parse_into_their_words() {
        assertThat(ExecuteCommand.parse("ls -l -o -r").argv()).containsExactly("ls", "-l", "-o", "-r");
        assertThat(ExecuteCommand.parse("rm -r home/delete_this.txt").argv())
                .containsExactly("rm", "-r", "home/delete_this.txt");
        assertThat(ExecuteCommand.parse("du -d2 -h").argv()).containsExactly("du", "-d2", "-h");
        assertThat(ExecuteCommand.parse("  du  -d 1  /root ").argv()).containsExactly("du", "-d", "1", "/root");
        assertThat(ExecuteCommand.parse("ls -lah -- -odd-name").argv())
                .containsExactly("ls", "-lah", "--", "-odd-name");
    }

    @Test
    void other_programs_shell_syntax_and_unsafe_flags_are_invalid_args() {
        for (String bad : new String[] {
            "cat /etc/passwd",
            "ls; id",
            "ls | sh",
            "ls $(id)",
            "ls `id`",
            "ls > /root/x",
            "ls 'quoted'",
            "ls --color=always",
            "du -L /",
            "rm --no-preserve-root -rf /",
            "rm -r",
            "ls -",
            "",
            "ls " + "a".repeat(600)
        }) {
            assertThatThrownBy(() -> ExecuteCommand.parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            DomainException.BadRequest.class,
                            e -> assertThat(e.code()).isEqualTo("invalid_args"));
        }
    }
}
