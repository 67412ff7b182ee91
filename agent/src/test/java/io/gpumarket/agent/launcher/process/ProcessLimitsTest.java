package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Sessions;
import io.gpumarket.agent.launcher.limits.MachineSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The process launcher's resource limits on this host, for real: a cgroup per instance with its share of the
 * machine (here 16 cores, 8 GB and 32 GPUs, so one GPU is half a core, 250 MB and 512 processes), and its rented
 * disk as a loop-mounted ext4 image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ProcessLimitsTest {
    private static final AtomicLong IDS = new AtomicLong(5000);
    private static final MachineSize MACHINE = new MachineSize(16, 8_000, 32);

    Path state;
    ProcessLauncher launcher;

    @BeforeAll
    void createLauncher() throws IOException {
        state = Files.createTempDirectory(Path.of("/var/tmp"), "gpumarket-limits-test-");
        launcher = new ProcessLauncher(state.resolve("instances"), SandboxKind.AUTO, List.of(), MACHINE);
        assertThat(launcher.isolation().missing())
                .as("this host offers every limit")
                .isEmpty();
    }

    @AfterAll
    void removeEverything() throws IOException {
        for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static InstanceSpec spec(long id, double diskGb) {
        return new InstanceSpec(
                id, "img", List.of(), null, List.of(), null, "ssh", diskGb, 0, Map.of(), "k", "127.0.0.1", 1);
    }

    private long started(double diskGb) throws LaunchException {
        long id = IDS.incrementAndGet();
        launcher.start(spec(id, diskGb));
        assertThat(launcher.inspect(id).state()).isEqualTo(State.RUNNING);
        return id;
    }

    @Test
    void the_instance_and_its_sessions_run_in_its_own_cgroup_limited_to_its_share() throws Exception {
        long id = started(1);
        String init = Files.readString(
                Path.of("/proc", Long.toString(launcher.initPid(id).orElseThrow()), "cgroup"));
        String session = Sessions.run(launcher, id, "cat /proc/self/cgroup").out();

        assertThat(HostCgroup.memoryGroup(init)).endsWith("/" + id).contains("gpumarket/");
        assertThat(HostCgroup.memoryGroup(session)).isEqualTo(HostCgroup.memoryGroup(init));
        assertThat(HostCgroup.memoryLimit(init)).isBetween(249_000_000L, 250_000_000L);
        assertThat(HostCgroup.pidsLimit(init)).isEqualTo(512);
    }

    @Test
    void a_memory_hog_is_killed_at_the_limit_while_the_instance_keeps_running_and_says_why() throws Exception {
        long id = started(1);

        Sessions.Result hog = Sessions.run(launcher, id, "head -c 2G /dev/zero | tail; echo \"tail ended with $?\"");

        assertThat(hog.out()).contains("tail ended with 137");
        assertThat(Sessions.run(launcher, id, "echo still here").out()).isEqualTo("still here\n");
        Inspection i = launcher.inspect(id);
        assertThat(i.state()).isEqualTo(State.RUNNING);
        assertThat(i.message()).contains("memory limit of 0.25 GB reached: 1 process killed");
    }

    @Test
    void a_process_flood_is_stopped_at_the_pids_limit() throws Exception {
        long id = started(1);

        // dash gives up at the first fork the kernel refuses; the sleeps hold the group's 512 slots meanwhile
        Sessions.Result flood = Sessions.run(
                launcher,
                id,
                "sh -c 'n=0; while :; do sleep 300 </dev/null >/dev/null 2>&1 & n=$((n+1)); echo $n > /tmp/forked; done'; echo \"flood ended with $?\"");

        assertThat(flood.out()).contains("flood ended with 2");
        assertThat(flood.err()).contains("Cannot fork");
        assertThat(launcher.inspect(id).message()).contains("process limit of 512 reached");
        launcher.stop(id, Duration.ZERO);
        launcher.start(spec(id, 1));
        // all 512 but the few the init, its sleep and the session's own processes hold
        assertThat(Integer.parseInt(
                        Sessions.run(launcher, id, "cat /tmp/forked").out().strip()))
                .as("the flood filled the limit")
                .isBetween(512 - 16, 512);
        assertThat(launcher.inspect(id).message())
                .as("a new run starts with fresh counters")
                .doesNotContain("process limit");
    }

    @Test
    void writing_past_the_rented_disk_fails_with_no_space_and_the_status_says_the_disk_is_full() throws Exception {
        long id = started(0.05);

        Sessions.Result write = Sessions.run(launcher, id, "head -c 200000000 /dev/zero > /workspace/blob");

        assertThat(write.exit()).isNotZero();
        assertThat(write.err()).contains("No space left on device");
        Inspection i = launcher.inspect(id);
        assertThat(i.diskBytes()).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(i.message()).contains("disk full").contains("of the rented 0.05 GB");
        assertThat(Sessions.run(launcher, id, "rm /workspace/blob").exit()).isZero();
        assertThat(launcher.inspect(id).message()).doesNotContain("disk full");
    }

    @Test
    void files_on_the_disk_survive_stop_and_start_and_destroy_releases_image_and_cgroup() throws Exception {
        long id = started(1);
        String group = HostCgroup.memoryGroup(Files.readString(
                Path.of("/proc", Long.toString(launcher.initPid(id).orElseThrow()), "cgroup")));
        assertThat(Sessions.run(launcher, id, "echo kept > /root/a; echo kept > /workspace/b")
                        .exit())
                .isZero();

        launcher.stop(id, Duration.ZERO);
        launcher.start(spec(id, 1));
        assertThat(Sessions.run(launcher, id, "cat /root/a /workspace/b").out()).isEqualTo("kept\nkept\n");
        assertThat(launcher.instanceDir(id).resolve("root/a")).hasContent("kept");

        Path dir = launcher.instanceDir(id).toRealPath();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
                .contains(" " + dir.resolve("volume") + " ")
                .contains(" " + dir.resolve("root") + " ")
                .contains(" " + dir.resolve("workspace") + " ")
                .contains(" " + dir.resolve("tmp") + " ");
        launcher.destroy(id);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + dir + "/");
        assertThat(HostCgroup.memoryDir(group)).doesNotExist();
        assertThat(launcher.instanceDir(id)).doesNotExist();
    }

    @Test
    void a_restarted_launcher_keeps_sessions_of_a_running_instance_in_its_limits() throws Exception {
        long id = started(1);
        ProcessLauncher afterRestart =
                new ProcessLauncher(state.resolve("instances"), SandboxKind.AUTO, List.of(), MACHINE);
        assertThat(afterRestart.recover(spec(id, 1))).isTrue();

        Sessions.Result hog =
                Sessions.run(afterRestart, id, "head -c 2G /dev/zero | tail; echo \"tail ended with $?\"");

        assertThat(hog.out()).contains("tail ended with 137");
        assertThat(afterRestart.inspect(id).message()).contains("memory limit of 0.25 GB reached");
    }
}
