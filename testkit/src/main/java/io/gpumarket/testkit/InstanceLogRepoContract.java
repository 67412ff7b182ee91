package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.LogTicket;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.store.InstanceLogRepo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link InstanceLogRepo}: log requests by token, pending per machine, uploaded once. */
public interface InstanceLogRepoContract extends InstanceFixture {

    @Test
    default void a_request_is_pending_on_its_machine_until_uploaded() {
        Machine m = machine(user("host"), 2);
        Instance i = instance(user("alice"), m);

        LogTicket t = repos().instanceLogs().create("tok-1", i.id(), 100, "error", now());

        assertThat(t).isEqualTo(new LogTicket("tok-1", i.id(), 100, "error", now(), null));
        assertThat(repos().instanceLogs().find("tok-1")).contains(t);
        assertThat(repos().instanceLogs().pendingOnMachine(m.id(), now().minusSeconds(60)))
                .containsExactly(t);
        assertThat(repos().instanceLogs()
                        .pendingOnMachine(machine(user("other"), 1).id(), now().minusSeconds(60)))
                .isEmpty();
        assertThat(repos().instanceLogs().content("tok-1")).isEmpty();

        assertThat(repos().instanceLogs().upload("tok-1", "line 1\nline 2\n", now()))
                .isTrue();

        assertThat(repos().instanceLogs().content("tok-1")).contains("line 1\nline 2\n");
        assertThat(repos().instanceLogs().pendingOnMachine(m.id(), now().minusSeconds(60)))
                .isEmpty();
        assertThat(repos().instanceLogs().find("tok-1").orElseThrow().uploadedAt())
                .isEqualTo(now());
    }

    @Test
    default void text_is_uploaded_once_and_unknown_tokens_take_none() {
        Instance i = instance(user("alice"), machine(user("host"), 1));
        repos().instanceLogs().create("tok-1", i.id(), 0, null, now());

        assertThat(repos().instanceLogs().upload("tok-1", "first", now())).isTrue();
        assertThat(repos().instanceLogs().upload("tok-1", "second", now())).isFalse();
        assertThat(repos().instanceLogs().upload("no-such-token", "x", now())).isFalse();
        assertThat(repos().instanceLogs().content("tok-1")).contains("first");
        assertThat(repos().instanceLogs().content("no-such-token")).isEmpty();
    }

    @Test
    default void old_requests_and_those_of_destroyed_instances_are_not_pending() {
        Machine m = machine(user("host"), 2);
        var alice = user("alice");
        Instance live = instance(alice, m);
        Instance gone = instance(alice, m);
        repos().instanceLogs().create("old", live.id(), 0, null, now());
        clock().advance(Duration.ofMinutes(30));
        repos().instanceLogs().create("new", live.id(), 0, null, now());
        repos().instanceLogs().create("of-gone", gone.id(), 0, null, now());
        repos().instances().markDestroyed(gone.id(), now());

        assertThat(repos().instanceLogs().pendingOnMachine(m.id(), now().minus(Duration.ofMinutes(10))))
                .extracting(LogTicket::token)
                .containsExactly("new");
    }
}
