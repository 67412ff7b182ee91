package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.agent.LogRequest;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** request_logs: the renter gets a URL at once; the agent uploads under its token; the URL then serves the text. */
class InstanceLogsHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
    }

    @Test
    void logs_travel_from_the_request_through_the_agent_to_the_result_url() {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 48500), 0.4, Map.of("verification", "verified"));
        TestAgent agent = server.agent(m);
        long id = Rentals.rentOne(server, renter, m.id()).id();

        var requested = Http.put(
                server.api() + "/instances/request_logs/" + id + "/",
                renter.key(),
                "{\"tail\": \"1000\", \"filter\": \"error\"}");
        assertThat(requested.status()).isEqualTo(200);
        assertThat(requested.json().get("success").asBoolean()).isTrue();
        String url = requested.json().get("result_url").asText();
        assertThat(url).startsWith(server.url() + "/instance_logs/").endsWith(".log");
        assertThat(Http.get(url, null).status()).as("not uploaded yet").isEqualTo(404);

        LogRequest asked = TestAgent.find(agent.sync(), id).logRequests().get(0);
        assertThat(asked.tail()).isEqualTo(1000);
        assertThat(asked.filter()).isEqualTo("error");
        assertThat(url).contains(asked.token());

        var uploaded = agent.uploadLogs(asked.token(), "error: one\nerror: two\n");
        assertThat(uploaded.status()).isEqualTo(200);

        var text = Http.get(url, null);
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.body()).isEqualTo("error: one\nerror: two\n");
        assertThat(TestAgent.find(agent.sync(), id).logRequests())
                .as("answered, so no longer asked")
                .isEmpty();
        assertThat(agent.uploadLogs(asked.token(), "again").status()).isEqualTo(409);
    }

    @Test
    void only_the_instances_machine_may_upload_its_logs() {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 48600), 0.4, Map.of("verification", "verified"));
        TestServer.Hosted intruder =
                server.hostMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 48700), 0.4, Map.of());
        long id = Rentals.rentOne(server, renter, m.id()).id();
        Http.put(server.api() + "/instances/request_logs/" + id + "/", renter.key(), "{}");
        String token =
                TestAgent.find(server.agent(m).sync(), id).logRequests().get(0).token();

        assertThat(server.agent(intruder).uploadLogs(token, "forged").status()).isEqualTo(404);
        assertThat(Http.put(server.api() + "/agent/logs/" + token + "/", renter.key(), "forged")
                        .status())
                .isEqualTo(401);
        assertThat(Http.get(server.url() + "/instance_logs/" + token + ".log", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void unknown_tokens_and_bad_tails_are_refused() {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 48800), 0.4, Map.of("verification", "verified"));
        long id = Rentals.rentOne(server, renter, m.id()).id();

        assertThat(Http.get(server.url() + "/instance_logs/nope.log", null).status())
                .isEqualTo(404);
        assertThat(Http.get(server.url() + "/instance_logs/nope", null).status())
                .isEqualTo(404);
        assertThat(Http.put(server.api() + "/instances/request_logs/" + id + "/", renter.key(), "{\"tail\": \"lots\"}")
                        .status())
                .isEqualTo(400);
        assertThat(Http.put(server.api() + "/instances/request_logs/" + id + "/", renter.key(), "{\"tail\": -1}")
                        .status())
                .isEqualTo(400);
    }
}
