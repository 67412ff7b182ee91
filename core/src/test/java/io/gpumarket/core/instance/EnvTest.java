package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    @Test
    void the_dict_form_keeps_its_order_and_docker_options() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("TZ", "UTC");
        dict.put("-p 8081:8081/udp", "1");
        dict.put("-h", "billybob");
        dict.put("N", 3);

        assertThat(Env.parse(dict))
                .containsExactly(
                        new EnvPair("TZ", "UTC"),
                        new EnvPair("-p 8081:8081/udp", "1"),
                        new EnvPair("-h", "billybob"),
                        new EnvPair("N", "3"));
    }

    @Test
    void the_docker_flag_string_reads_as_the_vastai_cli_reads_it() {
        assertThat(Env.parse("-e TZ=PDT -e XNAME=XX4 -p 22:22 -p 8080:8080 -e 'Q=a b' -h box --rm -v /a:/b"))
                .containsExactly(
                        new EnvPair("TZ", "PDT"),
                        new EnvPair("XNAME", "XX4"),
                        new EnvPair("-p 22:22", "1"),
                        new EnvPair("-p 8080:8080", "1"),
                        new EnvPair("Q", "a b"),
                        new EnvPair("-h", "box"),
                        new EnvPair("-v /a:/b", "1"));
        assertThat(Env.parse(null)).isEmpty();
    }

    @Test
    void published_ports_are_the_container_side_of_each_p_once() {
        List<EnvPair> env = Env.parse(Map.of("-p 8080:8080", "1"));
        assertThat(Env.publishedPorts(env)).containsExactly("8080/tcp");
        assertThat(Env.publishedPorts(Env.parse("-p 1234:8081/udp -p 8082 -p 0.0.0.0:9:9000 -p 8082:8082")))
                .containsExactly("8081/udp", "8082/tcp", "9000/tcp");
    }

    @Test
    void limits_and_malformed_ports_are_refused() {
        assertThatThrownBy(() -> Env.parse(Map.of("A", "x".repeat(257)))).hasMessageContaining("longer than 256");
        Map<String, Object> big = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) big.put("K" + i, "v".repeat(200));
        assertThatThrownBy(() -> Env.parse(big)).hasMessageContaining("the limit is 32768");
        assertThatThrownBy(() -> Env.parse(Map.of("-p 70001:70001", "1"))).hasMessageContaining("ports 1-65535");
        assertThatThrownBy(() -> Env.parse(Map.of("-p http", "1"))).hasMessageContaining("-p HOST:CONTAINER");
        assertThatThrownBy(() -> Env.parse(List.of("A=1"))).hasMessageContaining("env must be an object");
        assertThatThrownBy(() -> Env.parse(Map.of("A", Map.of()))).hasMessageContaining("must be a string");
    }
}
