package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP call sequences of the renters' tools that drive Vast.ai, replayed exactly as their public source sends them
 * (method, path, query, body, {@code Authorization: Bearer}, and the answer fields they read), against a real server and
 * a real agent whose instances really run and really take {@code ssh}. Written from dstack's
 * {@code backends/vastai/api_client.py} and {@code compute.py} with gpuhunt's {@code providers/vastai.py}, SkyPilot's
 * {@code provision/vast/} and {@code catalog/data_fetchers/fetch_vast.py}, and vast-cli's {@code vastai/api/*.py}
 * (what the vastai SDK and CLI send); none of their code is here. docs/clients.md says how to point each tool at a
 * gpumarket server.
 */
class ToolReplayTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = server.closesWith(new LiveMarket(server, dir));
        // dstack and the vastai SDK search verified machines only, and dstack wants reliability2 >= 0.9
        server.admin().adminSetMachine(market.machine, Map.of("verification", "verified", "reliability", 0.99));
    }

    /**
     * A renter of its own for each tool, with the market's SSH key on the account: Vast's {@code rented} column is
     * per caller, and the tools' default {@code rented = false} would not find this one-machine market's offers for a
     * renter already on it.
     */
    static TestServer.Account renter() {
        TestServer.Account r = server.newRenter(100);
        assertThat(Http.post(server.api() + "/ssh/", r.key(), "{\"ssh_key\": \"" + market.ssh.publicKey() + "\"}")
                        .status())
                .isEqualTo(200);
        return r;
    }

    /** gpuhunt's anonymous search → dstack's create body → poll → ssh info → terminate. */
    @Test
    void dstack_finds_an_offer_anonymously_creates_with_its_args_body_reaches_its_runner_port_and_terminates()
            throws Exception {
        TestServer.Account dstack = renter();
        // gpuhunt VastAIProvider.get: requests.post(bundles_url, json=filters) with no key; make_filters() for
        // min_gpu_count=1, max_gpu_count=1 and gpu RTX4090, then dstack's extra_filters (compute.py _make_catalog)
        String filters = """
                {"num_gpus": {"gte": 1, "lte": 1}, "gpu_name": {"in": ["RTX 4090"]}, "rentable": {"eq": true}, "rented": {"eq": false},
                 "order": [["score", "desc"]], "direct_port_count": {"gte": 1}, "reliability2": {"gte": 0.9},
                 "inet_down": {"gt": 128}, "verified": {"eq": true}, "cuda_max_good": {"gte": 12.8}, "compute_cap": {"gte": 600}}""";
        var search = Http.post(server.api() + "/bundles/", null, filters);
        assertThat(search.status()).as(search.body()).isEqualTo(200);
        JsonNode offers = search.json().get("offers");
        assertThat(offers.size()).isGreaterThan(0);
        JsonNode offer = offers.get(0);
        // gpuhunt drops offers its own satisfies_filters() refuses, and reads these fields
        assertThat(satisfies(offer, new com.fasterxml.jackson.databind.ObjectMapper().readTree(filters)))
                .isTrue();
        for (String f : new String[] {
            "cpu_cores",
            "cpu_ram",
            "cpu_cores_effective",
            "disk_space",
            "gpu_ram",
            "storage_cost",
            "dph_base",
            "num_gpus"
        }) {
            assertThat(offer.get(f).isNumber()).as(f).isTrue();
        }
        assertThat(offer.get("cpu_cores").asDouble()).isPositive();
        assertThat(offer.get("gpu_name").asText()).isEqualTo("RTX 4090");
        assertThat(offer.get("geolocation").asText()).isEqualTo("Oslo, NO");
        assertThat(offer.has("min_bid")).isTrue();

        // VastAIAPIClient.create_instance: PUT /api/v0/asks/{bundle_id}/ with exactly this payload
        Ssh tool = Ssh.newIdentity(Files.createDirectories(dir.resolve("dstack-key")));
        // dstack's own script downloads its runner (an sshd on 10022); offline, a stand-in serves that port
        String script = "mkdir -p /root/.ssh && echo '" + tool.publicKey() + "' >> /root/.ssh/authorized_keys"
                + " && echo \"ran by $0\" > /root/dstack-ran && exec python3 -m http.server 10022";
        String payload = """
                {"client_id": "me", "image": "ubuntu:22.04", "price": null, "disk": 10, "label": "dstack-run-0-0",
                 "env": {"-p 10022:10022": "1"}, "user": "root", "onstart": "/bin/sh", "args": ["-c", %s], "runtype": "args",
                 "image_login": null, "python_utf8": false, "lang_utf8": false, "use_jupyter_lab": false, "jupyter_dir": null,
                 "create_from": null, "force": false}""".formatted(json(script));
        var created = Http.put(server.api() + "/asks/" + offer.get("id").asLong() + "/", dstack.key(), payload);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("success").asBoolean()).isTrue();
        long id = created.json().get("new_contract").asLong();

        // update_provisioning_data: GET /api/v0/instances/{id}/ → data["instances"] until running
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                        .equals(dstackGet(dstack, id).path("actual_status").asText()));
        JsonNode resp = dstackGet(dstack, id);
        assertThat(resp.has("status_msg")).isTrue();
        assertThat(resp.get("intended_status").asText()).isEqualTo("running");
        String hostname = resp.get("public_ipaddr").asText().strip();
        int runnerPort = Integer.parseInt(
                resp.get("ports").get("10022/tcp").get(0).get("HostPort").asText());

        // the runner's port is reachable at public_ipaddr:HostPort, and ssh gets in with the key the script wrote
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://" + hostname + ":" + runnerPort + "/"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        Ssh.Result ran = tool.exec(hostname, resp.get("ssh_port").asInt(), "cat /root/dstack-ran");
        assertThat(ran.exitCode()).as(ran.output()).isZero();
        assertThat(ran.output().strip()).isEqualTo("ran by /bin/sh");

        // destroy_instance: DELETE /api/v0/instances/{id}/ (no body); a second one answers no_such_instance, which
        // dstack tolerates
        var destroyed = Http.call("DELETE", server.api() + "/instances/" + id + "/", dstack.key(), null);
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
        assertThat(destroyed.json().get("success").asBoolean()).isTrue();
        var again = Http.call("DELETE", server.api() + "/instances/" + id + "/", dstack.key(), null);
        assertThat(again.status() == 200 && again.json().get("success").asBoolean()
                        || "no_such_instance".equals(again.json().path("error").asText()))
                .as(again.body())
                .isTrue();
    }

    /** SkyPilot through the vastai SDK: catalog fetch → launch → wait → ssh as root with its onstart's key → stop → start → terminate. */
    @Test
    void skypilot_fetches_its_catalog_launches_waits_logs_in_with_its_onstart_key_stops_starts_and_terminates()
            throws Exception {
        TestServer.Account user = renter();
        // fetch_vast.py: search_offers(query='georegion = true chunked = true inet_down >= 100 disk_space >= 80',
        // limit=10000)
        // as vastai's parse_query and api/offers.search_offers send it (with the SkyPilot user's key)
        var catalog = Http.post(server.api() + "/bundles/", user.key(), """
                {"verified": {"eq": true}, "external": {"eq": false}, "rentable": {"eq": true}, "rented": {"eq": false},
                 "georegion": {"eq": true}, "chunked": {"eq": true}, "inet_down": {"gte": 100.0}, "disk_space": {"gte": 80.0},
                 "order": [["score", "desc"]], "type": "on-demand", "limit": 10000, "allocated_storage": 5.0}""");
        assertThat(catalog.status()).as(catalog.body()).isEqualTo(200);
        JsonNode entry = catalog.json().get("offers").get(0);
        double totalHour = entry.get("search").get("totalHour").asDouble();
        assertThat(totalHour).isPositive();
        assertThat(entry.get("gpu_total_ram").isNumber()).isTrue();
        assertThat(entry.has("hosting_type")).isTrue();
        String instanceType = entry.get("num_gpus").asInt() + "x-"
                + entry.get("gpu_name").asText().replace(' ', '_') + "-"
                + entry.get("cpu_cores").asText() + "-" + entry.get("cpu_ram").asText();

        // provision/vast/utils.launch: the launch query for that instance type in region "NO"
        double cpuRamGb = Double.parseDouble(instanceType.substring(instanceType.lastIndexOf('-') + 1)) / 1024;
        var found = Http.post(server.api() + "/bundles/", user.key(), """
                {"verified": {"eq": true}, "external": {"eq": false}, "rentable": {"eq": true}, "rented": {"eq": false},
                 "chunked": {"eq": true}, "georegion": {"eq": true}, "geolocation": {"eq": "NO"}, "disk_space": {"gte": 10.0},
                 "num_gpus": {"eq": 1}, "gpu_name": {"eq": "RTX 4090"}, "cpu_ram": {"gte": %s},
                 "order": [["score", "desc"]], "type": "on-demand", "allocated_storage": 5.0}""".formatted(cpuRamGb * 1000));
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        long offerId = found.json().get("offers").get(0).get("id").asLong();

        // its onstart (SkyPilot's prefix, then writing its key) and env string, through vastai's create_instance
        Ssh sky = Ssh.newIdentity(Files.createDirectories(dir.resolve("sky-key")));
        String onstart = "touch ~/.no_auto_tmux;echo \"" + user.key() + "\" > ~/.vast_api_key;"
                + "mkdir -p ~/.ssh && echo '" + sky.publicKey() + "' >> ~/.ssh/authorized_keys";
        var created = Http.put(server.api() + "/asks/" + offerId + "/", user.key(), """
                {"client_id": "me", "image": "ubuntu:22.04", "env": {"__SOURCE": "skypilot", "-p 8080:8080": "1"}, "price": null,
                 "disk": 10, "label": "sky-1234-head", "extra": null, "onstart": %s, "image_login": null, "python_utf8": false,
                 "lang_utf8": false, "use_jupyter_lab": false, "jupyter_dir": null, "force": false, "cancel_unavail": false,
                 "template_hash_id": null, "user": null, "runtype": "ssh_direc ssh_proxy"}""".formatted(json(onstart)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long id = created.json().get("new_contract").asLong();
        // show_instance(id): GET /api/v0/instances/{id}/?owner=me → ["instances"]["id"]
        assertThat(Http.get(server.api() + "/instances/" + id + "/?owner=me", user.key())
                        .json()
                        .get("instances")
                        .get("id")
                        .asLong())
                .isEqualTo(id);

        // _wait_for_instances_ready: show_instances() pages /api/v1/instances/ until RUNNING with an ssh_port
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                        .equals(skyInstance(user, id).path("actual_status").asText()));
        JsonNode head = skyInstance(user, id);
        assertThat(head.get("label").asText()).isEqualTo("sky-1234-head");
        assertThat(head.get("extra_env").isArray()).isTrue();
        assertThat(head.get("start_date").isNumber()).isTrue();
        // get_cluster_info: internal_ip = local_ipaddrs.strip(), external_ip = ssh_host, ssh_port
        assertThat(head.get("local_ipaddrs").asText().strip()).isNotEmpty();
        String sshHost = head.get("ssh_host").asText();
        int sshPort = head.get("ssh_port").asInt();

        // SkyPilot logs in as root with the key its onstart wrote (onstart runs beside the instance, so it may lag)
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sky.exec(sshHost, sshPort, "true").exitCode() == 0);
        Ssh.Result whoami = sky.exec(sshHost, sshPort, "id -u && cat ~/.vast_api_key");
        assertThat(whoami.output().lines().toList()).containsExactly("0", user.key());

        // stop, start (PUT /api/v0/instances/{id}/ {"state": …}) and terminate (DELETE with {})
        assertThat(Http.put(server.api() + "/instances/" + id + "/", user.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !"running"
                        .equals(skyInstance(user, id).path("actual_status").asText()));
        assertThat(Http.put(server.api() + "/instances/" + id + "/", user.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                        .equals(skyInstance(user, id).path("actual_status").asText()));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        sky.exec(sshHost, skyInstance(user, id).get("ssh_port").asInt(), "true")
                                        .exitCode()
                                == 0);
        var removed = Http.call("DELETE", server.api() + "/instances/" + id + "/", user.key(), "{}");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> skyInstance(user, id).isMissingNode());
    }

    /** The vastai SDK: search_offers, create_instance, launch_instance, show_instances, destroy_instance. */
    @Test
    void the_vastai_sdk_searches_creates_launches_shows_and_destroys() throws Exception {
        TestServer.Account user = renter();
        String key = user.key();
        // a second SDK user launches: launch_instance's default filters include rented = false (per caller)
        TestServer.Account other = renter();
        // search_offers(query="num_gpus=1 gpu_name=RTX_4090") → POST /api/v0/bundles/
        var search = Http.post(server.api() + "/bundles/", key, """
                {"verified": {"eq": true}, "external": {"eq": false}, "rentable": {"eq": true}, "rented": {"eq": false},
                 "num_gpus": {"eq": "1"}, "gpu_name": {"eq": "RTX 4090"}, "order": [["score", "desc"]], "type": "on-demand",
                 "allocated_storage": 5.0}""");
        assertThat(search.status()).as(search.body()).isEqualTo(200);
        long offerId = search.json().get("offers").get(0).get("id").asLong();

        // create_instance(id, image=…, disk=10, onstart_cmd=…): PUT /api/v0/asks/{id}/
        var created = Http.put(server.api() + "/asks/" + offerId + "/", key, """
                {"client_id": "me", "image": "ubuntu:22.04", "env": {}, "price": null, "disk": 10, "label": "sdk-created",
                 "extra": null, "onstart": "echo sdk > /root/sdk-ran", "image_login": null, "python_utf8": false,
                 "lang_utf8": false, "use_jupyter_lab": false, "jupyter_dir": null, "force": false, "cancel_unavail": false,
                 "template_hash_id": null, "user": null}""");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long createdId = created.json().get("new_contract").asLong();

        // launch_instance("RTX_4090", "1", image, runtype="args", args=…): PUT /api/v0/launch_instance/ (vastai
        // --entrypoint: onstart is the entrypoint, args its arguments)
        var launched = Http.put(server.api() + "/launch_instance/", other.key(), """
                {"image": "ubuntu:22.04", "disk": 10.0, "q": {"verified": {"eq": true}, "external": {"eq": false},
                 "rentable": {"eq": true}, "rented": {"eq": false}, "num_gpus": {"eq": "1"}, "gpu_name": {"eq": "RTX 4090"},
                 "disk_space": {"gte": "10.0"}, "order": [["score", "desc"]], "type": "on-demand", "allocated_storage": 10.0},
                 "env": {}, "label": "sdk-launched", "extra": null, "onstart": "bash", "image_login": null, "python_utf8": false,
                 "lang_utf8": false, "use_jupyter_lab": false, "jupyter_dir": null, "cancel_unavail": false,
                 "template_hash_id": null, "runtype": "args", "args": ["-c", "echo launched > /root/sdk-ran; sleep infinity"]}""");
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        long launchedId = launched.json().get("new_contract").asLong();

        // show_instances(): /api/v1/instances/ pages (select_filters, order_by, limit as JSON in the query), each row's
        // start_date and extra_env read
        Map<Long, TestServer.Account> owners = Map.of(createdId, user, launchedId, other);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                                .equals(skyInstance(user, createdId)
                                        .path("actual_status")
                                        .asText())
                        && "running"
                                .equals(skyInstance(other, launchedId)
                                        .path("actual_status")
                                        .asText()));
        for (long id : new long[] {createdId, launchedId}) {
            JsonNode row = skyInstance(owners.get(id), id);
            Ssh.Result ran = market.ssh.exec(
                    row.get("ssh_host").asText(), row.get("ssh_port").asInt(), "cat /root/sdk-ran");
            assertThat(ran.output().strip()).isEqualTo(id == createdId ? "sdk" : "launched");
        }
        // vastai's `show instances` also reads /instances/filters/
        var filters = Http.get(server.api() + "/instances/filters/", key);
        assertThat(filters.status()).isEqualTo(200);
        assertThat(filters.json().get("filters").get(0).get("gpu_name").asText())
                .isEqualTo("RTX 4090");

        // destroy_instance(id): DELETE /api/v0/instances/{id}/ with {}
        for (long id : new long[] {createdId, launchedId}) {
            var d = Http.call(
                    "DELETE",
                    server.api() + "/instances/" + id + "/",
                    owners.get(id).key(),
                    "{}");
            assertThat(d.status()).as(d.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> skyInstance(user, createdId).isMissingNode()
                        && skyInstance(other, launchedId).isMissingNode());
    }

    /**
     * vastai {@code create instance --jupyter --direct --jupyter-dir /root/nb --jupyter-lab}: a Jupyter launch shows its
     * token and its 8080 mapping as Vast does, the instance holds the token, directory and flavour Jupyter reads, and its
     * status_msg says whether Jupyter started (an image without it runs on; ContainerInstancesTest shows that on Podman).
     */
    @Test
    void vastai_creates_a_jupyter_launch_that_shows_its_token_and_port_and_says_when_the_image_has_no_jupyter()
            throws Exception {
        TestServer.Account user = renter();
        String q = "{\"machine_id\": {\"eq\": " + market.machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", user.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(server.api() + "/asks/" + offer + "/", user.key(), """
                {"client_id": "me", "image": "ubuntu:22.04", "env": {}, "price": null, "disk": 10, "label": null,
                 "extra": null, "onstart": null, "image_login": null, "python_utf8": false, "lang_utf8": false,
                 "use_jupyter_lab": true, "jupyter_dir": "/root/nb", "force": false, "cancel_unavail": false,
                 "template_hash_id": null, "user": null, "runtype": "jupyter_direc ssh_direc ssh_proxy"}""");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long id = created.json().get("new_contract").asLong();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> skyInstance(user, id).path("status_msg").asText().contains("Jupyter"));

        JsonNode row = skyInstance(user, id);
        assertThat(row.get("actual_status").asText()).isEqualTo("running");
        String token = row.get("jupyter_token").asText();
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(row.get("image_runtype").asText()).isEqualTo("jupyter_direc ssh_direc ssh_proxy");
        assertThat(row.get("ports").get("8080/tcp").get(0).get("HostPort").asText())
                .matches("[0-9]+");
        // the process launcher's instances see the host's programs: Jupyter starts where the host has it (CI installs
        // it)
        assertThat(row.get("status_msg").asText())
                .contains(
                        hostHasJupyter()
                                ? "Jupyter on port 8080 (token: jupyter_token)"
                                : "Jupyter not started: the image has no jupyter command");
        Ssh.Result env = market.ssh.exec(
                row.get("ssh_host").asText(),
                row.get("ssh_port").asInt(),
                "echo \"$JUPYTER_TOKEN $JUPYTER_DIR $JUPYTER_TYPE\"");
        assertThat(env.output().strip()).isEqualTo(token + " /root/nb lab");
        // an ssh launch has no token
        long plain = rent(user, "true");
        assertThat(skyInstance(user, plain).get("jupyter_token").asText()).isEmpty();
        for (long i : new long[] {id, plain}) {
            Http.call("DELETE", server.api() + "/instances/" + i + "/", user.key(), "{}");
        }
    }

    /**
     * A Jupyter launch where Jupyter exists (the process launcher's instances see the host's programs; CI installs
     * Debian's jupyter-notebook): the notebook server answers on the instance's 8080 mapping, with the instance's
     * jupyter_token and not without it, in the directory asked for.
     */
    @Test
    void a_jupyter_launch_serves_the_notebook_on_its_8080_mapping_to_its_token_only() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                hostHasJupyter(), "no jupyter on this host (Debian: jupyter-notebook)");
        TestServer.Account user = renter();
        String q = "{\"machine_id\": {\"eq\": " + market.machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", user.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(
                server.api() + "/asks/" + offer + "/",
                user.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"jupyter_direct\", \"jupyter_dir\": \"/root/nb\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long id = created.json().get("new_contract").asLong();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> skyInstance(user, id).path("status_msg").asText().contains("Jupyter on port 8080"));
        JsonNode row = skyInstance(user, id);
        String base = "http://" + row.get("public_ipaddr").asText() + ":"
                + row.get("ports").get("8080/tcp").get(0).get("HostPort").asText();
        String token = row.get("jupyter_token").asText();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            var answer = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/contents?token=" + token))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"type\": \"directory\"");
        });
        var refused = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/contents?token=wrong"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        Http.call("DELETE", server.api() + "/instances/" + id + "/", user.key(), "{}");
    }

    private static boolean hostHasJupyter() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/jupyter"));
    }

    /** The instance's own authorized_keys opens that instance only: a key one tenant writes is no key to another's. */
    @Test
    void a_key_written_into_one_tenants_authorized_keys_opens_that_instance_and_no_other() throws Exception {
        TestServer.Account alice = renter();
        TestServer.Account bob = renter();
        Ssh written = Ssh.newIdentity(Files.createDirectories(dir.resolve("alice-written")));
        long hers =
                rent(alice, "mkdir -p /root/.ssh && echo '" + written.publicKey() + "' >> /root/.ssh/authorized_keys");
        long his = rent(bob, "true");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                                .equals(skyInstance(alice, hers)
                                        .path("actual_status")
                                        .asText())
                        && "running"
                                .equals(skyInstance(bob, his)
                                        .path("actual_status")
                                        .asText()));
        JsonNode a = skyInstance(alice, hers);
        JsonNode b = skyInstance(bob, his);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> written.exec(
                                        a.get("ssh_host").asText(),
                                        a.get("ssh_port").asInt(),
                                        "true")
                                .exitCode()
                        == 0);
        assertThat(written.exec(b.get("ssh_host").asText(), b.get("ssh_port").asInt(), "true")
                        .exitCode())
                .isNotZero();
        Http.call("DELETE", server.api() + "/instances/" + hers + "/", alice.key(), "{}");
        Http.call("DELETE", server.api() + "/instances/" + his + "/", bob.key(), "{}");
    }

    /** Rents one GPU of the market's machine for {@code user} with this onstart (an ssh instance); its id. */
    private static long rent(TestServer.Account user, String onstart) {
        String q = "{\"machine_id\": {\"eq\": " + market.machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", user.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(
                server.api() + "/asks/" + offer + "/",
                user.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": " + json(onstart)
                        + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("new_contract").asLong();
    }

    private static JsonNode dstackGet(TestServer.Account dstack, long id) {
        return Http.get(server.api() + "/instances/" + id + "/", dstack.key())
                .json()
                .path("instances");
    }

    /** The row of instance {@code id} from vastai's show_instances (v1 pages, its exact parameters); missing if not listed. */
    private static JsonNode skyInstance(TestServer.Account user, long id) {
        String params = "select_filters=" + Http.encode("{}") + "&order_by="
                + Http.encode("[{\"col\": \"id\", \"dir\": \"asc\"}]") + "&limit=25";
        String token = null;
        do {
            JsonNode page = Http.get(
                            server.api().replace("/api/v0", "/api/v1") + "/instances/?" + params
                                    + (token == null ? "" : "&after_token=" + Http.encode(token)),
                            user.key())
                    .json();
            for (JsonNode row : page.get("instances")) {
                if (row.get("id").asLong() == id) return row;
            }
            token = page.path("next_token").isTextual() ? page.get("next_token").asText() : null;
        } while (token != null);
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** gpuhunt's satisfies_filters: every lt/lte/eq/gte/gt constraint on a key the offer has must hold. */
    private static boolean satisfies(JsonNode offer, JsonNode filters) {
        for (Iterator<Map.Entry<String, JsonNode>> it = filters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isObject() || !offer.has(f.getKey())) continue;
            JsonNode have = offer.get(f.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> ops = f.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode want = op.getValue();
                boolean ok = switch (op.getKey()) {
                    case "eq" ->
                        want.isBoolean() ? have.asBoolean() == want.asBoolean() : have.asDouble() == want.asDouble();
                    case "gt" -> have.asDouble() > want.asDouble();
                    case "gte" -> have.asDouble() >= want.asDouble();
                    case "lt" -> have.asDouble() < want.asDouble();
                    case "lte" -> have.asDouble() <= want.asDouble();
                    default -> true;
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
