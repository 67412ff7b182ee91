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
    static final String SECRET_WEBHOOK = "alice-secret-webhook";
    static final String SECRET_VOLUME = "alice-secret-volume";

    /** Whose resources a route acts on, and so whose keys make its cells. */
    enum Owner {
        ALICE,
        ADMIN,
        MACHINE,
        /** The team's account, acted in with its owner's team key (docs/teams.md). */
        TEAM
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
    /** Where Alice's webhooks post (its test route must be answered 2xx). */
    final io.gpumarket.testkit.WebhookReceiver receiver = io.gpumarket.testkit.WebhookReceiver.start();
    /** The host machine's owner (raising its price makes pending price increases). */
    final TestServer.Account host;

    final TestServer.Hosted hostMachine;
    /** A second machine of the host's, where instances are moved to. */
    final TestServer.Hosted migrationMachine;

    final String hostRegistration;
    final long aliceMachine;
    final String aliceEmail;
    final long sharedInstance;
    final String sharedSshKeyId;
    final String sharedApiKeyId;
    /** The host machine's volume offer (1,000 GB). */
    final long hostVolumeOffer;

    /** A team (its account holds credit and an instance), acted in with its owner's (carol's) team key. */
    final TestServer.Account team;

    final String teamOwnerEmail;
    /** For each category, the team key of a member whose role grants every category but that one. */
    final Map<String, String> memberWithout = new LinkedHashMap<>();
    /** The team key of a member removed from the team after using it once. */
    final String removedMemberKey;
    /** A subaccount of alice's, with its own full key. */
    final TestServer.Account aliceSub;

    final String aliceSubEmail;
    /** A role of the team nobody holds, for the routes that show or change one. */
    final String spareRoleId;

    final Map<Owner, Keys> keys = new LinkedHashMap<>();
    private final AtomicInteger serial = new AtomicInteger();

    MatrixMarket() {
        this(AgentTimings.defaults());
    }

    /** … with the agent-protocol clocks given (the fuzz test shortens the long poll and the destroy wait). */
    MatrixMarket(AgentTimings timings) {
        server = TestServer.builder()
                .clock(clock)
                .agentTimings(timings)
                .notify(io.gpumarket.server.notify.NotifyConfig.defaults()
                        .withAllowPrivateTargets(true)
                        .withSnapshots(Duration.ZERO, Duration.ofDays(1)))
                .start();
        long adminId = Http.get(server.api() + "/users/current/", server.adminKey())
                .json()
                .get("id")
                .asLong();
        admin = new TestServer.Account(adminId, server.adminKey(), server.admin());
        alice = server.newUser();
        bob = server.newUser();
        host = server.newUser();
        for (TestServer.Account a : List.of(admin, alice, bob)) {
            Http.put(server.api() + "/admin/users/" + a.id() + "/credit/", admin.key(), "{\"amount\": 1000}");
        }
        // the most GPUs a machine may have: every cell that needs a fresh instance rents one of them, and there are
        // several hundred cells (routes × kinds of caller)
        MachineRegistration hostSpec =
                TestMachines.machine("RTX 4090", io.gpumarket.core.machine.HardwareLimits.MAX_GPUS, "Oslo, NO", 49100);
        hostMachine = server.hostMachine(host, hostSpec, 0.3, Map.of("verification", "verified"));
        hostRegistration = json(hostSpec);
        var volumeOffer = Http.post(
                server.api() + "/volumes/",
                host.key(),
                "{\"size\": 1000, \"machine\": " + hostMachine.id() + ", \"price_disk\": 0.1}");
        assertThat(volumeOffer.status()).as(volumeOffer.body()).isEqualTo(200);
        hostVolumeOffer = volumeOffer.json().get("volume_offer_ids").get(0).asLong();
        // where an instance may be moved to (PUT /instances/migrate/{id}/): another machine of the same kind
        migrationMachine = server.hostMachine(
                host,
                TestMachines.machine("RTX 4090", io.gpumarket.core.machine.HardwareLimits.MAX_GPUS, "Oslo, NO", 49700),
                0.3,
                Map.of("verification", "verified"));
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
        freshWebhook(SECRET_WEBHOOK);
        freshVolume(SECRET_VOLUME);

        TestServer.Account carol = server.newUser();
        Http.put(server.api() + "/admin/users/" + carol.id() + "/credit/", admin.key(), "{\"amount\": 1000}");
        teamOwnerEmail = email(carol.key());
        var made = Http.post(
                server.api() + "/team/", carol.key(), "{\"team_name\": \"matrix\", \"transfer_credit\": 500}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        team = new TestServer.Account(
                made.json().get("team_id").asLong(), made.json().get("api_key").asText(), null);
        for (String category : PermissionDocument.CATEGORIES) {
            Map<String, Object> doc = new LinkedHashMap<>();
            for (String c : PermissionDocument.CATEGORIES) if (!c.equals(category)) doc.put(c, Map.of());
            var role = Http.post(
                    server.api() + "/team/roles/",
                    team.key(),
                    json(Map.of("name", "without_" + category, "permissions", Map.of("api", doc))));
            assertThat(role.status()).as(role.body()).isEqualTo(200);
            memberWithout.put(category, freshMember("without_" + category).key());
        }
        TestServer.Account leaver = freshMember("member");
        assertThat(Http.get(server.api() + "/users/current/", leaver.key()).status())
                .isEqualTo(200); // cached by the server now
        assertThat(Http.delete(server.api() + "/team/members/" + leaver.id() + "/", team.key(), "")
                        .status())
                .isEqualTo(200);
        removedMemberKey = leaver.key();
        spareRoleId = freshRole();
        var sub = Http.post(
                server.api() + "/users/",
                alice.key(),
                "{\"email\": \"alice-sub@example.com\", \"username\": \"alicesub\", \"parent_id\": \"me\"}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(200);
        aliceSub = new TestServer.Account(
                sub.json().get("id").asLong(), sub.json().get("api_key").asText(), null);
        aliceSubEmail = "alice-sub@example.com";
        // funded as the other callers are, so that routes acting on its own account succeed for their own reasons
        Http.put(server.api() + "/admin/users/" + aliceSub.id() + "/credit/", admin.key(), "{\"amount\": 1000}");

        List<Router.Route> routes = server.app().routes();
        keys.put(Owner.ALICE, keysOf(alice, routes));
        keys.put(Owner.ADMIN, keysOf(admin, routes));
        keys.put(Owner.TEAM, keysOf(team, routes));
        // Every cell runs after this: the expired keys (60 s) are expired, nothing else expires.
        clock.advance(Duration.ofMinutes(2));
    }

    /** Alice's keys, or the admin's; a machine's routes take its token instead. */
    Keys keys(Owner owner) {
        return keys.get(owner == Owner.MACHINE ? Owner.ALICE : owner);
    }

    /** The owner's full key (a team's: its owner's team key). */
    String ownerKey(Owner owner) {
        return switch (owner) {
            case MACHINE -> hostMachine.token();
            case ADMIN -> admin.key();
            case ALICE -> alice.key();
            case TEAM -> team.key();
        };
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

    /** A new person who joined the team with {@code role}: their account's id and their team key. */
    TestServer.Account freshMember(String role) {
        TestServer.Account person = server.newUser();
        var r = Http.get(
                server.api() + "/team/invite/" + freshInvitation(email(person.key()), role) + "/", person.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new TestServer.Account(person.id(), r.json().get("api_key").asText(), null);
    }

    /** An invitation to the team for {@code email}; answers its token. */
    String freshInvitation(String email, String role) {
        var r = Http.post(server.api() + "/team/invite/?email=" + Http.encode(email) + "&role=" + role, team.key(), "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    /** The person an invitation was last made for by {@link #freshInvitee}, whose own key redeems it. */
    String invitee;

    /** A new person and an invitation for them; answers its token (their key: {@link #invitee}). */
    String freshInvitee() {
        TestServer.Account person = server.newUser();
        invitee = person.key();
        return freshInvitation(email(person.key()), "member");
    }

    /** A role of the team nobody holds; answers its id. */
    String freshRole() {
        var r = Http.post(
                server.api() + "/team/roles/",
                team.key(),
                "{\"name\": \"spare" + serial() + "\", \"permissions\": {\"api\": {\"misc\": {}}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    String email(String key) {
        return Http.get(server.api() + "/users/current/", key)
                .json()
                .get("email")
                .asText();
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

    /** A cloud connection of Alice's (docs/copy.md "Cloud copy"), named so her listing shows it; its id. */
    String freshConnection() {
        var r = Http.post(
                server.api() + "/users/cloud_integrations/",
                alice.key(),
                "{\"name\": \"ALICE_CONNECTION_" + serial() + "\", \"endpoint\": \"https://s3.example.net\","
                        + " \"access_key_id\": \"AKIAALICE\", \"secret_access_key\": \"alice-secret\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    /** A cloud copy on Alice's running instance (any before it canceled); its id. */
    String freshCloudCopy() {
        String instance = runningInstance();
        String connection = freshConnection();
        Http.call("DELETE", server.api() + "/commands/rclone/", alice.key(), "{\"dst_id\": " + instance + "}");
        var r = Http.post(
                server.api() + "/commands/rclone/",
                alice.key(),
                "{\"src\": \"/workspace\", \"dst\": \"bkt/x\", \"instance_id\": " + instance + ", \"selected\": "
                        + connection + ", \"transfer\": \"Instance To Cloud\"}");
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

    private long lastFresh;

    /**
     * A new instance of Alice's for one cell. The one handed to the cell before is destroyed first (its cell has run:
     * cells run one after another), so the host's GPUs last however many cells need one.
     */
    synchronized String freshInstance() {
        if (lastFresh != 0) Http.call("DELETE", server.api() + "/instances/" + lastFresh + "/", alice.key(), "{}");
        lastFresh = rent(alice, "{\"image\": \"ubuntu\"}");
        return Long.toString(lastFresh);
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

    /**
     * A new pending price increase of Alice's shared instance: the host raises the host machine's price a cent more
     * each time (every live contract on it gets one; the shared instance's is answered).
     */
    String freshPendingIncrease() {
        double price = 0.3 + 0.01 * serial.incrementAndGet();
        var r = Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + hostMachine.id() + ", \"price_gpu\": " + price + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (var row : Http.get(server.api() + "/instances/pending-price-increases/", alice.key())
                .json()
                .get("pending_price_increases")) {
            if (row.get("contract_id").asLong() == sharedInstance)
                return row.get("pending_price_increase_id").asText();
        }
        throw new AssertionError("no pending price increase of instance " + sharedInstance);
    }

    /** A scheduled job's create body: stop {@code instanceId} hourly for a day from now. */
    String scheduleBody(String instanceId) {
        long start = clock.instant().getEpochSecond();
        return "{\"start_time\": " + start + ", \"end_time\": " + (start + 86400)
                + ", \"api_endpoint\": \"/api/v0/instances/" + instanceId + "/\", \"request_method\": \"PUT\","
                + " \"request_body\": {\"state\": \"stopped\"}, \"frequency\": \"HOURLY\"}";
    }

    /** A scheduled job of Alice's on a new instance of hers. */
    String freshScheduledJob() {
        var r = Http.post(server.api() + "/commands/schedule_job/", alice.key(), scheduleBody(freshInstance()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("scheduled_job_id").asText();
    }

    /** A one-GPU offer of the machine instances are moved to. */
    String migrationOffer() {
        return Long.toString(Rentals.offer(server, alice.key(), migrationMachine.id(), 1));
    }

    String freeOffer() {
        return Long.toString(Rentals.offer(server, alice.key(), hostMachine.id(), 1));
    }

    String freshSshKey(String comment) {
        var r = Http.post(server.api() + "/ssh/", alice.key(), "{\"ssh_key\": \"" + TestKeys.ed25519(comment) + "\"}");
        return r.json().get("key").get("id").asText();
    }

    /** A webhook of Alice's, posting to {@link #receiver}. */
    String freshWebhook(String name) {
        var r = Http.post(
                server.api() + "/webhooks/",
                alice.key(),
                "{\"name\": \"" + name + "\", \"webhook_url\": \"" + receiver.url()
                        + "\", \"event_types\": [\"client:instance_created\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("webhook").get("id").asText();
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

    /** A serverless endpoint of Alice's with one worker group; answers {endpoint id, group id, name, route key}. */
    String[] freshEndpoint() {
        String name = "ep" + serial.incrementAndGet();
        var e = Http.post(
                server.api() + "/endptjobs/",
                alice.key(),
                "{\"endpoint_name\": \"" + name + "\", \"cold_workers\": 0}");
        assertThat(e.status()).as(e.body()).isEqualTo(200);
        String id = e.json().get("result").asText();
        var g = Http.post(
                server.api() + "/workergroups/",
                alice.key(),
                "{\"endpoint_id\": " + id + ", \"template_hash\": \"" + freshTemplate()
                        + "\", \"search_params\": \"\"}");
        assertThat(g.status()).as(g.body()).isEqualTo(200);
        String key = Http.get(server.api() + "/endptjobs/" + id + "/", alice.key())
                .json()
                .get("result")
                .get("api_key")
                .asText();
        return new String[] {id, g.json().get("id").asText(), name, key};
    }

    /** The shared endpoint (made once), for the routes that only read or route. */
    String[] sharedEndpoint() {
        if (sharedEndpoint == null) sharedEndpoint = freshEndpoint();
        return sharedEndpoint;
    }

    private String[] sharedEndpoint;
    private String workerToken;

    /**
     * Alice's shared instance made a worker of the shared endpoint (straight in the store: no autoscaler runs here),
     * and the token its reports carry, derived as the server derives it.
     */
    String[] sharedWorker() {
        String[] e = sharedEndpoint();
        if (workerToken == null) {
            var repo = server.app().store().repos().serverless();
            if (repo.worker(sharedInstance).isEmpty())
                repo.addWorker(new io.gpumarket.store.ServerlessRepo.Worker(
                        sharedInstance, Long.parseLong(e[0]), Long.parseLong(e[1]), alice.id(), clock.instant()));
            workerToken = new io.gpumarket.server.serverless.RouteSigner(
                            server.app().store(),
                            io.gpumarket.server.auth.InstanceKeys.load(
                                    server.app().config().instanceKeyFile()))
                    .workerToken(Long.parseLong(e[0]));
        }
        return new String[] {Long.toString(sharedInstance), workerToken};
    }

    /** A deployment of Alice's (with its endpoint); answers {id, name}. */
    String[] freshDeployment() {
        String name = "dep" + serial.incrementAndGet();
        var r = Http.put(
                server.api() + "/deployments/",
                alice.key(),
                "{\"name\": \"" + name
                        + "\", \"image\": \"ubuntu\", \"file_hash\": \"h\", \"file_size\": 1, \"cold_workers\": 0}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new String[] {r.json().get("deployment_id").asText(), name};
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
        for (TestServer.Account a : List.of(alice, bob, aliceSub)) {
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
        receiver.close();
    }
}
