package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.NetDev;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's inspection of a container read as the launcher's Inspection, from JSON alone. */
class InspectReadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A probe with fixed answers that counts what was asked of it. */
    private static final class Probe implements InspectReading.Probe {
        int asked;
        long pidAsked;

        @Override
        public double cpuSeconds() {
            asked++;
            return 12.5;
        }

        @Override
        public NetDev.Counters traffic(long pid) {
            asked++;
            pidAsked = pid;
            return new NetDev.Counters(1000, 2000);
        }

        @Override
        public Optional<String> lastLine() {
            asked++;
            return Optional.of("Segmentation fault");
        }

        java.util.List<String> output = java.util.List.of();
        long sinceAsked = -1;

        @Override
        public java.util.List<String> outputSince(long epochSeconds) {
            asked++;
            sinceAsked = epochSeconds;
            return output;
        }
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void a_running_container_reads_as_running_with_its_start_usage_traffic_and_image() throws Exception {
        Probe probe = new Probe();
        JsonNode c = json("{\"State\": {\"Running\": true, \"Pid\": 4242, \"StartedAt\": \"2026-12-07T05:00:00Z\"},"
                + " \"Config\": {\"Image\": \"pytorch/pytorch:2.4.0\", \"Labels\": {\"io.gpumarket.gpus\": \"1\"}}}");

        Inspection i = InspectReading.read("gpumarket-ab-7", c, false, 5_000, probe);

        assertThat(i.state()).isEqualTo(State.RUNNING);
        assertThat(i.cpuSeconds()).isEqualTo(12.5);
        assertThat(i.startedAt())
                .isEqualTo(java.time.Instant.parse("2026-12-07T05:00:00Z").getEpochSecond());
        assertThat(i.diskBytes()).isEqualTo(5_000);
        assertThat(i.rxBytes()).isEqualTo(1000);
        assertThat(i.txBytes()).isEqualTo(2000);
        assertThat(probe.pidAsked).isEqualTo(4242);
        assertThat(i.message())
                .isEqualTo("running in container gpumarket-ab-7 (image 'pytorch/pytorch:2.4.0', GPUs 1)");
    }

    @Test
    void a_running_jupyter_launch_says_what_its_init_said_of_jupyter_in_this_run_and_other_launches_do_not_ask()
            throws Exception {
        JsonNode jupyter = json("{\"State\": {\"Running\": true, \"Pid\": 1, \"StartedAt\": \"2026-12-07T05:00:00Z\"},"
                + " \"Config\": {\"Image\": \"busybox\", \"Env\": [\"PATH=/bin\", \"JUPYTER_TOKEN=abc\"]}}");
        Probe missing = new Probe();
        missing.output = java.util.List.of(
                "[gpumarket] jupyter: not started: the image has no jupyter command", "renter output");
        assertThat(InspectReading.read("n", jupyter, false, 0, missing).message())
                .endsWith("; Jupyter not started: the image has no jupyter command (use an image with Jupyter, or "
                        + "install it, e.g. pip install jupyterlab, and restart the instance)");
        assertThat(missing.sinceAsked)
                .as("this run's output only")
                .isEqualTo(java.time.Instant.parse("2026-12-07T05:00:00Z").getEpochSecond());

        Probe started = new Probe();
        started.output = java.util.List.of("[gpumarket] jupyter: starting jupyter lab on port 8080 in /root");
        assertThat(InspectReading.read("n", jupyter, false, 0, started).message())
                .endsWith("; Jupyter on port 8080 (token: jupyter_token)");

        Probe ssh = new Probe();
        JsonNode plain = json("{\"State\": {\"Running\": true, \"Pid\": 1},"
                + " \"Config\": {\"Image\": \"busybox\", \"Env\": [\"PATH=/bin\", \"JUPYTER_TOKEN=\"]}}");
        assertThat(InspectReading.read("n", plain, false, 0, ssh).message()).doesNotContain("Jupyter");
        assertThat(ssh.sinceAsked)
                .as("no logs read for a launch without Jupyter")
                .isEqualTo(-1);
    }

    @Test
    void a_stopped_container_this_agent_stopped_is_stopped_not_exited_and_costs_no_probe() throws Exception {
        Probe probe = new Probe();
        JsonNode c = json("{\"State\": {\"Running\": false, \"Status\": \"exited\", \"ExitCode\": 143}}");

        Inspection i = InspectReading.read("n", c, true, 0, probe);

        assertThat(i.state()).isEqualTo(State.STOPPED);
        assertThat(i.exitCode()).isNull();
        assertThat(probe.asked).isZero();
    }

    @Test
    void a_created_container_not_yet_started_is_stopped() throws Exception {
        Inspection i = InspectReading.read(
                "n", json("{\"State\": {\"Running\": false, \"Status\": \"created\"}}"), false, 0, new Probe());

        assertThat(i.state()).isEqualTo(State.STOPPED);
        assertThat(i.message()).isEqualTo("container created, not started yet");
    }

    @Test
    void an_exit_says_its_code_what_it_means_the_engines_error_and_the_last_output() throws Exception {
        JsonNode c = json("{\"State\": {\"Running\": false, \"Status\": \"exited\", \"ExitCode\": 127,"
                + " \"Error\": \" exec: \\\"nope\\\": not found \"}}");

        Inspection i = InspectReading.read("n", c, false, 0, new Probe());

        assertThat(i.state()).isEqualTo(State.EXITED);
        assertThat(i.exitCode()).isEqualTo(127);
        assertThat(i.message())
                .isEqualTo("exited with code 127 (command not found); exec: \"nope\": not found;"
                        + " last output: Segmentation fault");
    }

    @Test
    void out_of_memory_is_named_before_the_kill_signal() throws Exception {
        JsonNode oom = json("{\"OOMKilled\": true}");

        assertThat(InspectReading.exitMessage(oom, 137, Optional.empty()))
                .isEqualTo("exited with code 137 (out of memory: the container hit its memory limit)");
        assertThat(InspectReading.exitMessage(json("{}"), 137, Optional.empty()))
                .isEqualTo("exited with code 137 (killed by SIGKILL)");
        assertThat(InspectReading.exitMessage(json("{}"), 3, Optional.empty())).isEqualTo("exited with code 3");
    }

    @Test
    void the_last_line_of_output_skips_blank_lines_and_is_cut_at_300_characters() {
        assertThat(InspectReading.lastLine("one\ntwo  \n\n   \n".getBytes(StandardCharsets.UTF_8)))
                .contains("two");
        assertThat(InspectReading.lastLine(new byte[0])).isEmpty();
        assertThat(InspectReading.lastLine("x".repeat(400).getBytes(StandardCharsets.UTF_8)))
                .contains("x".repeat(300) + "…");
    }

    @Test
    void start_times_that_cannot_be_read_are_zero() {
        assertThat(InspectReading.epoch("")).isZero();
        assertThat(InspectReading.epoch("yesterday")).isZero();
        assertThat(InspectReading.epoch("2026-12-07T05:00:00.123456789Z"))
                .isEqualTo(java.time.Instant.parse("2026-12-07T05:00:00Z").getEpochSecond());
    }
}
