package io.gpumarket.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the client verbs: --env parsing, copy locations, query strings, table cells, SSH addresses. */
class ClientPartsTest {
    @Test
    void env_options_become_vastais_env_dict() {
        // docs/vast-compatibility.md §f.3's example, and vastai's quirks: quotes dropped from values, = allowed in
        // values, other flags ignored
        assertThat(EnvFlags.parse("-e TZ=PDT -e XNAME=XX4 -p 22:22 -p 8080:8080"))
                .containsExactly(
                        Map.entry("TZ", "PDT"),
                        Map.entry("XNAME", "XX4"),
                        Map.entry("-p 22:22", "1"),
                        Map.entry("-p 8080:8080", "1"));
        assertThat(EnvFlags.parse("-p 8081:8081/udp -h billybob"))
                .containsExactly(Map.entry("-p 8081:8081/udp", "1"), Map.entry("-h", "billybob"));
        assertThat(EnvFlags.parse("-e GREETING='hello world' -e URL=a=b -v /data:/data -n my-net --rm -p bad!"))
                .containsExactly(
                        Map.entry("GREETING", "hello world"),
                        Map.entry("URL", "a=b"),
                        Map.entry("-v /data:/data", "1"),
                        Map.entry("-n my-net", "1"));
        assertThat(EnvFlags.parse(null)).isEmpty();
    }

    @Test
    void copy_locations_are_read_as_vastai_reads_them() {
        assertThat(Location.parse("12:/workspace/data")).isEqualTo(new Location(12L, "/workspace/data"));
        assertThat(Location.parse("C.12:/workspace/")).isEqualTo(new Location(12L, "/workspace/"));
        assertThat(Location.parse("12:data")).isEqualTo(new Location(12L, "/data"));
        assertThat(Location.parse("12")).isEqualTo(new Location(12L, "/"));
        assertThat(Location.parse("local:data/x")).isEqualTo(new Location(null, "data/x"));
        assertThat(Location.parse("./project/")).isEqualTo(new Location(null, "./project/"));
        assertThatThrownBy(() -> Location.parse("a:b:c")).hasMessageContaining("Invalid VRL");
        assertThatThrownBy(() -> Location.parse("V.5:/data"))
                .hasMessageContaining("volumes (V.) and cloud connections are not supported");
        assertThatThrownBy(() -> Location.parse("12://")).hasMessageContaining("not a valid Unix style path");
    }

    @Test
    void query_strings_are_quote_plus_of_strings_and_json_of_the_rest() {
        assertThat(Api.queryString(Map.of("select_cols", List.of("*")))).isEqualTo("?select_cols=%5B%22%2A%22%5D");
        assertThat(Api.quotePlus("a b~c.d-e_f/é")).isEqualTo("a+b~c.d-e_f%2F%C3%A9");
        assertThat(Api.queryString(null)).isEmpty();
    }

    @Test
    void table_cells_are_formatted_as_python_formats_them() {
        assertThat(Table.format(0.125, "{:0.2f}")).isEqualTo("0.12"); // half-even on the exact binary value
        assertThat(Table.format(12L, "{:0.1f}")).isEqualTo("12.0");
        assertThat(Table.format(8L, "{}x")).isEqualTo("8x");
        assertThat(Table.format(true, "{}")).isEqualTo("True");
        assertThat(Table.format(1.0, "{}")).isEqualTo("1.0");
        assertThat(Table.format("RTX 4090", "{:0.1f}")).isEqualTo("RTX 4090");
    }

    @Test
    void tables_pad_columns_and_show_missing_values_as_a_dash() throws Exception {
        List<JsonNode> rows = List.of(
                Wire.mapper().readTree("{\"id\": 7, \"gpu_name\": \"RTX 4090\", \"num_gpus\": 2}"),
                Wire.mapper().readTree("{\"id\": 12, \"num_gpus\": 8}"));
        String table = Table.render(
                rows,
                List.of(
                        Table.Column.of("id", "ID", "{}"),
                        Table.Column.of("num_gpus", "N", "{}x").right(),
                        Table.Column.of("gpu_name", "Model", "{}")));
        assertThat(table).isEqualTo("ID   N  Model\n7   2x  RTX_4090\n12  8x  -\n");
    }

    @Test
    void the_ssh_address_is_the_direct_mapping_when_running_else_ssh_host_and_port() throws Exception {
        JsonNode running = Wire.mapper()
                .readTree("{\"public_ipaddr\": \"203.0.113.7\", \"ssh_host\": \"ssh5.example\", \"ssh_port\": 10882,"
                        + " \"ports\": {\"22/tcp\": [{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"41000\"}]}}");
        assertThat(Instances.sshTarget(running).orElseThrow().url("ssh")).isEqualTo("ssh://root@203.0.113.7:41000");
        JsonNode proxied = Wire.mapper()
                .readTree(
                        "{\"ssh_host\": \"ssh5.example\", \"ssh_port\": 10882, \"ports\": {}, \"image_runtype\": \"jupyter_proxy ssh_proxy\"}");
        assertThat(Instances.sshTarget(proxied).orElseThrow().url("scp")).isEqualTo("scp://root@ssh5.example:10883");
        assertThat(Instances.sshTarget(Wire.mapper().readTree("{\"ssh_port\": 0}")))
                .isEmpty();
    }
}
