package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.server.billing.Tick;
import io.gpumarket.store.Store;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.billing.Charges;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Moving an instance to another machine (docs/migrate.md) through {@code PUT /api/v0/instances/migrate/{id}/}, with
 * both machines' agents played over plain HTTP and the market's clock faked: the steps each agent is told (the
 * destination holds the instance stopped with the copy's pull, the source serves it, keeps its disk until the start
 * succeeded, then drops it), the instance's id kept, the GPUs held and let go, every way it is given up (copy failed,
 * the destination could not start it, the source silent, credit gone), and the books: the renter's charges equal the
 * independent recomputation of the old placement's contract plus the new one. The transfer itself between real agents
 * is {@code e2e/MigrateEndToEndTest}.
 */
class MigrationHttpTest {
    static final String BODY =
            "{\"image\": \"busybox\", \"disk\": 10, \"label\": \"keep-me\", \"onstart\": \"echo hi\","
                    + " \"env\": {\"FOO\": \"bar\"}}";
    static final Duration UNKNOWN_AFTER = Duration.ofSeconds(30);

    TestServer server;
    FakeClock clock;
    TestServer.Account host;
    TestServer.Account renter;
    TestServer.Hosted a;
    TestServer.Hosted b;
    TestAgent agentA;
    TestAgent agentB;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Two one-GPU machines; the renter's instance on the first, its agent reporting {@code status}. */
    long market(double credit, String status) {
        return market(credit, status, Duration.ZERO);
    }

    /** … on a server with this preemption notice window (docs/bids.md), which a running instance's move honours. */
    long market(double credit, String status, Duration notice) {
        machines(credit, 1, notice);
        return rentOnA(BODY, status);
    }

    /** The first machine with {@code gpusA} GPUs, the second with one, both agents synced. */
    void machines(double credit, int gpusA) {
        machines(credit, gpusA, Duration.ZERO);
    }

