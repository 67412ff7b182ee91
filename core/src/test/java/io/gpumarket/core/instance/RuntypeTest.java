package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import org.junit.jupiter.api.Test;

class RuntypeTest {
    @Test
    void documented_words_and_cli_tokens_normalise_to_three_kinds() {
        assertThat(Runtype.parse("ssh", false)).isEqualTo(new Runtype.Parsed(Runtype.SSH, "ssh"));
        assertThat(Runtype.parse("ssh_direct", false).kind()).isEqualTo(Runtype.SSH);
        assertThat(Runtype.parse("ssh_proxy", false).kind()).isEqualTo(Runtype.SSH);
        assertThat(Runtype.parse("jupyter_direct", false).kind()).isEqualTo(Runtype.JUPYTER);
        assertThat(Runtype.parse("args", false).kind()).isEqualTo(Runtype.ARGS);
        assertThat(Runtype.parse("ssh_direc ssh_proxy", false))
                .isEqualTo(new Runtype.Parsed(Runtype.SSH, "ssh_direc ssh_proxy"));
        assertThat(Runtype.parse("  jupyter_direc   ssh_direc ssh_proxy ", false))
                .isEqualTo(new Runtype.Parsed(Runtype.JUPYTER, "jupyter_direc ssh_direc ssh_proxy"));
        assertThat(Runtype.parse("jupyter_proxy ssh_proxy", false).kind()).isEqualTo(Runtype.JUPYTER);
    }

    @Test
    void the_default_is_ssh_unless_args_are_given() {
        assertThat(Runtype.parse(null, false)).isEqualTo(new Runtype.Parsed(Runtype.SSH, "ssh"));
        assertThat(Runtype.parse(" ", true)).isEqualTo(new Runtype.Parsed(Runtype.ARGS, "args"));
    }

    @Test
    void unknown_tokens_and_args_with_jupyter_are_refused() {
        assertThatThrownBy(() -> Runtype.parse("ssh telnet", false))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("'telnet'");
        assertThatThrownBy(() -> Runtype.parse("args jupyter", false)).hasMessageContaining("cannot be combined");
    }
}
