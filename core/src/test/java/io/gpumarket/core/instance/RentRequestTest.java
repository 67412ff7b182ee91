package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RentRequestTest {
    static RentRequest of(String image, Object env, String runtype, Double disk) {
        return RentRequest.of(image, env, null, null, null, runtype, null, disk, null, false, null);
    }

    @Test
    void defaults_are_8_gb_running_and_ssh() {
        RentRequest r = of("busybox", null, null, null);

        assertThat(r.diskGb()).isEqualTo(8.0);
        assertThat(r.target()).isEqualTo(IntendedStatus.RUNNING);
        assertThat(r.launch().runtype()).isEqualTo(Runtype.SSH);
        assertThat(r.publishedPorts()).isEmpty();
    }

    @Test
    void jupyter_publishes_its_port_once_besides_the_env_ports() {
        assertThat(of("busybox", Map.of("-p 9000:9000", "1"), "jupyter_direct", 10.0)
                        .publishedPorts())
                .containsExactly("9000/tcp", "8080/tcp");
        assertThat(of("busybox", Map.of("-p 8080:8080", "1"), "jupyter", 10.0).publishedPorts())
                .containsExactly("8080/tcp");
    }

    @Test
    void a_disk_larger_than_the_offer_is_refused_naming_both_sizes() {
        assertThatThrownBy(() -> of("busybox", null, null, 300.0).checkFits(42, 200))
                .hasMessage("'disk' of 300 GB is more than offer 42 has (200 GB)");
    }

    @Test
    void a_disk_beyond_a_petabyte_is_refused_whatever_the_offer_claims() {
        assertThatThrownBy(() -> of("busybox", null, null, 1e15))
                .hasMessage("'disk' must be at most 1000000 GB, got 1.0E15");
        assertThat(of("busybox", null, null, RentRequest.MAX_DISK_GB).diskGb()).isEqualTo(1e6);
    }

    @Test
    void an_offer_whose_machine_claims_an_infinite_disk_fits_no_request() {
        assertThatThrownBy(() -> of("busybox", null, null, 10.0).checkFits(42, Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("'disk' of 10 GB is more than offer 42 has");
    }

    @Test
    void a_price_makes_a_bid_and_must_be_a_number() {
        assertThat(RentRequest.of("busybox", null, null, null, null, null, null, null, null, false, 0.3)
                        .bidDollars())
                .isEqualTo(0.3);
        assertThat(RentRequest.of("busybox", null, null, null, null, null, null, null, null, false, null)
                        .bid())
                .isFalse();
        assertThatThrownBy(
                        () -> RentRequest.of("busybox", null, null, null, null, null, null, null, null, false, "cheap"))
                .hasMessageContaining("'price'");
    }

    @Test
    void args_and_onstart_share_one_limit() {
        assertThatThrownBy(() -> RentRequest.of(
                        "busybox",
                        null,
                        "x".repeat(2000),
                        List.of("y".repeat(2000)),
                        "z".repeat(97),
                        null,
                        null,
                        null,
                        null,
                        false,
                        null))
                .hasMessageContaining("4097 characters");
    }
}