    void machines(double credit, int gpusA, Duration notice) {
        clock = new FakeClock();
        server = TestServer.builder().clock(clock).preemptNotice(notice).start();
        host = server.newUser();
        renter = server.newRenter(credit);
        a = server.hostMachine(
                host,
                TestMachines.machine("RTX 4090", gpusA, "Oslo, NO", 51000),
                0.5,
                Map.of("verification", "verified"));
        b = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 52000), 0.4, Map.of("verification", "verified"));
        agentA = server.agent(a);
        agentB = server.agent(b);
        agentA.sync();
        agentB.sync();
    }

    /** The renter's one-GPU instance on the first machine, rented with {@code body}, reported {@code status}. */
    long rentOnA(String body, String status) {
        long x = Rentals.rent(server, renter, a.id(), 1, body).id();
        agentA.report(x, "running");
        if (status.equals("stopped")) {
            assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                            .status())
                    .isEqualTo(200);
            agentA.report(x, "stopped");
        }
        return x;
    }

    Http.Response migrate(long x, String body) {
        return Http.put(server.api() + "/instances/migrate/" + x + "/", renter.key(), body);
    }

    JsonNode latest(long x) {
        var r = Http.get(server.api() + "/instances/migrate/" + x + "/", renter.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("migrations").get(0);
    }

    void awaitState(long x, String state) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(latest(x).get("state").asText()).isEqualTo(state));
    }

    Optional<DesiredInstance> in(SyncResponse s, long x) {
        return s.instances().stream().filter(i -> i.id() == x).findFirst();
    }

    void copyReport(TestServer.Hosted machine, long copyId, String state, String msg) {
        var r = Http.put(
                server.api() + "/agent/copies/" + copyId + "/",
                machine.token(),
                "{\"state\": \"" + state + "\", \"msg\": \"" + msg + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** Reaches copying, checks each side's half, and answers the copy's id. */
    long copying(long x) {
        awaitState(x, "copying");
        DesiredInstance atSource = in(agentA.sync(), x).orElseThrow();
        assertThat(atSource.intendedStatus()).isEqualTo("stopped");
        assertThat(atSource.copies()).singleElement().extracting(CopyTask::role).isEqualTo(CopyTask.SERVE);
        DesiredInstance atDest = in(agentB.sync(), x).orElseThrow();
        assertThat(atDest.intendedStatus()).isEqualTo("stopped");
        assertThat(atDest.sshPort()).isZero();
        assertThat(atDest.image()).isEqualTo("busybox");
        assertThat(atDest.label()).isEqualTo(stored(x).label());
        CopyTask pull = atDest.copies().get(0);
        assertThat(pull.role()).isEqualTo(CopyTask.PULL);
        assertThat(pull.ticket()).isNotBlank();
        assertThat(pull.peerPort()).isEqualTo(atSource.sshPort()).isGreaterThanOrEqualTo(51000);
        assertThat(pull.srcPath()).isEqualTo("/");
        assertThat(pull.ticketHash()).isEqualTo(atSource.copies().get(0).ticketHash());
        return pull.id();
    }

    Instance stored(long id) {
        return server.app().store().repos().instances().find(id).orElseThrow();
    }

    /** The renter's charges so far equal the recomputation of every contract it has had (moved ones' archives too). */
    void booksAreExact(long x) {
        syncBoth();
        Tick t = server.tick();
        Store store = server.app().store();
        // the renter's volumes too (none but in the volume tests), each placement at its own price
        long expected = Charges.recomputed(store, x, UNKNOWN_AFTER, t.to())
                + Charges.volumesRecomputed(store, renter.id(), t.to());
        long charged = 100_000_000L - store.repos().ledger().balance(renter.id());
        assertThat(charged).isEqualTo(expected).isPositive();
    }

    void syncBoth() {
        agentA.sync();
        agentB.sync();
    }

    @Test
    void a_stopped_instance_moves_to_another_machine_keeping_its_id_and_the_books_equal_the_recomputation() {
        long x = market(100, "stopped");
        clock.advance(Duration.ofMinutes(10));
        syncBoth();
        server.tick();
        long offer = Rentals.offer(server, renter.key(), b.id(), 1);
        var r = migrate(x, "{\"offer_id\": " + offer + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("migration").get("to_machine_id").asLong()).isEqualTo(b.id());
        // the destination's GPU is held from the request on: nobody else can rent it meanwhile
        assertThat(Rentals.freeGpus(server, b.id())).isZero();
        long copy = copying(x);

        clock.advance(Duration.ofMinutes(3));
        copyReport(b, copy, "active", "copy from C." + x + ": 45% (12,345 bytes)");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(latest(x).get("msg").asText()).contains("45%"));
        assertThat(Rentals.show(server, renter.key(), x).get("status_msg").asText())
                .contains("moving to machine " + b.id(), "45%");
        clock.advance(Duration.ofMinutes(2));
        copyReport(b, copy, "done", "copy from C." + x + " finished");
        awaitState(x, "starting");

        Instance moved = stored(x);
        assertThat(moved.machineId()).isEqualTo(b.id());
        assertThat(moved.label()).isEqualTo("keep-me");
        assertThat(moved.launch().onstart()).isEqualTo("echo hi");
        assertThat(moved.sshPort()).isBetween(52000, 52999);
        assertThat(moved.prices().gpuPerHour()).isEqualTo(400_000);
        // the source keeps the stopped disk until the start succeeded; the destination starts it
        assertThat(in(agentA.sync(), x))
                .hasValueSatisfying(d -> assertThat(d.intendedStatus()).isEqualTo("stopped"));
        DesiredInstance starting = in(agentB.sync(), x).orElseThrow();
        assertThat(starting.intendedStatus()).isEqualTo("running");
        assertThat(starting.sshPort()).isEqualTo(moved.sshPort());
        assertThat(starting.env()).contains(java.util.List.of("FOO", "bar"));

        clock.advance(Duration.ofMinutes(1));
        agentB.report(x, "running");
        awaitState(x, "done");
        assertThat(in(agentA.sync(), x))
                .as("the old disk is removed once the move is done")
                .isEmpty();
        assertThat(Rentals.freeGpus(server, a.id())).isEqualTo(1);
        assertThat(Rentals.freeGpus(server, b.id())).isZero();
        JsonNode shown = Rentals.show(server, renter.key(), x);
        assertThat(shown.get("machine_id").asLong()).isEqualTo(b.id());
        assertThat(shown.get("actual_status").asText()).isEqualTo("running");

        clock.advance(Duration.ofMinutes(30));
        agentB.report(x, "running");
        booksAreExact(x);
    }

    @Test
    void a_server_restart_mid_copy_resumes_the_move_from_the_database() {
        long x = market(100, "stopped");
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        long copy = copying(x);
        server.restart();
        agentA = server.agent(a);
        agentB = server.agent(b);
        // each agent is told its half again by the new server
        assertThat(in(agentB.sync(), x).orElseThrow().copies())
                .singleElement()
                .satisfies(t -> assertThat(t.id()).isEqualTo(copy));
        assertThat(in(agentA.sync(), x).orElseThrow().copies()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        agentB.report(x, "running");
        awaitState(x, "done");
        clock.advance(Duration.ofMinutes(5));
        booksAreExact(x);
    }

    @Test
    void a_running_instance_is_stopped_first_and_runs_again_on_the_destination() {
        long x = market(100, "running");
        clock.advance(Duration.ofMinutes(5));
        var r = migrate(x, "{\"q\": {\"gpu_name\": {\"eq\": \"RTX 4090\"}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("migration").get("to_machine_id").asLong()).isEqualTo(b.id());
        assertThat(in(agentA.sync(), x).orElseThrow().intendedStatus()).isEqualTo("stopped");
        assertThat(latest(x).get("state").asText()).isEqualTo("reserved");
        agentA.report(x, "stopped");
        long copy = copying(x);
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        agentB.report(x, "running");
        awaitState(x, "done");
        clock.advance(Duration.ofMinutes(5));
        booksAreExact(x);
    }

    @Test
    void with_a_notice_window_a_running_instance_runs_it_out_told_inside_then_is_stopped_and_moves() {
        long x = market(100, "running", Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(5));
        long stopAt = clock.instant().plus(Duration.ofMinutes(2)).getEpochSecond();
        var r = migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(latest(x).get("state").asText()).isEqualTo("reserved");
        // it keeps running, with the notice file a preempted bid gets saying why and when
        DesiredInstance told = in(agentA.sync(), x).orElseThrow();
        assertThat(told.intendedStatus()).isEqualTo("running");
        assertThat(told.preemptNotice())
                .isEqualTo("moving to another machine (machine " + b.id() + "); stopping at "
                        + java.time.Instant.ofEpochSecond(stopAt) + " (" + stopAt + ")");
        JsonNode shown = Rentals.show(server, renter.key(), x);
        assertThat(shown.get("actual_status").asText()).isEqualTo("running");
        assertThat(shown.get("preempt_notice_until").asLong()).isEqualTo(stopAt);
        assertThat(shown.get("status_msg").asText()).contains("moving to machine " + b.id(), "notice");
        assertThat(Rentals.freeGpus(server, b.id()))
                .as("the destination is held meanwhile")
                .isZero();

        // a restart keeps the stop time: it is stored
        server.restart();
        agentA = server.agent(a);
        agentB = server.agent(b);
        clock.advance(Duration.ofMinutes(1));
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(latest(x).get("state").asText()).isEqualTo("reserved"));
        assertThat(in(agentA.sync(), x).orElseThrow().preemptNotice()).endsWith("(" + stopAt + ")");
        assertThat(in(agentB.sync(), x).orElseThrow().intendedStatus())
                .as("the destination holds it stopped, no copy yet")
                .isEqualTo("stopped");

        // the notice ends: it is stopped, told no more, and the copy begins once its agent reports it stopped
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(in(agentA.sync(), x).orElseThrow().intendedStatus())
                                .isEqualTo("stopped"));
        assertThat(in(agentA.sync(), x).orElseThrow().preemptNotice()).isNull();
        assertThat(Rentals.show(server, renter.key(), x)
                        .get("preempt_notice_until")
                        .isNull())
                .isTrue();
        assertThat(latest(x).get("state").asText()).isEqualTo("reserved");
        agentA.report(x, "stopped");
        long copy = copying(x);
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        agentB.report(x, "running");
        awaitState(x, "done");
        clock.advance(Duration.ofMinutes(5));
        agentB.report(x, "running");
        // the notice's minutes ran on the old machine's GPU and are charged there
        booksAreExact(x);
    }

    @Test
    void a_cancel_during_the_notice_ends_it_and_leaves_the_instance_running_where_it_is() {
        long x = market(100, "running", Duration.ofMinutes(2));
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        assertThat(in(agentA.sync(), x).orElseThrow().preemptNotice()).startsWith("moving to another machine");
        clock.advance(Duration.ofMinutes(1));
        var cancel = Http.call("DELETE", server.api() + "/instances/migrate/" + x + "/", renter.key(), "{}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(latest(x).get("state").asText()).isEqualTo("rolled_back");
        DesiredInstance told = in(agentA.sync(), x).orElseThrow();
        assertThat(told.intendedStatus()).isEqualTo("running");
        assertThat(told.preemptNotice()).as("the notice file is removed").isNull();
        JsonNode shown = Rentals.show(server, renter.key(), x);
        assertThat(shown.get("preempt_notice_until").isNull()).isTrue();
        assertThat(shown.get("actual_status").asText()).isEqualTo("running");
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
        // its old stop time passing changes nothing
        clock.advance(Duration.ofMinutes(5));
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(stored(x).intendedStatus().wire()).isEqualTo("running"));
    }

    @Test
    void its_owner_stopping_it_during_the_notice_lets_the_copy_begin_at_once() {
        long x = market(100, "running", Duration.ofMinutes(2));
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        agentA.report(x, "stopped");
        long copy = copying(x);
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        assertThat(in(agentB.sync(), x).orElseThrow().intendedStatus())
                .as("started on the destination, as every move is")
                .isEqualTo("running");
    }

    @Test
    void a_bid_that_lost_its_gpus_gets_no_notice_it_is_not_running_and_is_stopped_at_once() {
        long x = market(100, "stopped", Duration.ofMinutes(2));
        assertThat(Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        long bid = Rentals.rent(server, renter, a.id(), 1, "{\"image\": \"busybox\", \"disk\": 10, \"price\": 0.3}")
                .id();
        agentA.report(bid, "running");
        // another renter takes the GPU on demand: the bid runs out its own notice, then is preempted
        Rentals.rent(server, server.newRenter(100), a.id(), 1, BODY);
        clock.advance(Duration.ofMinutes(3));
        server.app().bids().expireNotices();
        assertThat(in(agentA.sync(), bid).orElseThrow().intendedStatus()).isEqualTo("stopped");
        agentA.report(bid, "stopped");
        assertThat(stored(bid).intendedStatus().wire())
                .as("its owner still wants it running")
                .isEqualTo("running");

        var r = migrate(bid, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(in(agentA.sync(), bid).orElseThrow().preemptNotice()).isNull();
        assertThat(Rentals.show(server, renter.key(), bid)
                        .get("preempt_notice_until")
                        .isNull())
                .isTrue();
        copying(bid);
    }

    @Test
    void a_failed_copy_gives_the_move_up_leaving_the_instance_where_it_was_and_freeing_the_destination() {
        long x = market(100, "running");
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        agentA.report(x, "stopped");
        long copy = copying(x);
        clock.advance(Duration.ofMinutes(1));
        copyReport(b, copy, "failed", "copy from C." + x + " failed: source door closed");
        awaitState(x, "rolled_back");
        assertThat(latest(x).get("reason").asText()).contains("source door closed");
        assertThat(stored(x).machineId()).isEqualTo(a.id());
        // it ran when asked: it runs again where it was
        assertThat(in(agentA.sync(), x).orElseThrow().intendedStatus()).isEqualTo("running");
        assertThat(in(agentB.sync(), x))
                .as("the files that arrived are removed")
                .isEmpty();
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
        // and it may be tried again
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_destination_that_cannot_start_it_moves_the_contract_back_and_the_books_stay_exact() {
        long x = market(100, "stopped");
        clock.advance(Duration.ofMinutes(10));
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        long copy = copying(x);
        clock.advance(Duration.ofMinutes(1));
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        clock.advance(Duration.ofMinutes(1));
        agentB.report(x, "exited");
        awaitState(x, "rolled_back");
        assertThat(latest(x).get("reason").asText()).contains("could not start");
        Instance back = stored(x);
        assertThat(back.machineId()).isEqualTo(a.id());
        assertThat(back.prices().gpuPerHour()).isEqualTo(500_000);
        assertThat(in(agentA.sync(), x).orElseThrow().intendedStatus()).isEqualTo("stopped");
        assertThat(in(agentB.sync(), x)).isEmpty();
        assertThat(Rentals.freeGpus(server, a.id())).isZero();
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
        clock.advance(Duration.ofMinutes(10));
        agentA.report(x, "stopped");
        assertThat(Charges.contractsOf(server.app().store(), x))
                .as("the placement left and the one it came back from")
                .hasSize(3);
        booksAreExact(x);
    }

    @Test
    void a_source_silent_for_five_minutes_mid_copy_gives_the_move_up() {
        long x = market(100, "stopped");
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        long copy = copying(x);
        clock.advance(Duration.ofMinutes(4));
        copyReport(b, copy, "active", "copy from C." + x + ": 10%");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(latest(x).get("msg").asText()).contains("10%"));
        clock.advance(Duration.ofMinutes(4)); // progress reset the wait: still going
        assertThat(latest(x).get("state").asText()).isEqualTo("copying");
        clock.advance(Duration.ofMinutes(2));
        awaitState(x, "rolled_back");
        assertThat(latest(x).get("reason").asText()).contains("sent nothing for 5 minutes");
        assertThat(stored(x).machineId()).isEqualTo(a.id());
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
    }

    @Test
    void credit_running_out_mid_copy_gives_the_move_up() {
        long x = market(2, "stopped");
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        copying(x);
        // the renter gives all of its credit away mid-copy
        String email = server.app()
                .store()
                .repos()
                .users()
                .find(host.id())
                .orElseThrow()
                .email();
        var sent = Http.put(
                server.api() + "/commands/transfer_credit/",
                renter.key(),
                "{\"sender\": \"me\", \"recipient\": \"" + email + "\", \"amount\": 2}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        awaitState(x, "rolled_back");
        assertThat(latest(x).get("reason").asText()).contains("credit ran out");
        assertThat(stored(x).machineId()).isEqualTo(a.id());
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
    }

    @Test
    void starting_an_interruptible_instance_whose_gpus_were_rented_answers_vasts_error_with_offers_to_move_to() {
        long x = market(100, "stopped");
        // the on-demand instance leaves; a bid runs there, is stopped, and another renter takes the GPU on demand
        assertThat(Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        long bid = Rentals.rent(server, renter, a.id(), 1, "{\"image\": \"busybox\", \"disk\": 10, \"price\": 0.3}")
                .id();
        assertThat(Http.put(server.api() + "/instances/" + bid + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        TestServer.Account other = server.newRenter(100);
        Rentals.rent(server, other, a.id(), 1, BODY);
        var start = Http.put(server.api() + "/instances/" + bid + "/", renter.key(), "{\"state\": \"running\"}");
        assertThat(start.status()).as(start.body()).isEqualTo(409);
        assertThat(start.json().get("error").asText()).isEqualTo("resources_unavailable");
        assertThat(start.json().get("msg").asText())
                .startsWith("Required resources are currently unavailable")
                .contains("migrate instance " + bid)
                .contains("offer " + Rentals.offer(server, renter.key(), b.id(), 1) + " (machine " + b.id());
        assertThat(stored(bid).intendedStatus().wire()).isEqualTo("stopped");
        // moved, it starts on the other machine under the same id
        assertThat(migrate(bid, "{\"q\": {}}").status()).isEqualTo(200);
        long copy = copying(bid);
        copyReport(b, copy, "done", "finished");
        awaitState(bid, "starting");
        assertThat(stored(bid).bid()).as("on demand where it moved").isFalse();
    }

    @Test
    void the_route_refuses_what_cannot_move_with_vast_shaped_errors() {
        long x = market(100, "stopped");
        var gone = migrate(x, "{\"offer_id\": 999999}");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asText()).isEqualTo("no_such_ask");
        assertThat(migrate(x, "{}").json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(migrate(x, "{\"q\": 5}").json().get("error").asText()).isEqualTo("invalid_query");
        var stranger = server.newRenter(10);
        var foreign = Http.put(
                server.api() + "/instances/migrate/" + x + "/",
                stranger.key(),
                "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("no_such_instance");
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        var again = migrate(x, "{\"q\": {}}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("migration_in_progress");
        // canceled before the start: it stays where it was
        var cancel = Http.call("DELETE", server.api() + "/instances/migrate/" + x + "/", renter.key(), "{}");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(latest(x).get("state").asText()).isEqualTo("rolled_back");
        assertThat(Rentals.freeGpus(server, b.id())).isEqualTo(1);
    }

    // ---- volumes moving with their instance -------------------------------------------------------------------

    /** Lists {@code gb} of volume space on the machine at {@code price} $/GB/month; the volume offer's id. */
    long volumeOffer(TestServer.Hosted machine, int gb, double price) {
        var r = Http.post(
                server.api() + "/volumes/",
                host.key(),
                "{\"size\": " + gb + ", \"machine\": " + machine.id() + ", \"price_disk\": " + price + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("volume_offer_ids").get(0).asLong();
    }

    static String withNewVolume(long volumeOffer) {
        return "{\"image\": \"busybox\", \"disk\": 10, \"label\": \"keep-me\", \"volume_info\": {\"create_new\":"
                + " true, \"volume_id\": " + volumeOffer + ", \"size\": 20, \"mount_path\": \"/data\"}}";
    }

    /** The renter's volumes as {@code GET /volumes/} lists them. */
    JsonNode volumes() {
        var r = Http.get(server.api() + "/volumes/", renter.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("volumes");
    }

    static java.util.List<Long> volumeIds(SyncResponse s) {
        return s.volumes().stream()
                .map(io.gpumarket.api.agent.DesiredVolume::id)
                .toList();
    }

    /** Free GB of the machine's volume offer, as the volume search shows it. */
    double volumeRoom(TestServer.Hosted machine) {
        var r = Http.post(
                server.api() + "/volumes/search/", renter.key(), "{\"machine_id\": {\"eq\": " + machine.id() + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("offers").get(0).get("disk_space").asDouble();
    }

    @Test
    void an_instances_own_volume_moves_with_it_held_on_both_machines_until_done_and_billed_at_each_price() {
        machines(100, 1);
        long fromOffer = volumeOffer(a, 100, 0.3);
        volumeOffer(b, 50, 0.2);
        long x = rentOnA(withNewVolume(fromOffer), "stopped");
        long vol = volumes().get(0).get("id").asLong();
        clock.advance(Duration.ofMinutes(10));
        syncBoth();
        server.tick();

        var r = migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(volumeRoom(b))
                .as("the volume's room on the destination is held from the request")
                .isEqualTo(30);
        long copy = copying(x);
        // the destination makes the volume's storage and binds it at the same path for the pull to fill
        SyncResponse atDest = agentB.sync();
        assertThat(volumeIds(atDest)).containsExactly(vol);
        assertThat(in(atDest, x).orElseThrow().volumes())
                .singleElement()
                .satisfies(v -> assertThat(v.mountPath()).isEqualTo("/data"));
        assertThat(volumeIds(agentA.sync())).containsExactly(vol);

        clock.advance(Duration.ofMinutes(3));
        copyReport(b, copy, "done", "copy from C." + x + " finished");
        awaitState(x, "starting");
        assertThat(volumes().get(0).get("machine_id").asLong()).isEqualTo(b.id());
        assertThat(volumes().get(0).get("storage_cost").asDouble()).isEqualTo(0.2);
        assertThat(volumeIds(agentA.sync()))
                .as("the source keeps the volume until the start on the destination succeeded")
                .containsExactly(vol);
        assertThat(volumeIds(agentB.sync())).containsExactly(vol);

        clock.advance(Duration.ofMinutes(1));
        agentB.report(x, "running");
        awaitState(x, "done");
        assertThat(volumeIds(agentA.sync()))
                .as("the old storage is dropped once the move is done")
                .isEmpty();
        assertThat(volumeIds(agentB.sync())).containsExactly(vol);
        assertThat(in(agentB.sync(), x).orElseThrow().volumes()).hasSize(1);
        JsonNode listed = volumes().get(0);
        assertThat(listed.get("id").asLong()).isEqualTo(vol);
        assertThat(listed.get("instances")).extracting(JsonNode::asLong).containsExactly(x);
        assertThat(volumeRoom(b)).isEqualTo(30);
        assertThat(volumeRoom(a)).as("the old machine's room is free again").isEqualTo(100);

        clock.advance(Duration.ofMinutes(30));
        agentB.report(x, "running");
        booksAreExact(x);
    }

    @Test
    void a_move_given_up_after_the_contract_moved_brings_the_volume_back_and_the_books_stay_exact() {
        machines(100, 1);
        long fromOffer = volumeOffer(a, 100, 0.3);
        volumeOffer(b, 50, 0.2);
        long x = rentOnA(withNewVolume(fromOffer), "stopped");
        long vol = volumes().get(0).get("id").asLong();
        clock.advance(Duration.ofMinutes(10));
        assertThat(migrate(x, "{\"offer_id\": " + Rentals.offer(server, renter.key(), b.id(), 1) + "}")
                        .status())
                .isEqualTo(200);
        long copy = copying(x);
        clock.advance(Duration.ofMinutes(1));
        copyReport(b, copy, "done", "finished");
        awaitState(x, "starting");
        clock.advance(Duration.ofMinutes(1));
        agentB.report(x, "exited");
        awaitState(x, "rolled_back");
        JsonNode back = volumes().get(0);
        assertThat(back.get("machine_id").asLong()).isEqualTo(a.id());
        assertThat(back.get("storage_cost").asDouble()).isEqualTo(0.3);
        assertThat(volumeIds(agentA.sync())).containsExactly(vol);
        assertThat(volumeIds(agentB.sync()))
                .as("the destination drops what arrived")
                .isEmpty();
        assertThat(volumeRoom(b)).isEqualTo(50);
        clock.advance(Duration.ofMinutes(10));
        agentA.report(x, "stopped");
        booksAreExact(x);
    }

    @Test
    void a_volume_moves_only_alone_and_only_to_a_machine_with_room_for_it() {
        machines(100, 2);
        long fromOffer = volumeOffer(a, 100, 0.3);
        long x = rentOnA(withNewVolume(fromOffer), "stopped");
        long vol = volumes().get(0).get("id").asLong();
        long y = Rentals.rent(
                        server,
                        renter,
                        a.id(),
                        1,
                        "{\"image\": \"busybox\", \"disk\": 10, \"volume_info\": {\"create_new\": false,"
                                + " \"volume_id\": " + vol + ", \"mount_path\": \"/shared\"}}")
                .id();
        long toB = Rentals.offer(server, renter.key(), b.id(), 1);
        var shared = migrate(x, "{\"offer_id\": " + toB + "}");
        assertThat(shared.status()).as(shared.body()).isEqualTo(409);
        assertThat(shared.json().get("error").asText()).isEqualTo("volume_shared");
        assertThat(shared.json().get("msg").asText()).contains("volume " + vol, "[" + y + "]");
        assertThat(Http.call("DELETE", server.api() + "/instances/" + y + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);

        var noOffer = migrate(x, "{\"offer_id\": " + toB + "}");
        assertThat(noOffer.status()).as(noOffer.body()).isEqualTo(400);
        assertThat(noOffer.json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(noOffer.json().get("msg").asText()).contains("has no volume offer");
        var noMatch = migrate(x, "{\"q\": {}}");
        assertThat(noMatch.status()).as(noMatch.body()).isEqualTo(404);
        assertThat(noMatch.json().get("msg").asText()).contains("volume offer with 20 GB free");

        volumeOffer(b, 10, 0.2);
        var small = migrate(x, "{\"offer_id\": " + toB + "}");
        assertThat(small.status()).as(small.body()).isEqualTo(400);
        assertThat(small.json().get("msg").asText()).contains("has 10 GB free", "need 20 GB");
        assertThat(Rentals.freeGpus(server, b.id()))
                .as("nothing held by a refusal")
                .isEqualTo(1);

        volumeOffer(b, 40, 0.2);
        var moved = migrate(x, "{\"q\": {}}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().get("migration").get("to_machine_id").asLong()).isEqualTo(b.id());
    }
}
