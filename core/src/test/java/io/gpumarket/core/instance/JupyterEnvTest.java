package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JupyterEnvTest {
    @Test
    void without_options_the_env_is_left_exactly_as_sent() {
        Map<String, Object> env = Map.of("TZ", "UTC");
        assertThat(JupyterEnv.with(env, null, false)).isSameAs(env);
        assertThat(JupyterEnv.with("-e TZ=UTC", " ", false)).isEqualTo("-e TZ=UTC");
        assertThat(JupyterEnv.with(null, null, false)).isNull();
    }

    @Test
    void the_dict_form_gets_the_directory_and_lab_unless_the_renter_set_them() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("-p 8080:8080", "1");
        env.put("JUPYTER_TYPE", "notebook");

        assertThat(JupyterEnv.with(env, "/root/nb", true))
                .isEqualTo(Map.of("-p 8080:8080", "1", "JUPYTER_TYPE", "notebook", "JUPYTER_DIR", "/root/nb"));
        assertThat(JupyterEnv.with(null, null, true)).isEqualTo(Map.of("JUPYTER_TYPE", "lab"));
    }

    @Test
    void the_docker_flag_form_gets_e_flags_that_env_parsing_reads_back() {
        Object flags = JupyterEnv.with("-e TZ=UTC", "/root/my notebooks", true);

        assertThat(Env.parse(flags))
                .containsExactly(
                        new EnvPair("TZ", "UTC"),
                        new EnvPair("JUPYTER_DIR", "/root/my notebooks"),
                        new EnvPair("JUPYTER_TYPE", "lab"));
    }
}
