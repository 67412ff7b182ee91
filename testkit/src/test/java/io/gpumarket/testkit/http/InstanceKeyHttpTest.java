package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance's own API key (instance_api_key, CONTAINER_API_KEY) reaches that instance and nothing else. */
class InstanceKeyHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;
    static long machine;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
        machine = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48000),
                        0.4,
                        Map.of("verification", "verified"))
                .id();
    }

    @Test
    void it_shows_stops_starts_and_labels_its_own_instance() {
        Rentals.Rented own = Rentals.rentOne(server, renter, machine);

        assertThat(Rentals.show(server, own.key(), own.id()).get("id").asLong()).isEqualTo(own.id());
        assertThat(Http.put(server.api() + "/instances/" + own.id() + "/", own.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.put(server.api() + "/instances/" + own.id() + "/", own.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.put(server.api() + "/instances/" + own.id() + "/", own.key(), "{\"label\": \"self\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.put(server.api() + "/instances/request_logs/" + own.id() + "/", own.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(Rentals.show(server, renter.key(), own.id()).get("label").asText())
                .isEqualTo("self");
    }

    @Test
    void it_cannot_touch_another_instance_of_the_same_owner() {
        Rentals.Rented own = Rentals.rentOne(server, renter, machine);
        Rentals.Rented sibling = Rentals.rentOne(server, renter, machine);

        var show = Http.get(server.api() + "/instances/" + sibling.id() + "/", own.key());
        var stop = Http.put(server.api() + "/instances/" + sibling.id() + "/", own.key(), "{\"state\": \"stopped\"}");
        var destroy = Http.delete(server.api() + "/instances/" + sibling.id() + "/", own.key(), "{}");

        assertThat(show.status()).isEqualTo(403);
        assertThat(show.json().get("error").asText()).isEqualTo("not_authorized");
        assertThat(show.json().get("msg").asText())
                .startsWith("this key lacks permission instance_read for api.instance.show");
        assertThat(stop.status()).isEqualTo(403);
        assertThat(destroy.status()).isEqualTo(403);
        assertThat(destroy.json().get("msg").asText())
                .startsWith("this key lacks permission instance_write for api.instance.destroy");
        assertThat(Rentals.show(server, renter.key(), sibling.id())
                        .get("intended_status")
                        .asText())
                .isEqualTo("running");
    }

    @Test
    void it_cannot_read_the_account_list_instances_rent_or_reboot() {
        Rentals.Rented own = Rentals.rentOne(server, renter, machine);

        var account = Http.get(server.api() + "/users/current/", own.key());
        assertThat(account.status()).isEqualTo(403);
        assertThat(account.json().get("msg").asText())
                .isEqualTo("this key lacks permission user_read for api.users.current");
        assertThat(Http.get(server.api() + "/instances/", own.key()).status()).isEqualTo(403);
        assertThat(Http.get(server.url() + "/api/v1/instances/", own.key()).status())
                .isEqualTo(403);
        assertThat(Http.put(server.api() + "/instances/reboot/" + own.id() + "/", own.key(), "{}")
                        .status())
                .isEqualTo(403);
        assertThat(Rentals.rent(
                                server,
                                own.key(),
                                Rentals.offer(server, renter.key(), machine, 1),
                                Rentals.QUICKSTART_BODY)
                        .status())
                .isEqualTo(403);
        assertThat(Http.post(server.api() + "/bundles/", own.key(), "{}").status())
                .isEqualTo(403);
        assertThat(Http.post(server.api() + "/ssh/", own.key(), "{\"ssh_key\": \"x\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void it_can_destroy_its_own_instance_and_is_revoked_with_it() {
        Rentals.Rented own = Rentals.rentOne(server, renter, machine);

        assertThat(Http.delete(server.api() + "/instances/" + own.id() + "/", own.key(), "{}")
                        .status())
                .isEqualTo(200);

        var after = Http.get(server.api() + "/instances/" + own.id() + "/", own.key());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("msg").asText()).isEqualTo("Invalid user key");
    }
}
