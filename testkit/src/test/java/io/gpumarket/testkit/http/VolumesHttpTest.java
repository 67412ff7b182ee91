package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.DesiredVolume;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.core.money.Money;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Volumes over HTTP (docs/volumes.md): a host's volume offer, searching and renting it, linking it to instances, the
 * agent's desired state, refusals, other renters kept out, and the meter's exact per-GB-second charges.
 */
class VolumesHttpTest {
    final FakeClock clock = new FakeClock();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    TestServer.Hosted machine(TestServer.Account host) {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000), 0.5, Map.of("verification", "verified"));
        var r = Http.post(
                server.api() + "/volumes/",
                host.key(),
                "{\"size\": 100, \"machine\": " + m.id() + ", \"price_disk\": 0.3}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return m;
    }

    long volumeOffer(String key, long machineId) {
        var r = Http.post(
                server.api() + "/volumes/search/",
                key,
                "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"disk_space\": {\"gte\": 1},"
                        + " \"machine_id\": {\"eq\": " + machineId + "}, \"order\": [[\"score\", \"desc\"]],"
                        + " \"allocated_storage\": 1.0}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("offers")).hasSize(1);
        return r.json().get("offers").get(0).get("id").asLong();
    }

    long rentVolume(TestServer.Account renter, long offer, int sizeGb) {
        var r = Http.put(
                server.api() + "/volumes/",
                renter.key(),
                "{\"size\": " + sizeGb + ", \"id\": " + offer + ", \"name\": \"data\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("volume_name").asText()).startsWith("V.");
        return r.json().get("volume_id").asLong();
    }

    static String withVolume(boolean createNew, long id, String path) {
        return "{\"image\": \"busybox\", \"disk\": 10, \"volume_info\": {\"create_new\": " + createNew
                + ", \"volume_id\": " + id + ", \"size\": 20, \"mount_path\": \"" + path + "\"}}";
    }

    @Test
    void a_listed_volume_offer_is_found_by_the_search_dsl_and_shrinks_as_volumes_are_rented() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host);
        long offer = volumeOffer(renter.key(), m.id());
        var none = Http.post(server.api() + "/volumes/search/", renter.key(), "{\"disk_space\": {\"gt\": 100}}");
        assertThat(none.json().get("offers")).isEmpty();
        rentVolume(renter, offer, 30);
        var after = Http.post(
                server.api() + "/volumes/search/", renter.key(), "{\"machine_id\": {\"eq\": " + m.id() + "}}");
        JsonNode row = after.json().get("offers").get(0);
        assertThat(row.get("disk_space").asDouble()).isEqualTo(70.0);
        assertThat(row.get("storage_cost").asDouble()).isEqualTo(0.3);
        var tooBig = Http.put(server.api() + "/volumes/", renter.key(), "{\"size\": 71, \"id\": " + offer + "}");
        assertThat(tooBig.status()).isEqualTo(400);
        var badField = Http.post(server.api() + "/volumes/search/", renter.key(), "{\"num_gpus\": {\"eq\": 1}}");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.json().get("error").asText()).isEqualTo("invalid_args");
    }

    @Test
    void an_instance_created_with_a_new_volume_mounts_it_and_another_instance_links_it_after_the_first_is_destroyed() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host);
        TestAgent agent = server.agent(m);
        long offer = volumeOffer(renter.key(), m.id());
        long first = Rentals.rent(server, renter, m.id(), 1, withVolume(true, offer, "/data"))
                .id();

        var listed = Http.get(server.api() + "/volumes?owner=me&type=all_volume", renter.key());
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode vol = listed.json().get("volumes").get(0);
        long volumeId = vol.get("id").asLong();
        assertThat(vol.get("disk_space").asDouble()).isEqualTo(20.0);
        assertThat(vol.get("start_date").isNumber()).isTrue();
        assertThat(vol.get("instances").get(0).asLong()).isEqualTo(first);

        SyncResponse state = agent.sync();
        DesiredInstance desired = TestAgent.find(state, first);
        assertThat(desired.volumes()).containsExactly(new DesiredVolume(volumeId, 20, "/data"));
        assertThat(state.volumes()).containsExactly(new DesiredVolume(volumeId, 20, null));

        var refused = Http.delete(server.api() + "/volumes/?id=" + volumeId, renter.key(), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).isEqualTo("volume_in_use");

        assertThat(Http.delete(server.api() + "/instances/" + first + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        agent.removed(first);
        long second = Rentals.rent(server, renter, m.id(), 1, withVolume(false, volumeId, "/mnt/keep"))
                .id();
        assertThat(TestAgent.find(agent.sync(), second).volumes())
                .containsExactly(new DesiredVolume(volumeId, 20, "/mnt/keep"));
        assertThat(Http.delete(server.api() + "/instances/" + second + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        agent.removed(second);

        var deleted = Http.delete(server.api() + "/volumes/", renter.key(), "{\"id\": " + volumeId + "}");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(agent.sync().volumes()).isEmpty();
        assertThat(Http.get(server.api() + "/volumes/", renter.key()).json().get("volumes"))
                .isEmpty();
    }

    @Test
    void another_renter_can_neither_see_nor_link_nor_delete_the_volume() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account owner = server.newRenter(100);
        TestServer.Account stranger = server.newRenter(100);
        TestServer.Hosted m = machine(host);
        long volumeId = rentVolume(owner, volumeOffer(owner.key(), m.id()), 10);

        assertThat(Http.get(server.api() + "/volumes/", stranger.key()).json().get("volumes"))
                .isEmpty();
        var link = Rentals.rent(
                server,
                stranger.key(),
                Rentals.offer(server, stranger.key(), m.id(), 1),
                withVolume(false, volumeId, "/data"));
        assertThat(link.status()).as(link.body()).isEqualTo(404);
        assertThat(link.json().get("error").asText()).isEqualTo("no_such_volume");
        var delete = Http.delete(server.api() + "/volumes/?id=" + volumeId, stranger.key(), null);
        assertThat(delete.status()).isEqualTo(404);
        // the refused rent left nothing behind: the GPUs are still free
        assertThat(Rentals.freeGpus(server, m.id())).isEqualTo(2);
        assertThat(Http.get(server.api() + "/volumes/", owner.key()).json().get("volumes"))
                .hasSize(1);
    }

    @Test
    void a_volume_on_another_machine_cannot_be_linked_and_a_bad_mount_path_is_refused() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted a = machine(host);
        TestServer.Hosted b = machine(host);
        long volumeId = rentVolume(renter, volumeOffer(renter.key(), a.id()), 10);
        var elsewhere = Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), b.id(), 1),
                withVolume(false, volumeId, "/data"));
        assertThat(elsewhere.status()).isEqualTo(404);
        var badPath = Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), a.id(), 1),
                withVolume(false, volumeId, "relative/x"));
        assertThat(badPath.status()).isEqualTo(400);
        var overRoot = Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), a.id(), 1),
                withVolume(false, volumeId, "/root"));
        assertThat(overRoot.status()).isEqualTo(400);
    }

    @Test
    void a_volume_is_charged_per_gb_second_from_rent_to_delete_exactly_over_ticks() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host);
        long offer = volumeOffer(renter.key(), m.id());
        long volumeId = rentVolume(renter, offer, 10);
        clock.advance(Duration.ofMinutes(61));
        server.tick();
        clock.advance(Duration.ofMinutes(89));
        server.tick();
        clock.advance(Duration.ofMinutes(30));
        assertThat(Http.delete(server.api() + "/volumes/?id=" + volumeId, renter.key(), null)
                        .status())
                .isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        server.tick();
        // 10 GB × $0.30/GB-month × 3 h ÷ 720 h = $0.0125, floored once to the micro-dollar
        long expected = 10L
                * 300_000
                * Duration.ofHours(3).toMillis()
                / Duration.ofHours(720).toMillis();
        assertThat(expected).isEqualTo(12_500);
        assertThat(credit(renter)).isEqualTo(Money.toDollars(100_000_000 - expected));
        assertThat(credit(host)).isEqualTo(Money.toDollars(expected));
        String filters = Http.encode("{\"day\": {\"gte\": 0, \"lte\": 4102444800}, \"type\": {\"in\": [\"volume\"]}}");
        var charges = Http.get(server.api() + "/charges/?format=tree&select_filters=" + filters, renter.key());
        assertThat(charges.status()).as(charges.body()).isEqualTo(200);
        JsonNode line = charges.json().get("results").get(0);
        assertThat(line.get("type").asText()).isEqualTo("volume");
        assertThat(line.get("source").asText()).isEqualTo("volume-" + volumeId);
        assertThat(line.get("amount").asDouble()).isEqualTo(Money.toDollars(expected));
        assertThat(line.get("items").get(0).get("type").asText()).isEqualTo("disk");
    }

    @Test
    void deleting_an_unknown_or_malformed_volume_id_answers_vast_errors() {
        server = TestServer.start(clock);
        TestServer.Account renter = server.newRenter(100);
        assertThat(Http.delete(server.api() + "/volumes/?id=abc", renter.key(), null)
                        .status())
                .isEqualTo(400);
        assertThat(Http.delete(server.api() + "/volumes/?id=999", renter.key(), null)
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("no_such_volume");
    }

    double credit(TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }
}
