package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.agent.cloud.CloudCopies;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.api.agent.CloudCopyTask;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.core.cloud.CloudConnectionSpec;
import io.gpumarket.testkit.ContainerEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud copy from and to a <em>stopped</em> container (Podman): rclone runs over the container's files at rest
 * ({@code DockerLauncher.execFiles}: the engine mounts them, bubblewrap confines rclone to them) in a network
 * namespace of the session's own that pasta connects as it connects a process instance's, and reaches the local S3
 * server ({@link S3Server}, s3proxy) at the host's outward address, while the host's loopback stays out of reach.
 */
@Timeout(300)
class ContainerStoppedCloudCopyTest {
    private static final long ID = 311;

    @TempDir
    Path state;

    DockerLauncher launcher;
    S3Server s3;
    CloudCopies copies;

    @AfterEach
    void clean() throws Exception {
        if (copies != null) copies.close();
        if (launcher != null) launcher.removeAll();
        if (s3 != null) s3.close();
    }

    String atRest(String command) throws Exception {
        Process p = launcher.execFiles(ID, List.of("sh", "-c", command), Map.of());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        return out;
    }

    /** A command's stdout and stderr together, whatever its exit status. */
    String atRestAnyway(String command) throws Exception {
        Process p = launcher.execFiles(ID, List.of("sh", "-c", command + " 2>&1"), Map.of());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void a_stopped_containers_files_go_to_a_bucket_and_come_back_over_a_network_of_its_own() throws Exception {
        ContainerEngine engine = ContainerEngine.require();
        var jar = S3Server.jar();
        assumeTrue(jar.isPresent(), "the build copies s3proxy's jar to target/s3proxy/");
        var host = S3Server.outwardAddress();
        assumeTrue(host.isPresent(), "the session reaches the S3 server at the host's outward IPv4 address");
        s3 = S3Server.start(Files.createDirectories(state.resolve("s3")), jar.get(), host.get());
        launcher = new DockerLauncher(
                new EngineClient(engine.dockerHost()), state, new DockerLauncher.Host(2, 2000, 2, false, "127.0.0.1"));
        launcher.start(ContainerStoppedCopyTest.spec(engine, ID, 0), line -> {});
        await().atMost(Duration.ofSeconds(60))
                .until(() -> atRest("cat /root/starts 2>/dev/null || true").equals("started\n"));
        atRest("mkdir -p /data/sub && head -c 2000000 /dev/urandom > /data/big.bin && echo small > /data/sub/small"
                + " && ln -s sub/small /data/link");
        String sums = "sha256sum big.bin sub/small && readlink link";
        String expected = atRest("cd /data && " + sums);
        launcher.stop(ID, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> launcher.inspect(ID).state() != Inspection.State.RUNNING);

        // the session's own network: loopback and pasta's interface; s3proxy answers at the host's outward address,
        // not at the host's loopback (the session's 127.0.0.1 is its own)
        String hostPort = s3.endpoint().substring("http://".length()).replace(':', ' ');
        String port = hostPort.substring(hostPort.indexOf(' ') + 1);
        assertThat(atRest("grep -c ':' /proc/net/dev").strip()).isEqualTo("2");
        // (busybox nc waits on after the answer: timeout ends it)
        String get = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 10 nc -w 5 ";
        assertThat(atRestAnyway(get + hostPort)).startsWith("HTTP/1.");
        assertThat(atRestAnyway(get + "127.0.0.1 " + port)).contains("refused");

        Map<String, String> remote = CloudConnectionSpec.of(
                        "b", "s3", null, s3.endpoint(), null, S3Server.KEY_ID, S3Server.SECRET)
                .rcloneOptions();
        Map<Long, String> ends = new ConcurrentHashMap<>();
        copies = new CloudCopies(launcher, new CloudCopies.Progress() {
            @Override
            public void report(long copyId, String st, String message) {
                if (!st.equals("active")) ends.put(copyId, st + ": " + message);
            }

            @Override
            public void note(long instanceId, String line) {}
        });
        var up = new CloudCopyTask(1, ID, true, "/data", "backups/run1", List.of(), remote);
        copies.apply(new SyncResponse(1, 1, 10, List.of(), null, List.of(up), null));
        await().atMost(Duration.ofSeconds(120)).until(() -> ends.containsKey(1L));
        assertThat(ends.get(1L)).isEqualTo("done: Cloud Copy Operation Finished");
        assertThat(s3.object("backups", "run1/big.bin")).exists();
        assertThat(Files.readString(s3.object("backups", "run1/link.rclonelink")))
                .isEqualTo("sub/small");

        var down = new CloudCopyTask(2, ID, false, "/restored", "backups/run1", List.of(), remote);
        copies.apply(new SyncResponse(1, 2, 10, List.of(), null, List.of(up, down), null));
        await().atMost(Duration.ofSeconds(120)).until(() -> ends.containsKey(2L));
        assertThat(ends.get(2L)).isEqualTo("done: Cloud Copy Operation Finished");
        assertThat(atRest("cd /restored && " + sums)).isEqualTo(expected);

        // never started for it
        assertThat(launcher.inspect(ID).state()).isNotEqualTo(Inspection.State.RUNNING);
        assertThat(atRest("cat /root/starts")).isEqualTo("started\n");
    }
}
