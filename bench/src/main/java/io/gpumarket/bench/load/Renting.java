package io.gpumarket.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.Wire;
import io.gpumarket.bench.SyntheticMarket;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Renting over the real route ({@code PUT /api/v0/asks/{offer}/}, the README's quickstart body): renter accounts made
 * and credited through the admin API, and the offers that take a whole machine, which no other renter's contract can
 * touch, so concurrent renters of different offers never race for GPUs and every refusal is the server's doing.
 */
public final class Renting {
    /** The quickstart's create body (README), with a smaller disk that every synthetic machine can give. */
    public static final String BODY = """
            {"image": "pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime", "disk": 10, "runtype": "ssh_direct",
             "onstart": "echo hello > /root/hello.txt"}""";

    private Renting() {}

    /** What one rent came to: the new contract's id, or the status and Vast error code of the refusal. */
    public record Outcome(long contract, int status, String error) {
        public boolean committed() {
            return contract > 0;
        }
    }

    /**
     * The offers that take all of a machine's free GPUs (one per machine with free GPUs whose bundles reach its free
     * count), in a shuffled order fixed by {@code seed}. Offer ids are the synthetic ones, which the store assigned.
     */
    public static List<Long> wholeMachineOffers(SyntheticMarket market, long seed) {
        Map<Long, Machine> byId = new java.util.HashMap<>();
        for (Machine m : market.machines()) byId.put(m.id(), m);
        List<Long> offers = new ArrayList<>();
        for (OfferSlot s : market.slots()) {
            if (s.numGpus() == byId.get(s.machineId()).freeGpus()) offers.add(s.id());
        }
        Collections.shuffle(offers, new Random(seed));
        return offers;
    }

    /** A renter account: its id and API key. */
    public record Renter(long id, String apiKey) {}

    /** A new renter with {@code dollars} of credit. */
    public static Renter newRenter(String baseUrl, String adminKey, String name, double dollars) {
        GpuMarketClient admin = new GpuMarketClient(baseUrl, adminKey);
        Map<String, Object> made = admin.adminCreateUser(name + "@bench.invalid", name, false);
        @SuppressWarnings("unchecked")
        long id = ((Number) ((Map<String, Object>) made.get("user")).get("id")).longValue();
        admin.adminAddCredit(id, dollars, "load benchmark", null);
        return new Renter(id, (String) made.get("api_key"));
    }

    /** One rent; throws only when no answer came (the connection failed or timed out). */
    public static Outcome rent(HttpClient http, String baseUrl, String apiKey, long offerId, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v0/asks/" + offerId + "/"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body;
        try {
            body = Wire.mapper().readTree(response.body());
        } catch (IOException e) {
            return new Outcome(0, response.statusCode(), "not JSON");
        }
        if (response.statusCode() == 200
                && body != null
                && body.path("new_contract").asLong() > 0) {
            return new Outcome(body.path("new_contract").asLong(), 200, null);
        }
        return new Outcome(
                0,
                response.statusCode(),
                body == null ? null : body.path("error").asText(null));
    }
}
