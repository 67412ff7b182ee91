package io.gpumarket.agent.launcher.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cgroup version a mount table gives, and what each version writes, on a fake hierarchy in a temp dir. */
class CgroupsTest {
    @TempDir
    Path dir;

    private static String line(Path at, String fsType, String superOptions) {
        return "30 25 0:27 / " + at + " rw,nosuid,nodev,noexec,relatime shared:9 - " + fsType + " cgroup "
                + superOptions;
    }

    @Test
    void v1_mounts_give_one_hierarchy_per_controller_and_cpu_may_share_its_mount_with_cpuacct() throws IOException {
        Path memory = Files.createDirectories(dir.resolve("memory"));
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Path cpu = Files.createDirectories(dir.resolve("cpu,cpuacct"));
        List<Mounts.Mount> mounts = Mounts.parse(List.of(
                line(memory, "cgroup", "rw,memory"),
                line(pids, "cgroup", "rw,pids"),
                line(cpu, "cgroup", "rw,cpu,cpuacct"),
                line(dir.resolve("unified"), "cgroup2", "rw,nsdelegate")));

        assertThat(CgroupV2.detect(mounts))
                .as("a hybrid host's empty v2 hierarchy is no use")
                .isEmpty();
        CgroupV1 v1 = CgroupV1.detect(mounts).orElseThrow();
        assertThat(v1.roots()).isEqualTo(Map.of("memory", memory, "pids", pids, "cpu", cpu));
        assertThat(v1.missing()).isEmpty();
        assertThat(v1.procsFiles("gpumarket/a/7"))
                .containsExactlyInAnyOrder(
                        memory.resolve("gpumarket/a/7/cgroup.procs"),
                        pids.resolve("gpumarket/a/7/cgroup.procs"),
                        cpu.resolve("gpumarket/a/7/cgroup.procs"));
    }

    @Test
    void a_missing_v1_controller_is_named_with_why() throws IOException {
        Path memory = Files.createDirectories(dir.resolve("memory"));
        CgroupV1 v1 = CgroupV1.detect(Mounts.parse(List.of(line(memory, "cgroup", "rw,memory"))))
                .orElseThrow();

        assertThat(v1.missing())
                .containsExactly(
                        "pids limit: the cgroup v1 pids controller is not mounted",
                        "cpu limit: the cgroup v1 cpu controller is not mounted");
        assertThat(ResourceIsolation.of(v1, null).provided())
                .containsExactly("memory limits (cgroup v1 (memory))", "disk limit (an ext4 image per instance)");
    }

    @Test
    void v1_writes_memory_without_swap_pids_and_a_cpu_quota() throws IOException {
        Path memory = dir.resolve("memory");
        Path group = Files.createDirectories(memory.resolve("g/1"));
        Files.writeString(group.resolve("memory.memsw.limit_in_bytes"), "9223372036854771712");
        CgroupV1 v1 = new CgroupV1(Map.of("memory", memory, "pids", dir.resolve("pids"), "cpu", dir.resolve("cpu")));

        v1.apply("g/1", new ResourceShare(500_000_000L, 1_500_000_000L, 1024), 2);

        assertThat(group.resolve("memory.limit_in_bytes")).hasContent("1500000000");
        assertThat(group.resolve("memory.memsw.limit_in_bytes")).hasContent("1500000000");
        assertThat(dir.resolve("pids/g/1/pids.max")).hasContent("1024");
        assertThat(dir.resolve("cpu/g/1/cpu.cfs_period_us")).hasContent("100000");
        assertThat(dir.resolve("cpu/g/1/cpu.cfs_quota_us")).hasContent("50000");
    }

    @Test
    void v2_enables_the_controllers_above_the_group_and_writes_its_limits_there() throws IOException {
        Files.writeString(dir.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        List<Mounts.Mount> mounts = Mounts.parse(List.of(line(dir, "cgroup2", "rw,nsdelegate,memory_recursiveprot")));
        CgroupV2 v2 = CgroupV2.detect(mounts).orElseThrow();
        Files.createDirectories(dir.resolve("gpumarket/a/7"));
        Files.writeString(dir.resolve("gpumarket/a/7/memory.swap.max"), "max");

        v2.apply("gpumarket/a/7", new ResourceShare(2_000_000_000L, 3_000_000_000L, 2048), 2);

        assertThat(v2.missing()).isEmpty();
        for (Path above : List.of(dir, dir.resolve("gpumarket"), dir.resolve("gpumarket/a"))) {
            assertThat(Files.readString(above.resolve("cgroup.subtree_control")).split(" "))
                    .containsExactlyInAnyOrder("+memory", "+pids", "+cpu");
        }
        Path leaf = dir.resolve("gpumarket/a/7");
        assertThat(leaf.resolve("memory.max")).hasContent("3000000000");
        assertThat(leaf.resolve("memory.swap.max")).hasContent("0");
        assertThat(leaf.resolve("pids.max")).hasContent("2048");
        assertThat(leaf.resolve("cpu.max"))
                .as("a share of the whole host has no quota")
                .hasContent("max 100000");
        assertThat(v2.procsFiles("gpumarket/a/7")).containsExactly(leaf.resolve("cgroup.procs"));
    }

    @Test
    void strikes_are_read_from_the_kernels_event_counters() throws IOException {
        Path leaf = Files.createDirectories(dir.resolve("g"));
        Files.writeString(
                leaf.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n");
        Files.writeString(leaf.resolve("pids.events"), "max 31\n");
        CgroupV2 v2 = new CgroupV2(dir, java.util.Set.of("memory", "pids", "cpu"));

        assertThat(v2.strikes("g")).isEqualTo(new Cgroups.Strikes(2, 31));
        assertThat(v2.strikes("absent")).isEqualTo(new Cgroups.Strikes(0, 0));
    }

    @Test
    void mount_points_with_spaces_are_decoded() {
        List<Mounts.Mount> m =
                Mounts.parse(List.of("99 1 7:3 / /var/lib/my\\040state/volume rw,relatime - ext4 /dev/loop3 rw"));
        assertThat(m.getFirst().mountPoint()).isEqualTo(Path.of("/var/lib/my state/volume"));
        assertThat(m.getFirst().source()).isEqualTo("/dev/loop3");
    }

    @Test
    void without_cgroups_every_limit_is_missing_with_the_reason() {
        ResourceIsolation none = ResourceIsolation.of(Cgroups.none("no cgroup mounts"), "mkfs.ext4 is not installed");

        assertThat(none.provided()).isEmpty();
        assertThat(none.complete()).isFalse();
        assertThat(none.missing())
                .containsExactly(
                        "memory limit: no cgroup mounts",
                        "pids limit: no cgroup mounts",
                        "cpu limit: no cgroup mounts",
                        "disk limit: mkfs.ext4 is not installed");
    }

    @Test
    void the_image_leaves_room_for_ext4_so_the_rented_size_is_usable() {
        assertThat(DiskImage.imageBytes(1)).isEqualTo(1_000_000_000L + 30_000_000L + (64L << 20));
        assertThat(DiskImage.imageBytes(0.05)).isGreaterThan(50_000_000L);
    }
}
