package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server, a real agent in its own JVM, real processes and the stock ssh client. */
class AgentLifecycleTest {
    @TempDir static Path dir;
    static TestServer server;
    static TestServer.Account host;
    static TestServer.Account renter;
    static Ssh ssh;
    static AgentProcess agent;
    static long machine;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        host = server.newUser();
        renter = server.newUser();
        ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        var added = Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"" + ssh.publicKey() + "\"}");
        assertThat(added.status()).isEqualTo(200);
        int ports = AgentProcess.freePortBlock(20);
        var registration = TestMachines.machine("RTX 4090", 4, "Oslo, NO", ports);
        var registered = host.client().registerMachine(registration);
        machine = registered.machineId();
        Http.put(server.api() + "/machines/create_asks/", host.key(), "{\"machine\": " + machine + ", \"price_gpu\": 0.3}");
        agent = new AgentProcess(server.url(), registered.machineToken(), dir.resolve("agent"), "4x RTX 4090", ports, ports + 19).start();
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
        for (JsonNode i : Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        server.close();
    }

    @Test
    void an_agent_killed_with_sigkill_recovers_its_instance_without_restarting_it() throws Exception {
        long id = rent("echo started >> /root/starts");
        int port = awaitRunning(id);
        assertThat(ssh.exec("127.0.0.1", port, "wc -l < /root/starts").output().trim()).isEqualTo("1");

        agent.kill();
        agent.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ssh.exec("127.0.0.1", port, "wc -l < /root/starts").output().trim()).isEqualTo("1"));
        assertThat(instance(id).get("actual_status").asText()).isEqualTo("running");
    }

    @Test
    void two_instances_see_neither_the_others_files_nor_its_processes() {
        long a = rent("echo secret-a > /root/mine.txt; sleep 4242 &");
        long b = rent("echo secret-b > /root/mine.txt");
        int portA = awaitRunning(a);
        int portB = awaitRunning(b);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ssh.exec("127.0.0.1", portA, "pgrep -f 'sleep [4]242' >/dev/null && echo yes").output().trim()).isEqualTo("yes"));

        assertThat(ssh.exec("127.0.0.1", portB, "cat /root/mine.txt").output().trim()).isEqualTo("secret-b");
        assertThat(ssh.exec("127.0.0.1", portA, "cat /root/mine.txt").output().trim()).isEqualTo("secret-a");
        assertThat(ssh.exec("127.0.0.1", portB, "grep -rs secret-a /root /workspace /tmp; echo end").output().trim()).isEqualTo("end");
        assertThat(ssh.exec("127.0.0.1", portB, "pgrep -f 'sleep [4]242' || echo none").output().trim()).isEqualTo("none");
    }

    private long rent(String onstart) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", renter.key(), q).json().get("offers").get(0).get("id").asLong();
        var created = Http.put(server.api() + "/asks/" + offer + "/", renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": " + quote(onstart) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("new_contract").asLong();
    }

    private int awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(instance(id).path("actual_status").asText()));
        return instance(id).get("ssh_port").asInt();
    }

    private JsonNode instance(long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key()).json().get("instances");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

}
