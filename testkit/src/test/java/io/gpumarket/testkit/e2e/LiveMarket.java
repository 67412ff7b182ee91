package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.ContainerEngine;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A market with one machine (8 GPUs unless told) served by a real agent in its own JVM, a renter with an SSH key, and the
 * verbs the end-to-end tests use. Closing it destroys the instances (while the agent still runs), stops the
 * agent and removes anything a killed agent left behind.
 */
final class LiveMarket implements AutoCloseable {
    final TestServer server;
    final TestServer.Account host;
    final TestServer.Account renter;
    final Ssh ssh;
    final AgentProcess agent;
    final long machine;
    final Path agentState;
    /** Null for the process launcher; else the engine the agent runs containers in. */
    final ContainerEngine engine;

    private final String image;

    LiveMarket(TestServer server, Path dir) throws Exception {
        this(server, dir, 1000);
    }

    /** … whose renter starts with this much credit (dollars). */
    LiveMarket(TestServer server, Path dir, double renterCredit) throws Exception {
        this(server, dir, renterCredit, 8, "\"price_gpu\": 0.3", null);
    }

    /** With an engine, the agent runs {@code --runtime docker} and instances are containers of its test image. */
    LiveMarket(TestServer server, Path dir, ContainerEngine engine) throws Exception {
        this(server, dir, 1000, 8, "\"price_gpu\": 0.3", engine);
    }

    /** … whose one machine has {@code gpus} GPUs, listed with these create_asks fields (JSON members). */
    LiveMarket(TestServer server, Path dir, double renterCredit, int gpus, String listing) throws Exception {
        this(server, dir, renterCredit, gpus, listing, null);
    }

    LiveMarket(TestServer server, Path dir, double renterCredit, int gpus, String listing, ContainerEngine engine)
            throws Exception {
        this(server, dir, renterCredit, gpus, listing, engine, List.of(), List.of());
    }

    /** … whose agent gets these more flags and is started under this command (e.g. one that changes its mounts). */
    LiveMarket(
            TestServer server,
            Path dir,
            double renterCredit,
            int gpus,
            String listing,
            ContainerEngine engine,
            List<String> agentArgs,
            List<String> agentLauncher)
            throws Exception {
        this.engine = engine;
        this.image = engine == null ? "ubuntu:22.04" : engine.image();
        this.server = server;
        this.host = server.newUser();
        this.renter = server.newRenter(renterCredit);
        this.ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        var added = Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"" + ssh.publicKey() + "\"}");
        assertThat(added.status()).isEqualTo(200);
        int ports = AgentProcess.freePortBlock(20);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", gpus, "Oslo, NO", ports));
        this.machine = registered.machineId();
        Http.put(
                server.api() + "/machines/create_asks/", host.key(), "{\"machine\": " + machine + ", " + listing + "}");
        this.agentState = dir.resolve("agent");
        List<String> args = new java.util.ArrayList<>(agentArgs);
        if (engine != null) args.addAll(List.of("--runtime", "docker", "--docker-host", engine.dockerHost()));
        this.agent = new AgentProcess(
                        server.url(),
                        registered.machineToken(),
                        agentState,
                        gpus + "x RTX 4090",
                        ports,
                        ports + 19,
                        args,
                        agentLauncher)
                .start();
    }

    /** Rents one GPU of the machine with this onstart script; answers the instance id. */
    long rent(String onstart) {
        return rent(onstart, "{}");
    }

    /** … with this {@code env} (a JSON object, Vast's dict form). */
    long rent(String onstart, String env) {
        return rent(onstart, env, "");
    }

    /** … and these more create-body members (e.g. {@code , "price": 0.2} for a bid). */
    long rent(String onstart, String env, String more) {
        return rentImage(image, onstart, env, more);
    }

    /** … of this image. */
    long rentImage(String image, String onstart, String env, String more) {
        return rentImage(image, "ssh_direct", onstart, env, more);
    }

    /** … launched as {@code runtype} (ssh_direct, jupyter_direct, args …). */
    long rentImage(String image, String runtype, String onstart, String env, String more) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(
                server.api() + "/asks/" + offer + "/",
                renter.key(),
                "{\"image\": " + quote(image) + ", \"disk\": 10, \"runtype\": " + quote(runtype) + ", \"env\": " + env
                        + ", \"onstart\": " + quote(onstart) + more + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("new_contract").asLong();
    }

    /** Waits for the instance to run; answers its SSH port. */
    int awaitRunning(long id) {
        awaitStatus(id, "running", Duration.ofSeconds(60));
        return instance(id).get("ssh_port").asInt();
    }

    void awaitStatus(long id, String status, Duration atMost) {
        await().atMost(atMost)
                .until(() -> status.equals(instance(id).path("actual_status").asText()));
    }

    JsonNode instance(long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key())
                .json()
                .get("instances");
    }

    Ssh.Result exec(int port, String command) {
        return ssh.exec("127.0.0.1", port, command);
    }

    /** This agent's containers, as the engine has them (a launcher over the agent's state, for looking and cleaning up). */
    DockerLauncher containers() {
        return new DockerLauncher(
                new EngineClient(engine.dockerHost()),
                agentState,
                new DockerLauncher.Host(1, 1000, 8, false, "127.0.0.1"));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Destroys the renter's instances, so the machine's GPUs are free for the next test. */
    void destroyAll() {
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
    }

    @Override
    public void close() throws Exception {
        destroyAll();
        agent.close();
        try (ProcessLauncher leftovers = new ProcessLauncher(agentState.resolve("instances"))) {
            leftovers.known().forEach(leftovers::destroy);
        }
        if (engine != null) containers().removeAll();
        server.close();
    }
}
