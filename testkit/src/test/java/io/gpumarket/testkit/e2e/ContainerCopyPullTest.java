package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.copy.CopyPull;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.ssh.SshFrontDoor;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.testkit.ContainerEngine;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance-to-instance pull between two containers (Podman): the rsync client inside the destination
 * container (the host's rsync from the containers' tools directory, the image's own {@code sh} and the host's
 * {@code dd} from that directory relaying: the image's busybox {@code cat} splices into the exec's pipe and stalled
 * the copy, docs/copy.md) pulls through this agent's SSH client from the rsync daemon inside the source container behind its
 * door, with the copy's ticket. Files are made and checked inside the containers.
 */
@Timeout(240)
class ContainerCopyPullTest {
    private static final String TICKET = "a-one-time-ticket";

    @TempDir
    Path state;

    DockerLauncher launcher;
    SshFrontDoor door;

    @AfterEach
    void clean() {
        if (door != null) door.close();
        if (launcher != null) launcher.removeAll();
    }

    private static InstanceSpec ssh(ContainerEngine engine, long id) {
        return new InstanceSpec(
                id,
                engine.image(),
                List.of(),
                "",
                List.of(),
                null,
                "ssh",
                10,
                0,
                Map.of(),
                "key-" + id,
                "127.0.0.1",
                1);
    }

    private String inside(long id, String command) throws Exception {
        Process p = launcher.exec(id, List.of("sh", "-c", command), Map.of(), false);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return out;
    }

    @Test
    void a_tree_goes_from_one_container_to_another_through_the_sources_door_byte_for_byte() throws Exception {
        ContainerEngine engine = ContainerEngine.require();
        launcher = new DockerLauncher(
                new EngineClient(engine.dockerHost()), state, new DockerLauncher.Host(2, 2000, 2, false, "127.0.0.1"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        launcher.start(ssh(engine, 201), line -> {});
        launcher.start(ssh(engine, 202), line -> {});
        door.open(201, "127.0.0.1", port, List.of());
        door.updateTickets(
                201,
                Set.of(HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(TICKET.getBytes(StandardCharsets.UTF_8)))));
        inside(
                201,
                "mkdir -p /data/sub && head -c 6000000 /dev/urandom > /data/big.bin && echo small > /data/sub/small.txt"
                        + " && ln -s sub/small.txt /data/link");
        String sums = "cd /data && sha256sum big.bin sub/small.txt && readlink link";
        String expected = inside(201, sums);

        List<String> reports = new ArrayList<>();
        CopyPull.Progress progress = new CopyPull.Progress() {
            @Override
            public synchronized void report(long copyId, String st, String message) {
                reports.add(st + ": " + message);
            }

            @Override
            public void note(long instanceId, String line) {}
        };
        new CopyPull(
                        launcher,
                        202,
                        new CopyTask(1, CopyTask.PULL, TICKET, "", 201, "127.0.0.1", port, "/data/", "/data/"),
                        progress)
                .run();

        assertThat(reports).last().isEqualTo("done: copy from C.201 finished");
        assertThat(inside(202, sums)).isEqualTo(expected).contains("sub/small.txt", "\nsub/small.txt\n");
    }
}
