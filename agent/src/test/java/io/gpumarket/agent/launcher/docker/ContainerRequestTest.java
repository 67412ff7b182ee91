package io.gpumarket.agent.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.limits.ResourceShare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRequestTest {
    private static final ResourceShare SHARE = ResourceShare.of(32, 128_000, 4, 2);

    private static InstanceSpec spec(String runtype, String onstart, List<String> args, String argsStr) {
        return new InstanceSpec(
                7,
                "pytorch/pytorch:2.4.0",
                List.of(
                        List.of("FOO", "bar"),
                        List.of("-p 8080:8080", "1"),
                        List.of("-e", "X=1"),
                        List.of("--shm-size", "1g")),
                onstart,
                args,
                argsStr,
                runtype,
                20,
                40001,
                Map.of("8080/tcp", 40002),
                "instance-key",
                "203.0.113.5",
                2);
    }

    private static Map<String, Object> body(InstanceSpec spec, List<Integer> gpus, boolean nvidia) {
        return new ContainerRequest(
                        spec,
                        InstanceEnvironment.forContainer(spec),
                        "gpumarket-ab-7",
                        Map.of("io.gpumarket.instance", "7"),
                        gpus,
                        nvidia,
                        SHARE,
                        "0.0.0.0",
                        "/var/lib/agent/container-tools")
                .body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(Map<String, Object> body) {
        return (Map<String, Object>) body.get("HostConfig");
    }

    @Test
    void an_nvidia_host_requests_exactly_the_contracts_gpus_by_index() {
        Map<String, Object> body = body(spec("ssh", "", List.of(), null), List.of(1, 3), true);
        assertThat(host(body).get("DeviceRequests"))
                .isEqualTo(List.of(Map.of(
                        "Driver", "nvidia", "DeviceIDs", List.of("1", "3"), "Capabilities", List.of(List.of("gpu")))));
        assertThat(host(body)).doesNotContainKey("Count");
        // Inside, the two GPUs are numbered 0 and 1.
        assertThat((List<String>) body.get("Env")).contains("CUDA_VISIBLE_DEVICES=0,1");
    }

    @Test
    void declared_gpus_get_no_device_request_and_no_cuda_variable() {
        Map<String, Object> body = body(spec("ssh", "", List.of(), null), List.of(), false);
        assertThat(host(body)).doesNotContainKey("DeviceRequests");
        assertThat((List<String>) body.get("Env")).noneMatch(e -> e.startsWith("CUDA_VISIBLE_DEVICES="));
    }

    @Test
    void limits_ports_labels_and_the_tools_mount_are_in_the_request() {
        Map<String, Object> body = body(spec("ssh", "", List.of(), null), List.of(0, 1), true);
        assertThat(host(body))
                .containsEntry("NanoCpus", 16_000_000_000L)
                .containsEntry("Memory", 64_000_000_000L)
                .containsEntry("MemorySwap", 64_000_000_000L)
                .containsEntry("PidsLimit", (long) ResourceShare.MACHINE_PIDS / 2)
                .containsEntry(
                        "PortBindings", Map.of("8080/tcp", List.of(Map.of("HostIp", "0.0.0.0", "HostPort", "40002"))))
                .containsEntry("Binds", List.of("/var/lib/agent/container-tools:/.gpumarket:ro"))
                .containsEntry("RestartPolicy", Map.of("Name", "no"));
        assertThat(body)
                .containsEntry("ExposedPorts", Map.of("8080/tcp", Map.of()))
                .containsEntry("Labels", Map.of("io.gpumarket.instance", "7"))
                .containsEntry("Hostname", "C.7")
                .containsEntry("Image", "pytorch/pytorch:2.4.0");
    }

    @Test
    void the_environment_holds_the_renters_and_vasts_variables_but_no_process_launcher_defaults() {
        @SuppressWarnings("unchecked")
        List<String> env = (List<String>)
                body(spec("ssh", "", List.of(), null), List.of(), false).get("Env");
        assertThat(env)
                .contains(
                        "FOO=bar",
                        "X=1",
                        "CONTAINER_ID=7",
                        "CONTAINER_API_KEY=instance-key",
                        "PUBLIC_IPADDR=203.0.113.5",
                        "VAST_TCP_PORT_22=40001",
                        "VAST_TCP_PORT_8080=40002",
                        "VAST_CONTAINERLABEL=C.7");
        // The image's own PATH (a CUDA image's, say) must survive.
        assertThat(env).noneMatch(e -> e.startsWith("PATH=") || e.startsWith("SHELL="));
    }

    @Test
    void ssh_runtype_runs_onstart_then_idles_in_the_gpumarket_init() {
        Map<String, Object> body = body(spec("ssh", "echo hi > /root/x", List.of("ignored"), null), List.of(), false);
        assertThat(body.get("Entrypoint"))
                .isEqualTo(List.of("/bin/sh", "-c", ContainerRequest.INIT, "gpumarket-init", "echo hi > /root/x"));
        assertThat(body.get("Cmd")).isEqualTo(List.of());
    }

    @Test
    void args_runtype_without_onstart_keeps_the_images_entrypoint_and_replaces_its_cmd() {
        Map<String, Object> body = body(spec("args", null, List.of("python", "train.py"), null), List.of(), false);
        assertThat(body).doesNotContainKey("Entrypoint").containsEntry("Cmd", List.of("python", "train.py"));
        Map<String, Object> fromString =
                body(spec("args", "", List.of(), "python -c 'print(1 + 1)' \"a b\""), List.of(), false);
        assertThat(fromString.get("Cmd")).isEqualTo(List.of("python", "-c", "print(1 + 1)", "a b"));
        assertThat(body(spec("args", "", List.of(), null), List.of(), false))
                .doesNotContainKey("Cmd")
                .doesNotContainKey("Entrypoint");
    }

    @Test
    void args_runtype_with_onstart_makes_onstart_the_entrypoint_and_the_args_its_arguments() {
        // dstack's create body: onstart "/bin/sh", args ["-c", script].
        Map<String, Object> dstack =
                body(spec("args", "/bin/sh", List.of("-c", "echo hi && sleep infinity"), null), List.of(), false);
        assertThat(dstack.get("Entrypoint")).isEqualTo(List.of("/bin/sh"));
        assertThat(dstack.get("Cmd")).isEqualTo(List.of("-c", "echo hi && sleep infinity"));
        // vastai --entrypoint bash --args -c '…', and an entrypoint with its own words.
        Map<String, Object> words = body(spec("args", "python -u", List.of(), "train.py --epochs 3"), List.of(), false);
        assertThat(words.get("Entrypoint")).isEqualTo(List.of("python", "-u"));
        assertThat(words.get("Cmd")).isEqualTo(List.of("train.py", "--epochs", "3"));
        Map<String, Object> bare = body(spec("args", "nvidia-smi", List.of(), null), List.of(), false);
        assertThat(bare.get("Entrypoint")).isEqualTo(List.of("nvidia-smi"));
        assertThat(bare.get("Cmd")).isEqualTo(List.of());
    }

    @Test
    void shm_size_is_applied_in_dockers_units_and_is_no_ignored_flag() {
        InstanceSpec s = spec("ssh", "", List.of(), null);
        assertThat(host(body(s, List.of(), false))).containsEntry("ShmSize", 1L << 30);
        assertThat(InstanceEnvironment.forContainer(s).notes()).noneMatch(n -> n.contains("shm-size"));
        InstanceSpec keyForm = new InstanceSpec(
                8,
                "img",
                List.of(List.of("--shm-size 512m", "1")),
                "",
                List.of(),
                null,
                "ssh",
                8,
                0,
                Map.of(),
                "k",
                "127.0.0.1",
                1);
        assertThat(ContainerRequest.shmSize(keyForm)).contains(512L << 20);
        InstanceSpec garbage = new InstanceSpec(
                9,
                "img",
                List.of(List.of("--shm-size", "lots")),
                "",
                List.of(),
                null,
                "ssh",
                8,
                0,
                Map.of(),
                "k",
                "127.0.0.1",
                1);
        assertThat(ContainerRequest.shmSize(garbage)).isEmpty();
    }
}
