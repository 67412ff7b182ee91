package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusMessagesTest {
    @Test
    void a_jupyter_launch_says_what_this_runs_init_said_of_jupyter() {
        String up = "[gpumarket 2026-12-07T09:00:00Z] init: up";
        String missing = "[gpumarket 2026-12-07T09:00:00Z] jupyter: not started: the image has no jupyter command";
        String started = "[gpumarket 2026-12-07T09:10:00Z] jupyter: starting jupyter lab on port 8080 in /root";

        assertThat(StatusMessages.jupyterNote(List.of(up, missing, "renter output")))
                .startsWith("; Jupyter not started: the image has no jupyter command");
        // a later run that found jupyter (installed meanwhile) speaks for itself
        assertThat(StatusMessages.jupyterNote(List.of(up, missing, up, started)))
                .isEqualTo("; Jupyter on port 8080 (token: jupyter_token)");
        // this run has not got there yet: an earlier run's word does not count
        assertThat(StatusMessages.jupyterNote(List.of(up, missing, up))).isEmpty();
        assertThat(StatusMessages.jupyterNote(List.of())).isEmpty();
    }
}
