package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.server.serverless.Autoscaler;
import io.gpumarket.server.serverless.WorkerReports;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Serverless over HTTP with the bodies vast-cli and Vast's serverless libraries send, on a fake clock with the
 * autoscaler ticked by hand: endpoints and worker groups, the autoscaler renting the owner's instances as workers,
 * routing ("waiting", then a signed worker URL the worker can verify), the worker library's reports driving the load
 * and the scaling, and deletion destroying the workers.
 */
class ServerlessHttpTest {
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    static TestServer.Account host;

    @BeforeAll
    static void market() {
        host = server.newUser();
        for (int i = 0; i < 2; i++) {
            server.hostMachine(
                    host,
                    TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48500 + i * 100),
                    0.4,
                    Map.of("verification", "verified"));
        }
    }

    static String root() {
        return server.url();
    }

    static String template(TestServer.Account owner) {
        var r = Http.post(server.api() + "/template/", owner.key(), """
                {"name": "echo", "image": "ubuntu", "tag": "22.04", "runtype": "args",
                 "onstart": "python3 worker.py", "env": "-e WORKER_PORT=3000 -p 3000:3000"}""");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("template").get("hash_id").asText();
    }

    /** An endpoint and one worker group as vast-cli's create endpoint / create workergroup send them. */
    static long[] endpointWithGroup(TestServer.Account owner, String name, int cold, int max) {
        var e = Http.post(server.api() + "/endptjobs/", owner.key(), """
                {"client_id": "me", "min_load": 0.0, "min_cold_load": 0.0, "target_util": 0.9, "cold_mult": 1.0,
                 "cold_workers": %d, "max_workers": %d, "endpoint_name": "%s", "max_queue_time": null,
                 "target_queue_time": null, "inactivity_timeout": null, "autoscaler_instance": "prod"}""".formatted(cold, max, name));
        assertThat(e.status()).as(e.body()).isEqualTo(200);
        long endpoint = e.json().get("result").asLong();
        var g = Http.post(server.api() + "/autojobs/", owner.key(), """
                {"client_id": "me", "min_load": null, "target_util": null, "cold_mult": null, "cold_workers": null,
                 "test_workers": 3, "template_hash": "%s", "template_id": null,
                 "search_params": "num_gpus=1 verified=True rentable=True", "launch_args": null,
                 "gpu_ram": null, "endpoint_name": "%s", "endpoint_id": null, "autoscaler_instance": "prod"}""".formatted(template(owner), name));
        assertThat(g.status()).as(g.body()).isEqualTo(200);
        return new long[] {endpoint, g.json().get("id").asLong()};
    }

    static List<Long> workers(TestServer.Account owner, long endpoint) {
        var r = Http.post(root() + "/get_endpoint_workers/", owner.key(), "{\"id\": " + endpoint + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().forEach(w -> ids.add(w.get("id").asLong()));
        return ids;
    }

    static Instance instance(long id) {
        return server.app().store().repos().instances().find(id).orElseThrow();
    }

    static String env(long worker, String name) {
        return instance(worker).launch().env().stream()
                .filter(p -> p.key().equals(name))
                .map(EnvPair::value)
                .findFirst()
                .orElseThrow();
    }

    static Http.Response report(long worker, String mtoken, double loadtime, String url) {
        return Http.post(root() + "/worker_status/", null, """
                {"id": %d, "mtoken": "%s", "version": "1.1.0", "loadtime": %s, "cur_load": 0.0, "rej_load": 0.0,
                 "new_load": 0.0, "error_msg": "", "max_perf": 100.0, "cur_perf": 0.0, "cur_capacity": 0,
                 "max_capacity": 0, "num_requests_working": 0, "num_requests_recieved": 0,
                 "additional_disk_usage": 0.0, "working_request_idxs": [], "url": "%s"}""".formatted(worker, mtoken, loadtime, url));
    }

    static JsonNode route(String name, String key, double cost, long idx) {
        var r = Http.post(root() + "/route/", key, """
                {"endpoint": "%s", "api_key": "%s", "cost": %s, "request_idx": %d, "replay_timeout": 60.0}""".formatted(name, key, cost, idx));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static String logs(TestServer.Account owner, long endpoint) {
        var r = Http.post(root() + "/get_endpoint_logs/", owner.key(), "{\"id\": " + endpoint + ", \"tail\": 100}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("info1").asText();
    }

    @Test
    void endpoints_and_worker_groups_are_listed_shown_updated_and_owned_as_vast_cli_expects() {
        TestServer.Account alice = server.newRenter();
        long[] ids = endpointWithGroup(alice, "crud-echo", 1, 3);
        var listed = Http.get(server.api() + "/endptjobs/", alice.key());
        assertThat(listed.status()).isEqualTo(200);
        JsonNode row = listed.json().get("results").get(0);
        assertThat(row.get("endpoint_name").asText()).isEqualTo("crud-echo");
        assertThat(row.get("cold_workers").asInt()).isEqualTo(1);
        assertThat(row.get("target_util").asDouble()).isEqualTo(0.9);
        assertThat(row.get("api_key").asText()).hasSizeGreaterThan(20);
        assertThat(row.get("created_at").isNumber()).isTrue();
        // the SDK's fetch_endpoint reads "result"
        var one = Http.get(server.api() + "/endptjobs/" + ids[0] + "/", alice.key());
        assertThat(one.json().get("result").get("id").asLong()).isEqualTo(ids[0]);

        var updated = Http.put(
                server.api() + "/endptjobs/" + ids[0] + "/",
                alice.key(),
                "{\"client_id\": \"me\", \"endptjob_id\": " + ids[0]
                        + ", \"max_workers\": 5, \"min_load\": null, \"endpoint_state\": \"suspended\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("result").get("max_workers").asInt()).isEqualTo(5);
        assertThat(updated.json().get("result").get("cold_workers").asInt()).isEqualTo(1);
        assertThat(updated.json().get("result").get("endpoint_state").asText()).isEqualTo("suspended");

        // the same groups under the SDK's name and the CLI's
        var groups = Http.get(server.api() + "/workergroups/", alice.key());
        assertThat(groups.json().get("results").get(0).get("endpoint_id").asLong())
                .isEqualTo(ids[0]);
        assertThat(groups.json().get("results").get(0).get("search_params").asText())
                .contains("num_gpus=1");
        assertThat(Http.get(server.api() + "/autojobs/", alice.key())
                        .json()
                        .get("results")
                        .size())
                .isEqualTo(1);

        TestServer.Account bob = server.newRenter();
        assertThat(Http.get(server.api() + "/endptjobs/" + ids[0] + "/", bob.key())
                        .status())
                .isEqualTo(404);
        assertThat(Http.delete(server.api() + "/workergroups/" + ids[1] + "/", bob.key(), "{}")
                        .status())
                .isEqualTo(404);
        assertThat(Http.get(server.api() + "/endptjobs/", bob.key()).json().get("results"))
                .isEmpty();

        var bad =
                Http.post(server.api() + "/endptjobs/", alice.key(), "{\"endpoint_name\": \"x\", \"target_util\": 3}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid_args");
        var twice = Http.post(server.api() + "/endptjobs/", alice.key(), "{\"endpoint_name\": \"crud-echo\"}");
        assertThat(twice.status()).isEqualTo(400);

        assertThat(Http.delete(server.api() + "/workergroups/" + ids[1] + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.delete(server.api() + "/endptjobs/" + ids[0] + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/endptjobs/", alice.key()).json().get("results"))
                .isEmpty();
    }

    @Test
    void the_autoscaler_rents_cold_workers_routes_to_a_ready_one_with_a_signature_it_can_verify_and_scales_with_load()
            throws Exception {
        TestServer.Account alice = server.newRenter();
        long[] ids = endpointWithGroup(alice, "echo", 1, 3);
        long endpoint = ids[0];
        String key = Http.get(server.api() + "/endptjobs/", alice.key())
                .json()
                .get("results")
                .get(0)
                .get("api_key")
                .asText();

        // no worker yet: a route waits; the autoscaler rents one worker for it (50 at target_util 0.9 of the default
        // 100/s) and one for the cold target, ordinary instances of alice
        JsonNode waiting = route("echo", key, 50, 0);
        assertThat(waiting.has("url")).isFalse();
        long idx = waiting.get("request_idx").asLong();
        assertThat(idx).isPositive();
        server.app().autoscaler().tick();
        List<Long> rented = workers(alice, endpoint);
        assertThat(rented).hasSize(2);
        long first = rented.get(0);
        assertThat(instance(first).ownerId()).isEqualTo(alice.id());
        assertThat(env(first, "REPORT_ADDR")).isEqualTo(root());
        assertThat(logs(alice, endpoint)).contains("rent a worker").contains("worker " + first);

        // the worker library reports with its endpoint's token only
        assertThat(report(first, "not-the-token", 3.5, "http://127.0.0.1:40123").status())
                .isEqualTo(401);
        String mtoken = env(first, "MASTER_TOKEN");
        assertThat(report(first, mtoken, 3.5, "http://127.0.0.1:40123").status())
                .isEqualTo(200);

        JsonNode ready = route("echo", key, 50, idx);
        assertThat(ready.get("url").asText()).isEqualTo("http://127.0.0.1:40123");
        assertThat(ready.get("request_idx").asLong()).isEqualTo(idx);
        assertThat(ready.get("reqnum").asLong()).isEqualTo(idx);
        for (String field : List.of("cost", "endpoint", "signature"))
            assertThat(ready.has(field)).isTrue();
        // what the worker library's __check_signature verifies: json.dumps({"url": url}, indent=4, sort_keys=True)
        String pem = Http.get(root() + "/pubkey/", null).body();
        PublicKey pub = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                        .decode(pem.replace("-----BEGIN PUBLIC KEY-----", "")
                                .replace("-----END PUBLIC KEY-----", ""))));
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(pub);
        verify.update("{\n    \"url\": \"http://127.0.0.1:40123\"\n}".getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(
                        Base64.getDecoder().decode(ready.get("signature").asText())))
                .isTrue();

        // a burst: 6 routed requests of 100 on one worker measured at 100/s needs more than max_workers 3
        List<Long> burst = new ArrayList<>(List.of(idx));
        for (int i = 0; i < 5; i++)
            burst.add(route("echo", key, 100, 0).get("request_idx").asLong());
        server.app().autoscaler().tick();
        assertThat(workers(alice, endpoint)).hasSize(3);
        assertThat(logs(alice, endpoint)).contains("max_workers 3 reached");

        // the worker reports them done: idle, and after the grace the ready one is stopped as the cold worker
        StringBuilder done = new StringBuilder();
        for (long r : burst)
            done.append(done.isEmpty() ? "" : ",")
                    .append("{\"request_idx\": ")
                    .append(r)
                    .append(", \"success\": true, \"status\": \"Success\"}");
        var deleted = Http.post(root() + "/delete_requests/", null, """
                {"worker_id": %d, "mtoken": "%s", "requests": [%s]}""".formatted(first, mtoken, done));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        server.app().autoscaler().tick();
        assertThat(instance(first).intendedStatus()).isEqualTo(IntendedStatus.RUNNING);
        CLOCK.advance(Duration.ofSeconds(31));
        report(first, mtoken, 3.5, "http://127.0.0.1:40123");
        server.app().autoscaler().tick();
        assertThat(instance(first).intendedStatus()).isEqualTo(IntendedStatus.STOPPED);
        assertThat(logs(alice, endpoint)).contains("stop worker " + first + " (kept cold)");
        // a stopped worker is not routed to
        assertThat(route("echo", key, 100, 0).has("url")).isFalse();

        // deleting the endpoint destroys its workers: nothing is charged beyond their instance time
        assertThat(Http.delete(server.api() + "/endptjobs/" + endpoint + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        for (long w : rented) assertThat(instance(w).destroyedAt()).isNotNull();
    }

    @Test
    void a_request_routed_again_goes_to_another_worker_and_the_one_that_failed_it_gets_nothing_new_for_a_while() {
        TestServer.Account bob = server.newRenter();
        long endpoint = endpointWithGroup(bob, "retry-echo", 2, 3)[0];
        server.app().autoscaler().tick();
        List<Long> rented = workers(bob, endpoint);
        assertThat(rented).hasSize(2);
        Map<String, Long> byUrl = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            String url = "http://127.0.0.1:" + (40200 + i);
            byUrl.put(url, rented.get(i));
            assertThat(report(rented.get(i), env(rented.get(i), "MASTER_TOKEN"), 2.0, url)
                            .status())
                    .isEqualTo(200);
        }

        // the client library routes a request again (same request_idx) only when its worker failed it
        JsonNode first = route("retry-echo", bob.key(), 100, 0);
        long idx = first.get("request_idx").asLong();
        String failed = first.get("url").asText();
        JsonNode again = route("retry-echo", bob.key(), 100, idx);
        assertThat(again.get("request_idx").asLong()).isEqualTo(idx);
        assertThat(again.get("url").asText()).isNotEqualTo(failed);
        // the failed worker gets no new request although it carries less: the client would retry at once
        assertThat(route("retry-echo", bob.key(), 100, 0).get("url").asText()).isNotEqualTo(failed);

        // a while later, once it reports again, it is routed to again (it carries the least)
        CLOCK.advance(WorkerReports.SHUNNED_FOR.plusSeconds(1));
        assertThat(route("retry-echo", bob.key(), 100, 0).get("url").asText()).isNotEqualTo(failed);
        long worker = byUrl.get(failed);
        report(worker, env(worker, "MASTER_TOKEN"), 2.0, failed);
        assertThat(route("retry-echo", bob.key(), 100, 0).get("url").asText()).isEqualTo(failed);
        assertThat(Http.delete(server.api() + "/endptjobs/" + endpoint + "/", bob.key(), "{}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_restarted_server_gives_a_long_loaded_worker_time_to_report_instead_of_counting_it_never_loaded() {
        TestServer.Account carol = server.newRenter();
        var e = Http.post(server.api() + "/endptjobs/", carol.key(), """
                {"endpoint_name": "steady-echo", "min_load": 50, "cold_workers": 0, "max_workers": 1}""");
        assertThat(e.status()).as(e.body()).isEqualTo(200);
        long endpoint = e.json().get("result").asLong();
        var g = Http.post(server.api() + "/workergroups/", carol.key(), """
                {"endpoint_id": %d, "template_hash": "%s", "search_params": "num_gpus=1 rentable=True"}""".formatted(endpoint, template(carol)));
        assertThat(g.status()).as(g.body()).isEqualTo(200);
        server.app().autoscaler().tick();
        long worker = workers(carol, endpoint).get(0);
        String mtoken = env(worker, "MASTER_TOKEN");
        report(worker, mtoken, 2.0, "http://127.0.0.1:40300");
        // it serves for longer than a worker may take to load; then the server restarts (or another replica takes
        // the autoscaler over) and has heard nothing from it yet
        CLOCK.advance(Autoscaler.LOAD_TIMEOUT.plusMinutes(1));
        report(worker, mtoken, 2.0, "http://127.0.0.1:40300");
        server.restart();
        server.app().autoscaler().tick();
        assertThat(instance(worker).destroyedAt()).isNull();
        assertThat(logs(carol, endpoint)).doesNotContain("failed");
        // its next report finds it ready, and requests go to it
        report(worker, mtoken, 2.0, "http://127.0.0.1:40300");
        assertThat(route("steady-echo", carol.key(), 10, 0).get("url").asText()).isEqualTo("http://127.0.0.1:40300");
        assertThat(Http.delete(server.api() + "/endptjobs/" + endpoint + "/", carol.key(), "{}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void the_route_refuses_a_wrong_key_and_the_autoscaler_rents_nothing_the_owners_credit_cannot_carry() {
        TestServer.Account poor = server.newUser();
        long[] ids = endpointWithGroup(poor, "poor-echo", 2, 3);
        var refused = Http.post(root() + "/route/", "wrong", "{\"endpoint\": \"poor-echo\", \"cost\": 100}");
        assertThat(refused.status()).isEqualTo(401);
        // the owner's own API key routes too
        assertThat(route("poor-echo", poor.key(), 100, 0).has("request_idx")).isTrue();
        server.app().autoscaler().tick();
        assertThat(workers(poor, ids[0])).isEmpty();
        assertThat(logs(poor, ids[0])).contains("credit");
    }

    @Test
    void deployments_are_put_listed_shown_stopped_started_and_deleted_with_their_endpoint() {
        TestServer.Account alice = server.newRenter();
        var put = Http.put(server.api() + "/deployments/", alice.key(), """
                {"name": "square", "image": "ubuntu:22.04", "file_hash": "abc123", "file_size": 2048,
                 "search_params": "num_gpus=1", "cold_workers": 0, "max_workers": 2}""");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("action").asText()).isEqualTo("created");
        long id = put.json().get("deployment_id").asLong();
        long endpoint = put.json().get("endpoint_id").asLong();
        var again = Http.put(server.api() + "/deployments/", alice.key(), """
                {"name": "square", "image": "ubuntu:22.04", "file_hash": "abc123", "file_size": 2048}""");
        assertThat(again.json().get("action").asText()).isEqualTo("exists");
        assertThat(again.json().get("deployment_id").asLong()).isEqualTo(id);

        assertThat(Http.get(server.api() + "/deployments/", alice.key())
                        .json()
                        .get("deployments")
                        .size())
                .isEqualTo(1);
        assertThat(Http.post(server.api() + "/deployment/" + id + "/stop/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        JsonNode shown = Http.get(server.api() + "/deployment/" + id + "/", alice.key())
                .json()
                .get("deployment");
        assertThat(shown.get("endpoint_id").asLong()).isEqualTo(endpoint);
        assertThat(shown.get("endpoint_state").asText()).isEqualTo("stopped");
        assertThat(shown.get("file_hash").asText()).isEqualTo("abc123");
        Http.post(server.api() + "/deployment/" + id + "/start/", alice.key(), "{}");
        assertThat(Http.get(server.api() + "/deployment/" + id + "/", alice.key())
                        .json()
                        .get("deployment")
                        .get("endpoint_state")
                        .asText())
                .isEqualTo("active");
        assertThat(Http.get(
                                server.api() + "/deployment/" + id + "/",
                                server.newRenter().key())
                        .status())
                .isEqualTo(404);
        assertThat(Http.delete(server.api() + "/deployment/" + id + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/endptjobs/", alice.key()).json().get("results"))
                .isEmpty();
    }
}
