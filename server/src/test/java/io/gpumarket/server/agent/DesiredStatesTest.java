package io.gpumarket.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.agent.DesiredVolume;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DesiredStatesTest {
    private static DesiredStates.State withVolume(long id) {
        return new DesiredStates.State(List.of(), List.of(new DesiredVolume(id, 1, null)), List.of());
    }

    @Test
    void a_state_answered_at_a_revision_is_answered_again_from_memory_until_the_revision_moves() {
        DesiredStates states = new DesiredStates();
        assertThat(states.at(7, 1, () -> withVolume(1))).isEqualTo(withVolume(1));
        assertThat(states.at(7, 1, () -> withVolume(2))).isEqualTo(withVolume(1));
        assertThat(states.at(7, 2, () -> withVolume(2))).isEqualTo(withVolume(2));
    }

    @Test
    void a_fresh_read_is_made_whatever_is_kept_and_then_kept() {
        DesiredStates states = new DesiredStates();
        states.at(7, 1, () -> withVolume(1));
        assertThat(states.fresh(7, 1, () -> withVolume(2))).isEqualTo(withVolume(2));
        assertThat(states.at(7, 1, () -> withVolume(3))).isEqualTo(withVolume(2));
    }

    @Test
    void of_two_reads_at_one_revision_the_later_started_is_kept_even_when_the_earlier_ends_last() throws Exception {
        DesiredStates states = new DesiredStates();
        CountDownLatch earlierStarted = new CountDownLatch(1);
        CountDownLatch laterDone = new CountDownLatch(1);
        Thread earlier = Thread.ofPlatform()
                .start(() -> states.fresh(7, 1, () -> {
                    earlierStarted.countDown();
                    try {
                        laterDone.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return withVolume(1);
                }));
        earlierStarted.await();
        states.fresh(7, 1, () -> withVolume(2));
        laterDone.countDown();
        earlier.join();
        assertThat(states.at(7, 1, () -> withVolume(3))).isEqualTo(withVolume(2));
    }
}
