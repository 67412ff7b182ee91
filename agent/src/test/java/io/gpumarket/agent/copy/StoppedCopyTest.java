package io.gpumarket.agent.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.TestSpecs;
import io.gpumarket.agent.launcher.VolumeMount;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.agent.ssh.SshFrontDoor;
import io.gpumarket.api.agent.CopyTask;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Copies from and into <em>stopped</em> process-launched instances (Vast copies stopped instances; issue 23's
 * migration copies a stopped instance's disk): the source's door is open for copies only, its rsync daemon and the
 * destination's rsync client each run over their instance's files at rest ({@code ProcessLauncher.execFiles}), and
 * neither instance's own programs start (each one's onstart counts its starts in a file).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class StoppedCopyTest {
    private static final long SRC = 11;
    private static final long DST = 12;
    /** A move's destination (docs/migrate.md): listed stopped, it never ran on this host. */
    private static final long MOVED = 13;
    /** An instance with a volume mounted when it ran. */
    private static final long WITH_VOLUME = 14;

    private static final String TICKET = "a-ticket-for-a-stopped-source";
    private static final String COUNT_STARTS = "echo started >> /root/starts";

    Path state;
    ProcessLauncher launcher;
    SshFrontDoor door;
    int port;

    @BeforeAll
    void twoStoppedInstancesTheSourceWithATree() throws Exception {
        state = Files.createTempDirectory("gpumarket-stopped-copy-test-");
        launcher = new ProcessLauncher(state.resolve("instances"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        launcher.start(TestSpecs.ssh(SRC, COUNT_STARTS, port));
        launcher.start(TestSpecs.ssh(DST, COUNT_STARTS));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(root(SRC).resolve("starts"))
                        && Files.exists(root(DST).resolve("starts")));
        run(
                SRC,
                "mkdir -p /root/tree/sub && head -c 3000000 /dev/urandom > /root/tree/big.bin"
                        + " && echo small > /root/tree/sub/small && ln -s sub/small /root/tree/link");
        launcher.stop(SRC, Duration.ofSeconds(2));
        launcher.stop(DST, Duration.ofSeconds(2));
        door.open(SRC, "127.0.0.1", port, List.of(), true);
        door.updateTickets(SRC, Set.of(CopyPullTest.sha256(TICKET.getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    void removeEverything() throws IOException {
        door.close();
        for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void a_stopped_instances_tree_arrives_in_a_stopped_instance_byte_for_byte_and_neither_starts() throws Exception {
        CopyPullTest.Reports reports = new CopyPullTest.Reports();
        new CopyPull(
                        launcher,
                        DST,
                        new CopyTask(1, CopyTask.PULL, TICKET, "", SRC, "127.0.0.1", port, "/root/tree/", "/root/got/"),
                        reports)
                .run();

        assertThat(reports.last()).isEqualTo("done: copy from C.11 finished");
        Path tree = root(SRC).resolve("tree");
        Path got = root(DST).resolve("got");
        assertThat(Files.mismatch(tree.resolve("big.bin"), got.resolve("big.bin")))
                .isEqualTo(-1);
        assertThat(Files.readString(got.resolve("sub/small"))).isEqualTo("small\n");
        assertThat(Files.readSymbolicLink(got.resolve("link"))).isEqualTo(Path.of("sub/small"));
        // written by the destination's own root, as a copy into the running instance would be
        assertThat(Files.getAttribute(got.resolve("big.bin"), "unix:uid"))
                .isEqualTo(Files.getAttribute(root(DST), "unix:uid"));

        for (long id : List.of(SRC, DST)) {
            assertThat(launcher.inspect(id).state()).isEqualTo(Inspection.State.STOPPED);
            assertThat(Files.readAllLines(root(id).resolve("starts"))).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.openAtRest(id));
        }
    }

    @Test
    void a_whole_stopped_instance_arrives_in_one_that_never_ran_here_its_own_paths_only_and_its_first_start_uses_them()
            throws Exception {
        run(SRC, "mkdir -p /workspace/data && echo 'weights v1' > /workspace/data/model.txt && echo t > /tmp/kept");
        InstanceSpec moved = TestSpecs.ssh(MOVED, COUNT_STARTS);
        assertThat(launcher.known()).doesNotContain(MOVED);
        CopyPullTest.Reports reports = new CopyPullTest.Reports();
        new CopyPull(
                        launcher,
                        moved,
                        new CopyTask(2, CopyTask.PULL, TICKET, "", SRC, "127.0.0.1", port, "/", "/"),
                        reports)
                .run();

        // the host's /usr and /etc are bound read only in both views: a copy of / that wrote them would have failed
        assertThat(reports.last()).as(reports.reports.toString()).isEqualTo("done: copy from C.11 finished");
        assertThat(launcher.ownPaths()).containsExactly("/root", "/workspace", "/tmp");
        Path dir = launcher.instanceDir(MOVED);
        assertThat(Files.mismatch(root(SRC).resolve("tree/big.bin"), dir.resolve("root/tree/big.bin")))
                .isEqualTo(-1);
        assertThat(Files.readString(dir.resolve("workspace/data/model.txt"))).isEqualTo("weights v1\n");
        assertThat(Files.readString(dir.resolve("tmp/kept"))).isEqualTo("t\n");
        assertThat(Files.getAttribute(dir.resolve("root/tree/big.bin"), "unix:uid"))
                .isEqualTo(Files.getAttribute(dir.resolve("root"), "unix:uid"));
        assertThat(launcher.inspect(MOVED).state()).isEqualTo(Inspection.State.STOPPED);
        // the source's one start, copied: none of the destination's programs ran
        assertThat(Files.readAllLines(dir.resolve("root/starts"))).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.openAtRest(MOVED));

        launcher.start(moved);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readAllLines(dir.resolve("root/starts")).size() == 2);
        Process p = launcher.exec(
                MOVED, List.of("sh", "-c", "cat /workspace/data/model.txt; ls /root/tree"), Map.of(), false);
        p.getOutputStream().close();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("weights v1")
                .contains("big.bin");
        launcher.stop(MOVED, Duration.ofSeconds(2));
    }

    @Test
    void a_command_over_a_stopped_instances_files_sees_its_view_and_none_of_its_programs() throws Exception {
        String out = run(DST, "echo made > /root/made-at-rest; id -u; cat /proc/1/cmdline | tr '\\0' ' '; ls /root");

        assertThat(out.lines().toList().get(0)).isEqualTo("0");
        assertThat(out)
                .contains("/run/gpumarket/rest.sh")
                .contains("made-at-rest")
                .contains("starts");
        assertThat(Files.readString(root(DST).resolve("made-at-rest"))).isEqualTo("made\n");
        assertThat(Files.getAttribute(root(DST).resolve("made-at-rest"), "unix:uid"))
                .isEqualTo(Files.getAttribute(root(DST), "unix:uid"));
        assertThat(launcher.inspect(DST).state()).isEqualTo(Inspection.State.STOPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.openAtRest(DST));
    }

    @Test
    void a_stopped_instances_volume_is_in_its_files_where_it_was_mounted_and_stays_the_volumes() throws Exception {
        long id = WITH_VOLUME;
        InstanceSpec plain = TestSpecs.ssh(id, COUNT_STARTS);
        launcher.start(new InstanceSpec(
                id,
                plain.image(),
                plain.env(),
                plain.onstart(),
                plain.args(),
                plain.argsStr(),
                plain.runtype(),
                plain.diskGb(),
                plain.sshPort(),
                plain.ports(),
                plain.containerApiKey(),
                plain.publicIpaddr(),
                plain.numGpus(),
                null,
                List.of(new VolumeMount(7, 1, "/mnt/vol"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(root(id).resolve("starts")));
        run(id, "echo written-running > /mnt/vol/running.txt");
        launcher.stop(id, Duration.ofSeconds(2));
        assertThat(launcher.inspect(id).state()).isEqualTo(Inspection.State.STOPPED);

        // at rest: the volume at its mount path, what the running instance wrote there, and writes land in the volume
        assertThat(run(id, "cat /mnt/vol/running.txt; echo written-at-rest > /mnt/vol/rest.txt"))
                .isEqualTo("written-running\n");
        Path data = state.resolve("volumes/7/data");
        assertThat(Files.readString(data.resolve("rest.txt"))).isEqualTo("written-at-rest\n");
        assertThat(Files.readAllLines(root(id).resolve("starts"))).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !launcher.openAtRest(id));

        // a volume wiped since (deleted on the server) is not made again empty at rest
        launcher.keepVolumes(Set.of());
        assertThat(run(id, "ls /mnt/vol 2>/dev/null | wc -l").strip()).isEqualTo("0");
        assertThat(Files.exists(state.resolve("volumes/7"))).isFalse();
        launcher.destroy(id);
    }

    Path root(long id) {
        return launcher.instanceDir(id).resolve("root");
    }

    /** A command over the instance's files (running or stopped), its standard output; it must succeed. */
    String run(long id, String command) throws Exception {
        Process p = launcher.execFiles(id, List.of("sh", "-c", command), Map.of());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return out;
    }
}
