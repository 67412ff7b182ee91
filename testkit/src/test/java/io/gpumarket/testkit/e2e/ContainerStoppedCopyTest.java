package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.copy.CopyPull;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.agent.ssh.SshFrontDoor;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.testkit.ContainerEngine;
import io.gpumarket.testkit.Ssh;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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
 * A <em>stopped</em> container's files (Podman), reached without starting it ({@code DockerLauncher.execFiles}: the
 * engine mounts them, bubblewrap confines the command to them): a command sees and changes them; its door, open for
 * the copy user only, serves vastai's {@code vastai_kaalia@…::ID} rsync both ways with the renter's key and refuses
 * a root login; another agent pulls from it with a copy ticket (issue 23's migration from a stopped container).
 */
@Timeout(300)
class ContainerStoppedCopyTest {
    private static final String TICKET = "a-ticket-for-a-stopped-container";
    private static final long ID = 301;

    @TempDir
    Path state;

    DockerLauncher launcher;
    SshFrontDoor door;
    ProcessLauncher destination;

    @AfterEach
    void clean() {
        if (door != null) door.close();
        if (launcher != null) launcher.removeAll();
        if (destination != null) destination.known().forEach(destination::destroy);
    }

    static InstanceSpec spec(ContainerEngine engine, long id, int sshPort) {
        return new InstanceSpec(
                id,
                engine.image(),
                List.of(),
                "echo started >> /root/starts",
                List.of(),
                null,
                "ssh",
                10,
                sshPort,
                Map.of(),
                "key-" + id,
                "127.0.0.1",
                1);
    }

    String atRest(long id, String command) throws Exception {
        Process p = launcher.execFiles(id, List.of("sh", "-c", command), Map.of());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return out;
    }

    @Test
    void a_stopped_containers_files_are_copied_both_ways_and_pulled_by_another_agent_without_starting_it()
            throws Exception {
        ContainerEngine engine = ContainerEngine.require();
        launcher = new DockerLauncher(
                new EngineClient(engine.dockerHost()), state, new DockerLauncher.Host(2, 2000, 2, false, "127.0.0.1"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        Ssh ssh = Ssh.newIdentity(Files.createDirectories(state.resolve("keys")));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        launcher.start(spec(engine, ID, port), line -> {});
        await().atMost(Duration.ofSeconds(60))
                .until(() -> atRest(ID, "cat /root/starts 2>/dev/null || true").equals("started\n"));
        atRest(
                ID,
                "mkdir -p /data/sub && head -c 3000000 /dev/urandom > /data/big.bin && echo small > /data/sub/small"
                        + " && ln -s sub/small /data/link");
        // rclone in containers trusts the host's CA bundle too (an HTTPS endpoint verifies from an image without one)
        assertThat(launcher.rcloneEnvironment())
                .containsEntry("SSL_CERT_DIR", "/etc/ssl/certs:/etc/pki/tls/certs:/.gpumarket/ca");
        assertThat(Integer.parseInt(atRest(ID, "grep -c 'BEGIN CERTIFICATE' /.gpumarket/ca/ca-certificates.crt")
                        .strip()))
                .isGreaterThan(50);
        String sums = "cd /data && sha256sum big.bin sub/small && readlink link";
        String expected = atRest(ID, sums);
        launcher.stop(ID, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> launcher.inspect(ID).state() != Inspection.State.RUNNING);

        // a command over the stopped container's files: its own root, a network of its own (loopback and pasta's
        // interface; ContainerStoppedCloudCopyTest reaches S3 through it), nothing started
        String seen = atRest(ID, "echo made-at-rest > /data/made; id -u; cat /proc/net/dev | grep -c ':'; " + sums);
        assertThat(seen).startsWith("0\n2\n").endsWith(expected);

        // its door for the copy user only: this machine → the stopped container → this machine
        door.open(ID, "127.0.0.1", port, List.of(ssh.publicKey()), true);
        String e = String.join(" ", withPort(ssh, port));
        Path local = Files.createDirectories(state.resolve("local/up"));
        Files.writeString(local.resolve("late.txt"), "written while stopped\n");
        var up = ssh.tool(
                List.of("rsync", "-a", "-e", e, local.toString(), "vastai_kaalia@127.0.0.1::" + ID + "/data/"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        Path back = state.resolve("back");
        var down = ssh.tool(List.of("rsync", "-a", "-e", e, "vastai_kaalia@127.0.0.1::C." + ID + "/data/", back + "/"));
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(Files.readString(back.resolve("up/late.txt"))).isEqualTo("written while stopped\n");
        assertThat(Files.readString(back.resolve("made"))).isEqualTo("made-at-rest\n");
        assertThat(Files.readSymbolicLink(back.resolve("link"))).isEqualTo(Path.of("sub/small"));
        assertThat(Files.size(back.resolve("big.bin"))).isEqualTo(3_000_000);
        var login = ssh.exec("127.0.0.1", port, "echo logged-in-here");
        assertThat(login.exitCode()).isNotZero();
        assertThat(login.output()).contains("is stopped").doesNotContain("logged-in-here");

        // another agent (a process-launched instance) pulls from the stopped container with a copy ticket
        door.updateTickets(ID, Set.of(sha256(TICKET)));
        destination = new ProcessLauncher(state.resolve("dest-instances"));
        destination.start(new InstanceSpec(
                302, "ubuntu:22.04", List.of(), "true", List.of(), null, "ssh", 10, 0, Map.of(), "key-302", "", 0));
        List<String> reports = new ArrayList<>();
        new CopyPull(
                        destination,
                        302,
                        new CopyTask(1, CopyTask.PULL, TICKET, "", ID, "127.0.0.1", port, "/data/", "/root/got/"),
                        new CopyPull.Progress() {
                            @Override
                            public synchronized void report(long copyId, String st, String message) {
                                reports.add(st + ": " + message);
                            }

                            @Override
                            public void note(long instanceId, String line) {}
                        })
                .run();
        assertThat(reports).last().isEqualTo("done: copy from C." + ID + " finished");
        Path got = destination.instanceDir(302).resolve("root/got");
        assertThat(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(got.resolve("big.bin")))))
                .isEqualTo(expected.lines().findFirst().orElseThrow().split("\\s+")[0]);
        assertThat(Files.readString(got.resolve("up/late.txt"))).isEqualTo("written while stopped\n");

        // still stopped, never started again, and the file made at rest is there when it starts
        assertThat(launcher.inspect(ID).state()).isNotEqualTo(Inspection.State.RUNNING);
        launcher.start(spec(engine, ID, port), line -> {});
        await().atMost(Duration.ofSeconds(60))
                .until(() -> atRest(ID, "cat /root/starts").equals("started\nstarted\n"));
        assertThat(atRest(ID, "cat /data/made")).isEqualTo("made-at-rest\n");
    }

    private static List<String> withPort(Ssh ssh, int port) {
        List<String> e = new ArrayList<>(List.of("ssh"));
        e.addAll(ssh.options());
        e.addAll(List.of("-p", Integer.toString(port)));
        return e;
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
