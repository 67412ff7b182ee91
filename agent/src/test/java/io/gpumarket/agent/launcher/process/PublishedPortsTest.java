package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedPortsTest {
    @Test
    void tcp_and_udp_ports_are_forwarded_from_their_host_port_on_the_bind_address() {
        assertThat(PublishedPorts.pastaArgs(Map.of("8080/tcp", 40080, "9000/udp", 40090, "7000", 40070), "127.0.0.1"))
                .containsExactly(
                        "-t", "127.0.0.1/40070:7000", "-t", "127.0.0.1/40080:8080", "-u", "127.0.0.1/40090:9000");
    }

    @Test
    void on_all_addresses_the_forward_names_no_address_and_a_port_mapped_to_itself_is_still_forwarded() {
        assertThat(PublishedPorts.pastaArgs(Map.of("8080/tcp", 8080), "0.0.0.0"))
                .containsExactly("-t", "8080:8080", "-u", "none");
    }

    @Test
    void the_ssh_port_and_malformed_entries_are_never_forwarded() {
        assertThat(PublishedPorts.pastaArgs(
                        Map.of("22/tcp", 40022, "x/tcp", 40001, "80/sctp", 40002, "70000/tcp", 40003), "0.0.0.0"))
                .containsExactly("-t", "none", "-u", "none");
    }
}
