package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.CloudCopyTask;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cloud copy's routes as vastai calls them (docs/copy.md "Cloud copy"), with the machine's agent played over plain
 * HTTP: connections are kept with their keys never shown back, a copy reaches the instance's agent with the
 * connection's options and only while it is active, the agent's progress and end are taken from the instance's own
 * machine only, {@code cancel sync} ends it, and every call is in the audit log. The transfer itself, with rclone and
 * a real S3 server, is {@code e2e/CloudCopyEndToEndTest}.
 */
class CloudCopyHttpTest {
    static final String SECRET = "s3cr3t-value-that-must-never-come-back";

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    record Setup(TestServer.Account renter, TestAgent agent, long instance, long connection) {}

    Setup running() {
        server = TestServer.start();
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000), 0.5, Map.of("verification", "verified"));
        TestAgent agent = server.agent(m);
        long instance = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(instance, "running");
        return new Setup(renter, agent, instance, connection(renter.key(), "backups"));
    }

    long connection(String key, String name) {
        var r = Http.post(
                server.api() + "/users/cloud_integrations/",
                key,
                "{\"name\": \"" + name + "\", \"cloud_type\": \"s3\", \"endpoint\": \"https://s3.example.net\","
                        + " \"access_key_id\": \"AKIAEXAMPLE1234\", \"secret_access_key\": \"" + SECRET + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    Http.Response copy(String key, long instance, long connection, String transfer, String src, String dst) {
        return Http.post(
                server.api() + "/commands/rclone/",
                key,
                "{\"src\": \"" + src + "\", \"dst\": \"" + dst + "\", \"instance_id\": \"" + instance
                        + "\", \"selected\": \"" + connection + "\", \"transfer\": \"" + transfer
                        + "\", \"flags\": [\"--size-only\"]}");
    }

    @Test
    void show_connections_lists_id_name_and_cloud_type_and_never_the_secret_key() {
        Setup s = running();
        var r = Http.get(server.api() + "/users/cloud_integrations/", s.renter().key());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        JsonNode row = r.json().get(0);
        assertThat(row.get("id").asLong()).isEqualTo(s.connection());
        assertThat(row.get("name").asText()).isEqualTo("backups");
        assertThat(row.get("cloud_type").asText()).isEqualTo("s3");
        assertThat(row.get("access_key_id").asText()).endsWith("1234").doesNotContain("AKIAEXAMPLE");
        assertThat(r.body()).doesNotContain(SECRET);
        // another account sees none of them and cannot delete them
        var stranger = server.newRenter(1);
        assertThat(Http.get(server.api() + "/users/cloud_integrations/", stranger.key())
                        .json())
                .isEmpty();
        var foreign = Http.call(
                "DELETE", server.api() + "/users/cloud_integrations/" + s.connection() + "/", stranger.key(), "{}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("no_such_connection");
    }

    @Test
    void a_copy_reaches_the_instances_agent_with_the_connections_options_and_ends_with_its_report() {
        Setup s = running();
        var r = copy(s.renter().key(), s.instance(), s.connection(), "Instance To Cloud", "/workspace/data", "bkt/x");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        long id = r.json().get("copy_id").asLong();

        SyncResponse state = s.agent().sync();
        assertThat(state.cloudCopies()).hasSize(1);
        CloudCopyTask t = state.cloudCopies().get(0);
        assertThat(t.id()).isEqualTo(id);
        assertThat(t.instanceId()).isEqualTo(s.instance());
        assertThat(t.toCloud()).isTrue();
        assertThat(t.instancePath()).isEqualTo("/workspace/data");
        assertThat(t.cloudPath()).isEqualTo("bkt/x");
        assertThat(t.flags()).containsExactly("--size-only");
        assertThat(t.remote())
                .containsEntry("type", "s3")
                .containsEntry("endpoint", "https://s3.example.net")
                .containsEntry("secret_access_key", SECRET);

        // a second copy on the same instance waits for the first
        var second = copy(s.renter().key(), s.instance(), s.connection(), "cloud to instance", "bkt/x", "/root");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("error").asText()).isEqualTo("copy_in_progress");
        // the connection in use cannot be deleted
        var inUse = Http.call(
                "DELETE",
                server.api() + "/users/cloud_integrations/" + s.connection() + "/",
                s.renter().key(),
                "{}");
        assertThat(inUse.status()).isEqualTo(409);

        var progress = Http.put(
                server.url() + "/api/v0/agent/cloud_copies/" + id + "/",
                s.agent().token(),
                "{\"state\": \"active\", \"msg\": \"Cloud Copy to cloud: 1 MiB / 4 MiB, 25%\"}");
        assertThat(progress.status()).as(progress.body()).isEqualTo(200);
        // the result_url Vast's document answers: the copy's state and last line, without a key
        String resultUrl = r.json().get("result_url").asText();
        assertThat(resultUrl).startsWith(server.url() + "/instance_logs/").endsWith(".log");
        var result = Http.get(resultUrl, null);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("active").contains("Cloud Copy to cloud: 1 MiB / 4 MiB, 25%");
        var done = Http.put(
                server.url() + "/api/v0/agent/cloud_copies/" + id + "/",
                s.agent().token(),
                "{\"state\": \"done\", \"msg\": \"Cloud Copy Operation Finished\"}");
        assertThat(done.status()).isEqualTo(200);
        // ended: no longer listed, so the agent no longer holds the keys
        assertThat(s.agent().sync().cloudCopies()).isEmpty();
        assertThat(Http.get(resultUrl, null).body()).contains("done").contains("Cloud Copy Operation Finished");
        assertThat(Http.get(resultUrl.replace(".log", "x.log"), null).status()).isEqualTo(404);
        var deleted = Http.call(
                "DELETE",
                server.api() + "/users/cloud_integrations/" + s.connection() + "/",
                s.renter().key(),
                "{}");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(Http.get(
                                server.api() + "/users/cloud_integrations/",
                                s.renter().key())
                        .json())
                .isEmpty();
    }

    @Test
    void cancel_sync_ends_the_copy_and_the_agent_stops_hearing_of_it() {
        Setup s = running();
        var r = copy(s.renter().key(), s.instance(), s.connection(), "Cloud To Instance", "bkt/x", "restored");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(s.agent().sync().cloudCopies().get(0).instancePath()).isEqualTo("/workspace/restored");
        var cancel = Http.call(
                "DELETE",
                server.api() + "/commands/rclone/",
                s.renter().key(),
                "{\"client_id\": \"me\", \"dst_id\": " + s.instance() + "}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().get("msg").asText()).startsWith("Remote copy canceled");
        assertThat(s.agent().sync().cloudCopies()).isEmpty();
        // a late report of the canceled copy changes nothing
        var late = Http.put(
                server.url() + "/api/v0/agent/cloud_copies/"
                        + r.json().get("copy_id").asLong() + "/",
                s.agent().token(),
                "{\"state\": \"done\", \"msg\": \"Cloud Copy Operation Finished\"}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(s.agent().sync().cloudCopies()).isEmpty();

        var invalid = Http.call(
                "DELETE", server.api() + "/commands/rclone/", s.renter().key(), "{\"client_id\": \"me\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("msg").asText()).isEqualTo("Invalid dst_id.");
        var missing = Http.call(
                "DELETE",
                server.api() + "/commands/rclone/",
                s.renter().key(),
                "{\"client_id\": \"me\", \"dst_id\": 999999}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("no_such_instance");

        long calls = 0;
        for (JsonNode e :
                Http.get(server.api() + "/audit_logs/", s.renter().key()).json()) {
            String route = e.get("api_route").asText();
            if (route.equals("/api/v0/commands/rclone/") || route.equals("/api/v0/users/cloud_integrations/")) calls++;
        }
        assertThat(calls).as("connection added, copy started, copy canceled").isEqualTo(3);
    }

    @Test
    void bad_bodies_are_refused_with_vasts_error_shape_and_another_machines_agent_cannot_report() {
        Setup s = running();
        String key = s.renter().key();
        for (String[] bad : List.of(
                new String[] {"Sideways", "/workspace", "bkt"},
                new String[] {"Instance To Cloud", "/workspace/../etc", "bkt"},
                new String[] {"Instance To Cloud", "/workspace", "NoSuchBucketName"},
                new String[] {"Instance To Cloud", "/workspace", ""})) {
            var r = copy(key, s.instance(), s.connection(), bad[0], bad[1], bad[2]);
            assertThat(r.status()).as(String.join(" ", bad) + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("success").asBoolean()).isFalse();
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        }
        var flag = Http.post(
                server.api() + "/commands/rclone/",
                key,
                "{\"src\": \"/workspace\", \"dst\": \"bkt\", \"instance_id\": " + s.instance() + ", \"selected\": "
                        + s.connection() + ", \"transfer\": \"Instance To Cloud\", \"flags\": [\"--config=/x\"]}");
        assertThat(flag.status()).isEqualTo(400);
        var noConnection = copy(key, s.instance(), 987654, "Instance To Cloud", "/workspace", "bkt");
        assertThat(noConnection.status()).isEqualTo(404);
        assertThat(noConnection.json().get("error").asText()).isEqualTo("no_such_connection");
        var stranger = server.newRenter(1);
        var foreign = copy(
                stranger.key(), s.instance(), connection(stranger.key(), "mine"), "Instance To Cloud", "/w", "bkt");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("no_such_instance");
        for (String body : List.of(
                "{\"name\": \"x\", \"access_key_id\": \"a\", \"secret_access_key\": \"b\"}",
                "{\"name\": \"x\", \"endpoint\": \"ftp://h\", \"access_key_id\": \"a\", \"secret_access_key\": \"b\"}",
                "{\"name\": \"x\", \"endpoint\": \"https://h\", \"access_key_id\": \"a\\nB=c\","
                        + " \"secret_access_key\": \"b\"}",
                "{\"name\": \"x\", \"cloud_type\": \"drive\", \"endpoint\": \"https://h\", \"access_key_id\": \"a\","
                        + " \"secret_access_key\": \"b\"}")) {
            var r = Http.post(server.api() + "/users/cloud_integrations/", key, body);
            assertThat(r.status()).as(body + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        }

        long id = copy(key, s.instance(), s.connection(), "Instance To Cloud", "/workspace", "bkt")
                .json()
                .get("copy_id")
                .asLong();
        TestServer.Hosted other = server.hostMachine(
                server.newUser(), TestMachines.machine("RTX 4090", 1, "Oslo, NO", 51001), 0.5, Map.of());
        var elsewhere = Http.put(
                server.url() + "/api/v0/agent/cloud_copies/" + id + "/",
                other.token(),
                "{\"state\": \"done\", \"msg\": \"fake\"}");
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(s.agent().sync().cloudCopies()).hasSize(1);
    }

    @Test
    void a_copy_needs_the_instance_running_or_stopped_not_starting() {
        Setup s = running();
        s.agent().report(s.instance(), "loading");
        var r = copy(s.renter().key(), s.instance(), s.connection(), "Instance To Cloud", "/workspace", "bkt");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("error").asText()).isEqualTo("instance_not_running");
        // a stopped instance's files are copied at rest, as Vast's are (docs/copy.md)
        s.agent().report(s.instance(), "stopped");
        var stopped = copy(s.renter().key(), s.instance(), s.connection(), "Instance To Cloud", "/workspace", "bkt");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    }
}
