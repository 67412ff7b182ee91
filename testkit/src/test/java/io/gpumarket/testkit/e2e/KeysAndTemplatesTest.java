package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSH keys and templates end to end: a real server, a real agent in its own JVM, real instance processes and the
 * stock ssh client. A key added or attached over the API opens a running instance within seconds and is refused
 * once deleted; an instance created from a template's hash_id runs with the template's env merged with the
 * request's.
 */
class KeysAndTemplatesTest {
    /** How long a key change may take to reach a running instance's SSH listener: the next sync, well within this. */
    static final Duration KEY_DELIVERY = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = server.closesWith(new LiveMarket(server, dir));
    }

    static Ssh identity(String name) throws Exception {
        return Ssh.newIdentity(Files.createDirectories(dir.resolve(name)));
    }

    static boolean lets(Ssh who, int port) {
        Ssh.Result r = who.exec("127.0.0.1", port, "echo inside");
        return r.exitCode() == 0 && r.output().trim().equals("inside");
    }

    static boolean refuses(Ssh who, int port) {
        Ssh.Result r = who.exec("127.0.0.1", port, "echo inside");
        return r.exitCode() == 255 && r.output().contains("Permission denied");
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void an_added_account_key_opens_a_running_instance_within_seconds_and_is_refused_once_deleted() throws Exception {
        long id = market.rent("true");
        int port = market.awaitRunning(id);
        Ssh laptop = identity("laptop");
        assertThat(refuses(laptop, port)).as("not yet added").isTrue();

        var added = Http.post(
                market.server.api() + "/ssh/", market.renter.key(), "{\"ssh_key\": " + json(laptop.publicKey()) + "}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        await().atMost(KEY_DELIVERY).until(() -> lets(laptop, port));

        long keyId = added.json().get("key").get("id").asLong();
        assertThat(Http.delete(market.server.api() + "/ssh/" + keyId + "/", market.renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        await().atMost(KEY_DELIVERY).until(() -> refuses(laptop, port));
        assertThat(lets(market.ssh, port))
                .as("the renter's other key still works")
                .isTrue();
    }

    @Test
    void a_key_attached_to_one_instance_opens_that_instance_only_until_detached() throws Exception {
        long a = market.rent("true");
        long b = market.rent("true");
        int portA = market.awaitRunning(a);
        int portB = market.awaitRunning(b);
        Ssh colleague = identity("colleague");

        var attached = Http.post(
                market.server.api() + "/instances/" + a + "/ssh/",
                market.renter.key(),
                "{\"ssh_key\": " + json(colleague.publicKey()) + "}");
        assertThat(attached.status()).as(attached.body()).isEqualTo(200);
        await().atMost(KEY_DELIVERY).until(() -> lets(colleague, portA));
        assertThat(refuses(colleague, portB))
                .as("another instance of the same renter")
                .isTrue();

        long keyId = attached.json().get("key").get("id").asLong();
        Http.delete(market.server.api() + "/instances/" + a + "/ssh/" + keyId + "/", market.renter.key(), "{}");
        await().atMost(KEY_DELIVERY).until(() -> refuses(colleague, portA));
    }

    @Test
    void an_instance_created_from_a_templates_hash_id_runs_with_the_merged_env() {
        var template = Http.post(market.server.api() + "/template/", market.renter.key(), """
                {"name": "e2e", "image": "ubuntu", "tag": "22.04", "runtype": "ssh",
                 "env": "-e GREETING=from-template -e SHARED=template",
                 "onstart": "echo template-onstart > /root/onstart.txt"}""");
        assertThat(template.status()).as(template.body()).isEqualTo(200);
        String hash = template.json().get("template").get("hash_id").asText();
        String q = "{\"machine_id\": {\"eq\": " + market.machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(market.server.api() + "/bundles/", market.renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();

        var created = Http.put(
                market.server.api() + "/asks/" + offer + "/",
                market.renter.key(),
                "{\"template_hash_id\": \"" + hash
                        + "\", \"env\": {\"SHARED\": \"request\"}, \"runtype\": \"ssh_direct\", \"disk\": 10}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long id = created.json().get("new_contract").asLong();
        int port = market.awaitRunning(id);

        assertThat(market.exec(port, "echo $GREETING $SHARED").output().trim()).isEqualTo("from-template request");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(market.exec(port, "cat /root/onstart.txt")
                                .output()
                                .trim())
                        .isEqualTo("template-onstart"));
    }

    @Test
    void launch_instance_finds_an_offer_through_the_templates_extra_filters_and_runs_it_with_the_merged_env() {
        var template =
                Http.post(market.server.api() + "/template/", market.renter.key(), """
                {"name": "e2e-launch", "image": "ubuntu:22.04", "runtype": "ssh_direct", "env": "-e WHERE=template-filters",
                 "extra_filters": {"machine_id": {"eq": %d}, "num_gpus": {"eq": 2}}}""".formatted(market.machine));
        String hash = template.json().get("template").get("hash_id").asText();

        var launched = Http.put(
                market.server.api() + "/launch_instance/",
                market.renter.key(),
                "{\"template_hash_id\": \"" + hash
                        + "\", \"q\": {\"num_gpus\": {\"eq\": 1}}, \"env\": {\"WHO\": \"request\"}, \"disk\": 10}");
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        long id = launched.json().get("new_contract").asLong();
        int port = market.awaitRunning(id);

        assertThat(market.instance(id).get("num_gpus").asInt())
                .as("the request's num_gpus over the template's")
                .isEqualTo(1);
        assertThat(market.exec(port, "echo $WHERE $WHO").output().trim()).isEqualTo("template-filters request");
    }
}
