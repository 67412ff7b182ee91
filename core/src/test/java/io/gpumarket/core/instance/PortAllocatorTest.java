package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    @Test
    void the_lowest_free_ports_of_the_range_are_taken() {
        assertThat(PortAllocator.allocate(40000, 40009, Set.of(40000, 40002), 3))
                .contains(List.of(40001, 40003, 40004));
    }

    @Test
    void a_range_with_too_few_free_ports_gives_none() {
        assertThat(PortAllocator.allocate(40000, 40002, Set.of(40001), 3)).isEmpty();
        assertThat(PortAllocator.allocate(-1, -1, Set.of(), 1)).isEmpty();
    }

    @Test
    void asking_for_nothing_always_succeeds() {
        assertThat(PortAllocator.allocate(-1, -1, Set.of(), 0)).contains(List.of());
    }
}
