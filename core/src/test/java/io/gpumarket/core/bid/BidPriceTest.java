package io.gpumarket.core.bid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import org.junit.jupiter.api.Test;

class BidPriceTest {
    @Test
    void a_bid_for_the_instance_is_kept_per_gpu_rounded_down() {
        assertThat(BidPrice.forCreate(0.9, 2, 100_000)).isEqualTo(450_000);
        assertThat(BidPrice.forCreate(1.0, 3, 0)).isEqualTo(333_333);
    }

    @Test
    void creating_below_the_minimum_bid_or_outside_the_caps_is_refused() {
        assertThatThrownBy(() -> BidPrice.forCreate(0.1, 2, 100_000))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("below the machine's minimum bid");
        assertThatThrownBy(() -> BidPrice.forCreate(0.0001, 1, 0)).hasMessageContaining("between $0.001 and $128");
        assertThatThrownBy(() -> BidPrice.forCreate(129, 1, 0)).hasMessageContaining("between $0.001 and $128");
    }

    @Test
    void changing_uses_the_change_routes_words_and_cap() {
        assertThatThrownBy(() -> BidPrice.forChange(0, 1, 0)).hasMessage("Please set a bid price >= 0.001.");
        assertThatThrownBy(() -> BidPrice.forChange(64.5, 2, 0)).hasMessageContaining("<= 64.0");
        assertThat(BidPrice.forChange(64, 2, 0)).isEqualTo(32_000_000);
    }
}
