package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Race;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Renters racing over real HTTP: renting is a conditional commit with exactly one winner per offer. */
class RentRaceHttpTest {
    static final int RENTERS = 50;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static List<TestServer.Account> renters;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renters = java.util.stream.IntStream.range(0, RENTERS)
                .mapToObj(i -> server.newRenter())
                .toList();
    }

    @Test
    void fifty_renters_racing_for_one_offer_get_exactly_one_contract() {
        long m = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 4090", 4, "Oslo, NO", 43100),
                        0.4,
                        Map.of("verification", "verified"))
                .id();
        long offer = Rentals.offer(server, host.key(), m, 2);

        List<Http.Response> answers = Race.run(
                RENTERS,
                i -> Rentals.rent(server, renters.get(i).key(), offer, "{\"image\": \"busybox\", \"disk\": 10}"));

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("error").asText()).isEqualTo("no_such_ask");
        });
        assertThat(server.app().store().repos().instances().liveOnMachine(m))
                .hasSize(1)
                .allSatisfy(i -> assertThat(i.numGpus()).isEqualTo(2));
        assertThat(Rentals.freeGpus(server, m)).isEqualTo(2);
        assertThat(Rentals.offers(server, host.key(), m))
                .extracting(o -> o.get("num_gpus").asInt())
                .containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void renters_racing_for_every_offer_of_a_machine_never_take_more_gpus_than_it_has() {
        long m = server.hostMachine(
                        host,
                        TestMachines.machine("RTX 4090", 8, "Oslo, NO", 43200),
                        0.4,
                        Map.of("verification", "verified"))
                .id();
        List<Long> offers = Rentals.offers(server, host.key(), m).stream()
                .map(o -> o.get("id").asLong())
                .toList();

        List<Http.Response> answers = Race.run(
                RENTERS,
                i -> Rentals.rent(
                        server,
                        renters.get(i).key(),
                        offers.get(i % offers.size()),
                        "{\"image\": \"busybox\", \"disk\": 10}"));

        int taken = server.app().store().repos().instances().liveOnMachine(m).stream()
                .mapToInt(i -> i.numGpus())
                .sum();
        assertThat(answers).filteredOn(r -> r.status() == 200).isNotEmpty();
        assertThat(answers).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.json().get("error").asText()).isEqualTo("no_such_ask");
        });
        assertThat(taken).isLessThanOrEqualTo(8);
        assertThat(Rentals.freeGpus(server, m)).isEqualTo(8 - taken);
        assertThat(server.app().store().repos().instances().liveOnMachine(m))
                .flatExtracting(i -> List.of(i.sshPort()))
                .doesNotHaveDuplicates();
    }
}
