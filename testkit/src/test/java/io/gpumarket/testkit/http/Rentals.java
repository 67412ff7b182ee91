package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;

/** Renting and reading instances over HTTP, as a renter's client does, for the instance tests. */
final class Rentals {
    static final String QUICKSTART_BODY = """
            {"image": "pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime", "disk": 20, "runtype": "ssh_direct",
             "onstart": "echo hello > /root/onstart-ran.txt", "label": "quickstart"}""";

    /** A new instance and its own API key. */
    record Rented(long id, String key) {}

    private Rentals() {}

    /** The machine's active offers, as search shows them. */
    static List<JsonNode> offers(TestServer server, String key, long machineId) {
        var r = Http.post(
                server.api() + "/bundles/", key, "{\"machine_id\": {\"eq\": " + machineId + "}, \"limit\": 100}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> offers = new ArrayList<>();
        r.json().get("offers").forEach(offers::add);
        return offers;
    }

    /** The id of the machine's active offer of {@code gpus} GPUs. */
    static long offer(TestServer server, String key, long machineId, int gpus) {
        return offers(server, key, machineId).stream()
                .filter(o -> o.get("num_gpus").asInt() == gpus)
                .mapToLong(o -> o.get("id").asLong())
                .findFirst()
                .orElseThrow(() -> new AssertionError("machine " + machineId + " offers no " + gpus + "-GPU bundle"));
    }

    static Http.Response rent(TestServer server, String key, long offerId, String body) {
        return Http.put(server.api() + "/asks/" + offerId + "/", key, body);
    }

    /** Rents the machine's offer of {@code gpus} GPUs with {@code body}; fails the test unless it succeeds. */
    static Rented rent(TestServer server, TestServer.Account renter, long machineId, int gpus, String body) {
        var r = rent(server, renter.key(), offer(server, renter.key(), machineId, gpus), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Rented(
                r.json().get("new_contract").asLong(),
                r.json().get("instance_api_key").asText());
    }

    static Rented rentOne(TestServer server, TestServer.Account renter, long machineId) {
        return rent(server, renter, machineId, 1, QUICKSTART_BODY);
    }

    /** {@code GET /instances/{id}/}'s "instances" value: the object, or a JSON null. */
    static JsonNode show(TestServer server, String key, long id) {
        var r = Http.get(server.api() + "/instances/" + id + "/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().has("instances")).isTrue();
        return r.json().get("instances");
    }

    static int freeGpus(TestServer server, long machineId) {
        return server.app()
                .store()
                .repos()
                .machines()
                .find(machineId)
                .orElseThrow()
                .freeGpus();
    }
}
