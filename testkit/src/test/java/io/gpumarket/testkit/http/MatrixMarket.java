package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.permission.PermissionDocument;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.http.Router;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestKeys;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The world of the access matrix ({@link AccessMatrixTest}): a server on a fake clock, two renters (alice owns the
 * resources, bob is "another user"), the admin, a host machine to rent from, alice's own machine, and for each
 * owner (alice, the admin) every kind of key a cell calls with: full, scoped without one category, limited to
 * another instance, another instance's own key, expired. Resources are made fresh on request for routes that
 * change or consume them.
 */
final class MatrixMarket implements AutoCloseable {
    /** An id no table reaches in a test. */
    static final String MISSING_ID = "987654321";

    static final String MISSING_HASH = "0123456789abcdef0123456789abcdef";
    static final String SECRET_LABEL = "alice-secret-label";
    static final String SECRET_SSH_KEY = "alice-secret-key";
    static final String SECRET_TEMPLATE = "alice-secret-template";
    static final String SECRET_API_KEY = "alice-secret-apikey";
    static final String SECRET_VOLUME = "alice-secret-volume";

    /** Whose resources a route acts on, and so whose keys make its cells. */
    enum Owner {
        ALICE,
        ADMIN,
        MACHINE
    }

    /** The keys of one owner, one per cell. */
    record Keys(
            String full,
            Map<String, String> withoutCategory,
            String limitedToOtherInstance,
            String otherInstanceKey,
            String expired) {}

    final FakeClock clock = new FakeClock();
    final TestServer server;
    final TestServer.Account admin;
    final TestServer.Account alice;
    final TestServer.Account bob;
    final TestServer.Hosted hostMachine;
    final String hostRegistration;
    final long aliceMachine;
    final String aliceEmail;
    final long sharedInstance;
    final String sharedSshKeyId;
    final String sharedApiKeyId;
    /** The host machine's volume offer (1,000 GB). */
    final long hostVolumeOffer;

    final Map<Owner, Keys> keys = new LinkedHashMap<>();
    private final AtomicInteger serial = new AtomicInteger();

    MatrixMarket() {
        this(AgentTimings.defaults());
    }

    /** … with the agent-protocol clocks given (the fuzz test shortens the long poll and the destroy wait). */
    MatrixMarket(AgentTimings timings) {
        server = TestServer.start(clock, timings);
        long adminId = Http.get(server.api() + "/users/current/", server.adminKey())
                .json()
                .get("id")
                .asLong();
        admin = new TestServer.Account(adminId, server.adminKey(), server.admin());
        alice = server.newUser();
        bob = server.newUser();
        TestServer.Account host = server.newUser();
        for (TestServer.Account a : List.of(admin, alice, bob)) {
            Http.put(server.api() + "/admin/users/" + a.id() + "/credit/", admin.key(), "{\"amount\": 1000}");
        }
        MachineRegistration hostSpec = TestMachines.machine("RTX 4090", 16, "Oslo, NO", 49100);
        hostMachine = server.hostMachine(host, hostSpec, 0.3, Map.of("verification", "verified"));
        hostRegistration = json(hostSpec);
        var volumeOffer = Http.post(
                server.api() + "/volumes/",
                host.key(),
                "{\"size\": 1000, \"machine\": " + hostMachine.id() + ", \"price_disk\": 0.1}");
        assertThat(volumeOffer.status()).as(volumeOffer.body()).isEqualTo(200);
        hostVolumeOffer = volumeOffer.json().get("volume_offer_ids").get(0).asLong();
        aliceMachine = alice.client()
                .registerMachine(TestMachines.machine("RTX 3090", 2, "Lima, PE", 49300))
                .machineId();
        aliceEmail = Http.get(server.api() + "/users/current/", alice.key())
                .json()
                .get("email")
                .asText();

        sharedInstance = rent(alice, "{\"image\": \"ubuntu\", \"label\": \"" + SECRET_LABEL + "\"}");
        sharedSshKeyId = freshSshKey(SECRET_SSH_KEY);
        assertThat(Http.post(
                                server.api() + "/secrets/",
                                alice.key(),
                                "{\"key\": \"ALICE_SECRET_VAR\", \"value\": \"v\"}")
                        .status())
                .isEqualTo(200);
        Http.post(
                server.api() + "/template/",
                alice.key(),
                "{\"name\": \"" + SECRET_TEMPLATE + "\", \"image\": \"ubuntu\"}");
        sharedApiKeyId = freshApiKey(SECRET_API_KEY);
        freshVolume(SECRET_VOLUME);

        List<Router.Route> routes = server.app().routes();
        keys.put(Owner.ALICE, keysOf(alice, routes));
        keys.put(Owner.ADMIN, keysOf(admin, routes));
        // Every cell runs after this: the expired keys (60 s) are expired, nothing else expires.
        clock.advance(Duration.ofMinutes(2));
    }

