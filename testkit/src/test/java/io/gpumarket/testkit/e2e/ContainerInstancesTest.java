package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.testkit.ContainerEngine;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances as containers: a real server, a real agent in its own JVM on {@code --runtime docker}, a real engine
 * (Podman's Docker-compatible API service) and the stock ssh client.
 */
class ContainerInstancesTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        ContainerEngine engine = ContainerEngine.require();
        // traffic priced at $1/GB each way, so a few MB through a published port show in the charges
        market = server.closesWith(new LiveMarket(
                server, dir, 1000, 8, "\"price_gpu\": 0.3, \"price_inetu\": 1, \"price_inetd\": 1", engine));
    }

    @AfterEach
    void destroyInstances() {
        if (market != null) market.destroyAll();
    }

    @Test
    void an_instance_runs_as_a_container_of_the_renters_image_with_its_environment() {
        long id = market.rent("echo onstart-ran > /root/onstart.txt");
        int port = market.awaitRunning(id);
        assertThat(market.instance(id).get("status_msg").asText())
                .contains("running in container")
                .contains(ContainerEngine.IMAGE);
        var out = market.exec(
                port,
                "cat /root/onstart.txt; echo $CONTAINER_ID; hostname; test -x /usr/bin/rsync && echo image-has-rsync");
        assertThat(out.output().lines().toList())
                .containsExactly("onstart-ran", Long.toString(id), "C." + id, "image-has-rsync");
        assertThat(market.containers().inspect(id).state()).isEqualTo(Inspection.State.RUNNING);
    }

    @Test
    void scp_sftp_and_rsync_reach_the_containers_own_file_system_though_the_image_has_no_ssh_server() throws Exception {
        long id = market.rent("");
        int port = market.awaitRunning(id);
        Path up = java.nio.file.Files.createDirectories(dir.resolve("up-" + id));
        java.nio.file.Files.writeString(up.resolve("a.txt"), "alpha\n");
        String target = "root@127.0.0.1:";
        List<String> o = market.ssh.options();

        List<String> scp = new ArrayList<>(List.of("scp", "-q", "-P", Integer.toString(port)));
        scp.addAll(o);
        scp.addAll(List.of(up.resolve("a.txt").toString(), target + "/root/by-scp.txt"));
        assertThat(market.ssh.tool(scp).exitCode()).isZero();
        String rsh = "ssh -p " + port + " " + String.join(" ", o);
        var rsync = market.ssh.tool(List.of("rsync", "-a", "-e", rsh, up + "/", target + "/root/by-rsync/"));
        assertThat(rsync.exitCode()).as(rsync.output()).isZero();
        List<String> sftp = new ArrayList<>(List.of("sftp", "-b", "-", "-P", Integer.toString(port)));
        sftp.addAll(o);
        sftp.add("root@127.0.0.1");
        Process batch = new ProcessBuilder(sftp).redirectErrorStream(true).start();
        try (var in = batch.getOutputStream()) {
            in.write("ls /root\n".getBytes());
        }
        String listing = new String(batch.getInputStream().readAllBytes());
        assertThat(batch.waitFor()).as(listing).isZero();

        assertThat(listing).contains("by-scp.txt").contains("by-rsync");
        assertThat(market.exec(port, "cat /root/by-scp.txt /root/by-rsync/a.txt")
                        .output())
                .isEqualTo("alpha\nalpha\n");
        // Inside the container, not on the host.
        assertThat(Path.of("/root/by-scp.txt")).doesNotExist();
    }

    @Test
    void stop_keeps_the_containers_files_and_start_resumes_the_same_container() {
        long id = market.rent("");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "echo kept > /root/data.txt").exitCode()).isZero();

        setState(id, "stopped");
        market.awaitStatus(id, "stopped", Duration.ofSeconds(60));
        assertThat(market.containers().inspect(id).state()).isEqualTo(Inspection.State.STOPPED);
        setState(id, "running");
        int again = market.awaitRunning(id);

        assertThat(market.exec(again, "cat /root/data.txt").output().trim()).isEqualTo("kept");
    }

    @Test
    void destroy_leaves_no_container_behind() {
        long id = market.rent("");
        market.awaitRunning(id);
        assertThat(market.containers().known()).contains(id);

        var destroyed = Http.call("DELETE", market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}");
        assertThat(destroyed.status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(market.containers().known()).doesNotContain(id);
            assertThat(market.containers().inspect(id).state()).isEqualTo(Inspection.State.ABSENT);
        });
    }

    @Test
    void an_agent_killed_with_sigkill_adopts_its_running_containers_without_restarting_them() throws Exception {
        long id = market.rent("echo started >> /root/starts");
        int port = market.awaitRunning(id);
        long startedAt = market.containers().inspect(id).startedAt();
        assertThat(market.exec(port, "wc -l < /root/starts").output().trim()).isEqualTo("1");

        market.agent.kill();
        // The container runs on while its agent is gone.
        assertThat(market.containers().inspect(id).state()).isEqualTo(Inspection.State.RUNNING);
        market.agent.start();

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(market.exec(port, "wc -l < /root/starts")
                                .output()
                                .trim())
                        .isEqualTo("1"));
        assertThat(market.containers().inspect(id).startedAt()).isEqualTo(startedAt);
        assertThat(market.instance(id).get("actual_status").asText()).isEqualTo("running");
    }

    @Test
    void an_image_that_does_not_exist_ends_exited_naming_it_and_the_agent_keeps_serving_others() {
        long running = market.rent("");
        int port = market.awaitRunning(running);
        String missing = "localhost/gpumarket-no-such-image:never";

        long broken = market.rentImage(missing, "", "{}", "");
        market.awaitStatus(broken, "exited", Duration.ofSeconds(90));

        assertThat(market.instance(broken).get("status_msg").asText()).contains(missing);
        assertThat(market.exec(port, "echo still-here").output().trim()).isEqualTo("still-here");
        long after = market.rent("");
        market.awaitRunning(after);
    }

    @Test
    void a_jupyter_launch_of_an_image_without_jupyter_runs_and_says_so_in_its_status() {
        long id = market.rentImage(ContainerEngine.IMAGE, "jupyter_direct", "", "{}", "");
        market.awaitRunning(id);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(market.instance(id).get("status_msg").asText())
                                .contains("running in container")
                                .contains("Jupyter not started: the image has no jupyter command"));
    }

    @Test
    void a_published_port_is_mapped_by_the_engine_to_the_containers_service() throws Exception {
        long id = market.rent(
                "mkdir -p /www && echo published > /www/index.html && httpd -p 8080 -h /www",
                "{\"-p 8080:8080\": \"1\"}");
        int port = market.awaitRunning(id);
        var instance = market.instance(id);
        int hostPort = Integer.parseInt(
                instance.get("ports").get("8080/tcp").get(0).get("HostPort").asText());
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/index.html"))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                                .body()
                                .trim())
                        .isEqualTo("published"));
        assertThat(market.exec(port, "echo $VAST_TCP_PORT_8080").output().trim())
                .isEqualTo(Integer.toString(hostPort));
    }

    @Test
    void traffic_through_the_containers_own_network_is_measured_and_billed_as_upload() throws Exception {
        long id = market.rent("mkdir -p /www && httpd -p 8080 -h /www", "{\"-p 8080:8080\": \"1\"}");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "dd if=/dev/zero of=/www/blob bs=1048576 count=4 2>/dev/null && echo ok")
                        .output()
                        .trim())
                .isEqualTo("ok");
        int hostPort = Integer.parseInt(market.instance(id)
                .get("ports")
                .get("8080/tcp")
                .get(0)
                .get("HostPort")
                .asText());
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/blob"))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(client.send(request, HttpResponse.BodyHandlers.ofByteArray())
                                .body())
                        .hasSize(4 << 20));

        Http.put(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"stopped\"}");
        market.awaitStatus(id, "stopped", Duration.ofSeconds(30));
        market.server.tick();

        long today = java.time.Instant.now().getEpochSecond();
        JsonNode charges = Http.get(
                        market.server.api() + "/charges/?format=tree&select_filters="
                                + Http.encode("{\"day\": {\"gte\": " + (today - 86_400) + ", \"lte\": "
                                        + (today + 86_400) + "}}"),
                        market.renter.key())
                .json();
        JsonNode charge = null;
        for (JsonNode c : charges.get("results")) if (c.get("source").asText().equals("instance-" + id)) charge = c;
        assertThat(charge).as(charges.toString()).isNotNull();
        long upload = Math.round(charge.get("items").get(2).get("amount").asDouble() * 1e6);
        long sent = 4L << 20; // at $1 per 10⁹ bytes: one micro-dollar per kB
        assertThat(charge.get("items").get(2).get("type").asText()).isEqualTo("bwu");
        assertThat(upload)
                .as("the 4 MiB the container sent, plus its packets' headers")
                .isBetween(sent / 1000, sent * 11 / 10 / 1000);
    }

    @Test
    void request_logs_come_from_the_container() {
        long id = market.rent("for i in 1 2 3; do echo \"line $i keep\"; echo \"noise $i\"; done");
        market.awaitRunning(id);
        var asked = Http.put(
                market.server.api() + "/instances/request_logs/" + id + "/",
                market.renter.key(),
                "{\"tail\": \"2\", \"filter\": \"keep\"}");
        String url = asked.json().get("result_url").asText();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    var log = Http.get(url, null);
                    assertThat(log.status()).isEqualTo(200);
                    assertThat(log.body()).isEqualTo("line 2 keep\nline 3 keep\n");
                });
    }

    @Test
    void reboot_restarts_the_same_container_and_keeps_its_files() {
        long id = market.rent("echo boot >> /root/boots");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "echo kept > /root/data.txt").exitCode()).isZero();
        long startedAt = market.containers().inspect(id).startedAt();

        var r = Http.put(market.server.api() + "/instances/reboot/" + id + "/", market.renter.key(), "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(market.exec(port, "wc -l < /root/boots")
                                .output()
                                .trim())
                        .isEqualTo("2"));
        assertThat(market.exec(port, "cat /root/data.txt").output().trim()).isEqualTo("kept");
        assertThat(market.containers().inspect(id).startedAt()).isGreaterThanOrEqualTo(startedAt);
        assertThat(market.containers().known()).contains(id);
    }

    @Test
    void a_container_the_server_no_longer_lists_is_left_running_not_killed_unseen() throws Exception {
        long id = market.rent("");
        market.awaitRunning(id);
        market.agent.kill();
        // Destroyed while the agent is away: the server forgets it, the container is still there.
        Http.call("DELETE", market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}");
        market.agent.start();
        long next = market.rent("");
        market.awaitRunning(next); // the restarted agent has been through its recovery pass

        assertThat(market.containers().known()).contains(id);
        assertThat(market.containers().inspect(id).state()).isEqualTo(Inspection.State.RUNNING);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(orphansShownToTheHost())
                        .as("reported to the host, not only in the agent's log")
                        .contains((int) id));
        market.containers().destroy(id);
    }

    private static List<Integer> orphansShownToTheHost() {
        List<Integer> out = new ArrayList<>();
        for (JsonNode m : Http.get(market.server.api() + "/machines/", market.host.key())
                .json()
                .get("machines")) {
            m.get("orphaned_instances").forEach(n -> out.add(n.asInt()));
        }
        return out;
    }

    private static void setState(long id, String state) {
        var r = Http.put(
                market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"" + state + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
