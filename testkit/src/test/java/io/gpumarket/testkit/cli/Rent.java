package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;

/** Renting and reading over plain HTTP, to set up and check what the CLI tests drive through the CLI. */
final class Rent {
    private Rent() {}

    /**
     * The id of one of the machine's 1-GPU offers. Picked from all offers here rather than with a machine_id
     * filter, so these tests do not lean on search's own filters (SearchCliTest covers those).
     */
    static long offer(TestServer server, String key, long machineId) {
        var r = Http.post(server.api() + "/bundles/", key, "{\"num_gpus\": {\"eq\": 1}, \"limit\": 10000}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode o : r.json().get("offers")) {
            if (o.get("machine_id").asLong() == machineId && o.get("num_gpus").asInt() == 1)
                return o.get("id").asLong();
        }
        throw new AssertionError("machine " + machineId + " offers no free GPU: " + r.body());
    }

    /** Rents one GPU of the machine; answers the instance id. */
    static long one(TestServer server, String key, long machineId) {
        var r = Http.put(
                server.api() + "/asks/" + offer(server, key, machineId) + "/",
                key,
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("new_contract").asLong();
    }

    /** The instance as {@code GET /instances/{id}/} shows it (a JSON null when gone). */
    static JsonNode show(TestServer server, String key, long id) {
        var r = Http.get(server.api() + "/instances/" + id + "/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("instances");
    }

    /** A new account with credit to rent with. */
    static TestServer.Account renter(TestServer server) {
        TestServer.Account a = server.newUser();
        server.admin().adminAddCredit(a.id(), 100, "cli tests", null);
        return a;
    }
}