    /** Alice's keys, or the admin's; a machine's routes take its token instead. */
    Keys keys(Owner owner) {
        return keys.get(owner == Owner.MACHINE ? Owner.ALICE : owner);
    }

    private Keys keysOf(TestServer.Account owner, List<Router.Route> routes) {
        Map<String, String> without = new LinkedHashMap<>();
        for (String category : PermissionDocument.CATEGORIES) {
            Map<String, Object> doc = new LinkedHashMap<>();
            for (String c : PermissionDocument.CATEGORIES) if (!c.equals(category)) doc.put(c, Map.of());
            without.put(category, apiKey(owner, "without " + category, Map.of("api", doc), null));
        }
        var sibling = Rentals.rent(
                        server,
                        owner.key(),
                        Rentals.offer(server, owner.key(), hostMachine.id(), 1),
                        "{\"image\": \"ubuntu\"}")
                .json();
        long siblingId = sibling.get("new_contract").asLong();
        Map<String, Object> limited = new LinkedHashMap<>();
        for (Router.Route r : routes) {
            if (!r.access().isCategory()
                    || !r.path().contains("/instances/")
                    || !r.path().contains("{id}")) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> category =
                    (Map<String, Object>) limited.computeIfAbsent(r.access().category(), c -> new LinkedHashMap<>());
            category.put(r.name(), Map.of("constraints", Map.of("id", Map.of("eq", siblingId))));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        for (String c : PermissionDocument.CATEGORIES) all.put(c, Map.of());
        return new Keys(
                owner.key(),
                without,
                apiKey(owner, "limited", Map.of("api", limited), null),
                sibling.get("instance_api_key").asText(),
                apiKey(owner, "expiring", Map.of("api", all), 60));
    }

    /** A new scoped key of the owner, made over the API. */
    String apiKey(TestServer.Account owner, String name, Map<String, Object> permissions, Integer ttlSeconds) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "permissions", permissions));
        if (ttlSeconds != null) body.put("ttl_seconds", ttlSeconds);
        var r = Http.post(server.api() + "/auth/apikeys/", owner.key(), json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("key").asText();
    }

    /** Rents one GPU of the host machine; answers the instance id. */
    long rent(TestServer.Account renter, String body) {
        var r = Rentals.rent(server, renter.key(), Rentals.offer(server, renter.key(), hostMachine.id(), 1), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("new_contract").asLong();
    }

    private final long[] running = new long[2];

    /** An instance of Alice's its agent reports running just now (the copy routes need one); rented once. */
    String runningInstance() {
        return running(0);
    }

    /** A second one, the destination of copies. */
    String otherRunningInstance() {
        return running(1);
    }

    private synchronized String running(int which) {
        if (running[which] == 0) running[which] = rent(alice, "{\"image\": \"ubuntu\"}");
        new io.gpumarket.testkit.TestAgent(server.url(), hostMachine.token()).report(running[which], "running");
        return Long.toString(running[which]);
    }

    /** A copy from one of Alice's running instances into the other (any copy into it before canceled); its id. */
    String freshCopy() {
        String src = runningInstance();
        String dst = otherRunningInstance();
        Http.call("DELETE", server.api() + "/commands/copy_direct/", alice.key(), "{\"dst_id\": " + dst + "}");
        var r = Http.put(
                server.api() + "/commands/copy_direct/",
                alice.key(),
                "{\"src_id\": " + src + ", \"dst_id\": " + dst + ", \"src_path\": \"/a\", \"dst_path\": \"/b\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("copy_id").asText();
    }

    /** Alice's machine, listed (routes that change a listing's terms need one). */
    String listedAliceMachine() {
        alice.client()
                .listMachine(new io.gpumarket.api.host.ListMachineRequest(
                        aliceMachine, 0.3, null, null, null, null, null, null, null, null));
        return Long.toString(aliceMachine);
    }

    String freshInstance() {
        return Long.toString(rent(alice, "{\"image\": \"ubuntu\"}"));
    }

    /** A bid (interruptible) instance of Alice's on the host machine, above its minimum bid. */
    String freshBid() {
        return Long.toString(rent(alice, "{\"image\": \"ubuntu\", \"price\": 0.2}"));
    }

    /** A volume of Alice's on the host machine, named {@code name}; answers its id. */
    String freshVolume(String name) {
        var r = Http.put(
                server.api() + "/volumes/",
                alice.key(),
                "{\"size\": 1, \"id\": " + hostVolumeOffer + ", \"name\": \"" + name + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("volume_id").asText();
    }

    /** A volume offer on Alice's machine (unlisted by the call that uses it). */
    String freshAliceVolumeOffer() {
        var r = Http.post(
                server.api() + "/volumes/",
                alice.key(),
                "{\"size\": 10, \"machine\": " + aliceMachine + ", \"price_disk\": 0.1}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("volume_offer_ids").get(0).asText();
    }

    String freeOffer() {
        return Long.toString(Rentals.offer(server, alice.key(), hostMachine.id(), 1));
    }

    String freshSshKey(String comment) {
        var r = Http.post(server.api() + "/ssh/", alice.key(), "{\"ssh_key\": \"" + TestKeys.ed25519(comment) + "\"}");
        return r.json().get("key").get("id").asText();
    }

    String freshAttachedKey() {
        var r = Http.post(
                server.api() + "/instances/" + sharedInstance + "/ssh/",
                alice.key(),
                "{\"ssh_key\": \"" + TestKeys.ed25519("attached") + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("key").get("id").asText();
    }

    String freshTemplate() {
        var r = Http.post(
                server.api() + "/template/",
                alice.key(),
                "{\"name\": \"t" + serial.incrementAndGet() + "\", \"image\": \"ubuntu\"}");
        return r.json().get("template").get("hash_id").asText();
    }

    String freshApiKey(String name) {
        var r = Http.post(
                server.api() + "/auth/apikeys/",
                alice.key(),
                "{\"name\": \"" + name + "\", \"permissions\": " + "{\"api\": {\"misc\": {}}}}");
        return r.json().get("id").asText();
    }

    /** The token of a new log request of the shared instance, not yet answered. */
    String freshLogToken() {
        String url = Http.put(server.api() + "/instances/request_logs/" + sharedInstance + "/", alice.key(), "{}")
                .json()
                .get("result_url")
                .asText();
        return url.substring(url.lastIndexOf('/') + 1, url.length() - ".log".length());
    }

    /** The result file of a log request the host's agent has answered. */
    String uploadedLogFile() {
        String token = freshLogToken();
        assertThat(server.agent(hostMachine).uploadLogs(token, "some log\n").status())
                .isEqualTo(200);
        return token + ".log";
    }

    /**
     * An env var that Alice and Bob both hold (so either may change or delete it on their own account): the same name
     * each time, made again where a delete removed it, so that many calls (the fuzz test's) stay within the limit.
     */
    String freshEnvVarOfBoth() {
        String name = "BOTH_VAR";
        for (TestServer.Account a : List.of(alice, bob)) {
            var r = Http.post(server.api() + "/secrets/", a.key(), "{\"key\": \"" + name + "\", \"value\": \"v\"}");
            assertThat(r.status() == 200
                            || r.body().contains("existing_key")
                            || r.body().contains("max_secrets"))
                    .as(r.body())
                    .isTrue();
        }
        return name;
    }

    int serial() {
        return serial.incrementAndGet();
    }

    static String json(Object value) {
        try {
            return Wire.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
