package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gpumarket search offers} against a real server, through a proxy that keeps the request bodies as they
 * arrived: every worked example of docs/vast-compatibility.md §e.4 reaches the server byte for byte as the spec prints it (vastai's
 * own bytes, numbers as strings included), the server answers it, and the refused queries send nothing.
 */
class SearchCliTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static CaptureProxy proxy;

    @TempDir
    static Path dir;

    Cli cli;

    @BeforeAll
    static void start() throws Exception {
        TestServer.Account host = server.newUser();
        renter = server.newUser();
        var verified = Map.<String, Object>of("verification", "verified", "reliability", 0.995);
        server.listMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 41000), 0.30, verified);
        server.listMachine(host, TestMachines.machine("RTX 4090", 4, "Taipei, TW", 41100), 0.45, verified);
        server.listMachine(host, TestMachines.machine("RTX 3090", 2, "Lyon, FR", 41200), 0.18, verified);
        server.listMachine(
                host, TestMachines.machine("H100 SXM", 8, "Stockholm, SE", 41300), 2.10, Map.of("reliability", 0.9));
        proxy = new CaptureProxy(server.url());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @BeforeEach
    void cli() {
        cli = Cli.of(proxy.url(), renter.key(), dir);
        proxy.clear();
    }

    static Stream<Arguments> workedExamples() {
        return Stream.of(
                Arguments.of(
                        1,
                        List.of("search", "offers", "gpu_name=RTX_4090 num_gpus>=1 reliability>0.99"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, \"num_gpus\": {\"gte\": \"1\"}, \"reliability\": {\"gt\": \"0.99\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        2,
                        List.of("search", "offers"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        3,
                        List.of("search", "offers", "-n", "gpu_name=H100_SXM", "-o", "dph+", "--limit", "10"),
                        "{\"gpu_name\": {\"eq\": \"H100 SXM\"}, \"order\": [[\"dph_total\", \"asc\"]], \"type\": \"on-demand\", \"limit\": 10, \"allocated_storage\": 5.0}"),
                Arguments.of(
                        4,
                        List.of(
                                "search",
                                "offers",
                                "reliability>0.99 num_gpus=4 geolocation in [TW,SE]",
                                "-o",
                                "num_gpus-,dlperf_usd-"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"eq\": \"4\"}, \"geolocation\": {\"in\": [\"TW\", \"SE\"]}, \"order\": [[\"num_gpus\", \"desc\"], [\"dlperf_per_dphtotal\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        5,
                        List.of(
                                "search",
                                "offers",
                                "reliability>0.99 gpu_name in [\"RTX 4090\", \"RTX 3090\"] geolocation notin [CN,VN]"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"gpu_name\": {\"in\": [\"RTX 4090\", \"RTX 3090\"]}, \"geolocation\": {\"notin\": [\"CN\", \"VN\"]}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        6,
                        List.of(
                                "search",
                                "offers",
                                "disk_space>146 duration>24 gpu_ram>10 cuda_vers>=12.1 direct_port_count>=2 driver_version >= 535.86.05"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"disk_space\": {\"gt\": \"146\"}, \"duration\": {\"gt\": 2073600.0}, \"gpu_ram\": {\"gt\": 10000.0}, \"cuda_max_good\": {\"gte\": \"12.1\"}, \"direct_port_count\": {\"gte\": \"2\"}, \"driver_version\": {\"gte\": 535086005}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        7,
                        List.of(
                                "search",
                                "offers",
                                "reliability > 0.99  num_gpus>=4 verified=False rented=any",
                                "-o",
                                "num_gpus-"),
                        "{\"verified\": {\"eq\": false}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"reliability\": {\"gt\": \"0.99\"}, \"num_gpus\": {\"gte\": \"4\"}, \"order\": [[\"num_gpus\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        8,
                        List.of(
                                "search",
                                "offers",
                                "--type",
                                "bid",
                                "gpu_name=RTX_3090 cpu_ram>=32 dph<0.5 datacenter=True",
                                "--storage",
                                "20"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 3090\"}, \"cpu_ram\": {\"gte\": 32000.0}, \"dph_total\": {\"lt\": \"0.5\"}, \"datacenter\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"bid\", \"allocated_storage\": 20.0}"),
                Arguments.of(
                        9,
                        List.of(
                                "search",
                                "offers",
                                "-i",
                                "compute_cap > 610 total_flops > 5 static_ip=true external=any"),
                        "{\"verified\": {\"eq\": true}, \"rentable\": {\"eq\": true}, \"compute_cap\": {\"gt\": \"610\"}, \"total_flops\": {\"gt\": \"5\"}, \"static_ip\": {\"eq\": true}, \"order\": [[\"score\", \"desc\"]], \"type\": \"bid\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        10,
                        List.of(
                                "search",
                                "offers",
                                "--reserved",
                                "gpu_name=\"RTX 4090\" num_gpus eq 2 inet_down gte 500 cpu_arch=arm64 verified=any"),
                        "{\"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 4090\"}, \"num_gpus\": {\"eq\": \"2\"}, \"inet_down\": {\"gte\": \"500\"}, \"cpu_arch\": {\"eq\": \"arm64\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"reserved\", \"allocated_storage\": 5.0}"),
                Arguments.of(
                        11,
                        List.of(
                                "search",
                                "offers",
                                "gpu_total_ram>=80 gpu_name notin RTX_3090,RTX_3080 has_avx=1 vms_enabled=None"),
                        "{\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, \"rentable\": {\"eq\": true}, \"gpu_total_ram\": {\"gte\": 80000.0}, \"gpu_name\": {\"notin\": [\"RTX 3090\", \"RTX 3080\"]}, \"has_avx\": {\"eq\": \"1\"}, \"vms_enabled\": {\"eq\": null}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", \"allocated_storage\": 5.0}"));
    }

    @ParameterizedTest(name = "worked example {0}")
    @MethodSource("workedExamples")
    void each_worked_example_reaches_the_server_byte_for_byte_as_vastai_sends_it(
            int example, List<String> args, String body) {
        var r = cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(proxy.requests()).hasSize(1);
        CaptureProxy.Request sent = proxy.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.target()).isEqualTo("/api/v0/bundles/");
        assertThat(sent.authorization()).isEqualTo("Bearer " + renter.key());
        assertThat(sent.contentType()).startsWith("application/json");
        assertThat(sent.bodyText()).isEqualTo(body);
        assertThat(r.out()).startsWith("ID  CUDA");
    }

    @Test
    void the_offers_table_shows_what_the_query_matched() {
        var r = cli.run("search", "offers", "gpu_name=RTX_4090 num_gpus=1");
        assertThat(r.code()).as(r.describe()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID  CUDA   N  Model     PCIE  cpu_ghz  vCPUs   RAM  VRAM  Disk  $/hr");
        // the 1-GPU machine and a 1-GPU bundle of the 4-GPU one, by score
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(1, 3))
                .allSatisfy(l -> assertThat(l)
                        .contains("1x  RTX_4090")
                        .contains("verified")
                        .contains("570.124.06"));
        assertThat(lines.get(1)).contains("0.3010").endsWith("Oslo,_NO");
        assertThat(lines.get(2)).contains("0.4510").endsWith("Taipei,_TW");
    }

    @Test
    void raw_prints_the_offers_json_the_server_sent_in_the_order_asked() throws Exception {
        var r = cli.run("search", "offers", "gpu_name in [RTX_4090,RTX_3090]", "-o", "dph+", "--raw");
        assertThat(r.code()).as(r.describe()).isZero();
        List<JsonNode> offers = new ArrayList<>();
        Wire.mapper().readTree(r.out()).forEach(offers::add);
        assertThat(offers)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("gpu_name").asText()).isIn("RTX 4090", "RTX 3090"));
        for (int i = 1; i < offers.size(); i++) {
            assertThat(offers.get(i).get("dph_total").asDouble())
                    .isGreaterThanOrEqualTo(offers.get(i - 1).get("dph_total").asDouble());
        }
        assertThat(offers).noneMatch(o -> o.get("gpu_name").asText().equals("H100 SXM"));
    }

    @Test
    void the_defaults_hide_unverified_machines_and_no_default_shows_them() throws Exception {
        var defaults = cli.run("search", "offers", "gpu_name=H100_SXM", "--raw");
        assertThat(Wire.mapper().readTree(defaults.out())).isEmpty();
        var all = cli.run("search", "offers", "-n", "gpu_name=H100_SXM", "--raw");
        assertThat(Wire.mapper().readTree(all.out()))
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("gpu_name").asText()).isEqualTo("H100 SXM"));
    }

    @Test
    void new_search_puts_the_query_under_q_to_search_asks() throws Exception {
        var r = cli.run("search", "offers", "--new", "gpu_name=RTX_3090", "--limit", "1", "--raw");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(proxy.last().method()).isEqualTo("PUT");
        assertThat(proxy.last().target()).isEqualTo("/api/v0/search/asks/");
        assertThat(proxy.last().bodyText())
                .isEqualTo(
                        "{\"select_cols\": [\"*\"], \"q\": {\"verified\": {\"eq\": true}, \"external\": {\"eq\": false}, "
                                + "\"rentable\": {\"eq\": true}, \"gpu_name\": {\"eq\": \"RTX 3090\"}, \"order\": [[\"score\", \"desc\"]], \"type\": \"on-demand\", "
                                + "\"limit\": 1, \"allocated_storage\": 5.0}}");
        assertThat(Wire.mapper().readTree(r.out())).hasSize(1);
    }

    @Test
    void an_unknown_operator_is_refused_with_its_text_and_nothing_is_sent() {
        var r = cli.run("search", "offers", "num_gpus => 2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "Error:  Unknown operator. Did you forget to quote your query? '=>' (at character 10: 'num_gpus => 2')\n");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void a_missing_operator_is_refused() {
        var r = cli.run("search", "offers", "gpu_name RTX_4090");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "Error:  Unknown operator. Did you forget to quote your query? '' (at character 9: 'gpu_name RTX_4090')\n");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void a_blank_value_is_refused() {
        var r = cli.run("search", "offers", "num_gpus>=");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "Error:  Value cannot be blank. Did you forget to quote your query? ('num_gpus', '>=', '') (at character 11: 'num_gpus>=')\n");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void unconsumed_text_is_refused() {
        var r = cli.run("search", "offers", "reliability>0.9 ^^");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "Error:  Unconsumed text. Did you forget to quote your query? 'reliability>0.9 ' != 'reliability>0.9 ^^' (at character 17: '^^')\n");
        assertThat(proxy.requests()).isEmpty();
    }

    @Test
    void an_unknown_field_is_sent_with_a_warning_as_vastai_does() {
        var r = cli.run("search", "offers", "-n", "colour=red");
        assertThat(r.err()).contains("Warning: Unrecognized field: colour, see list of recognized fields.");
        assertThat(proxy.last().bodyText()).startsWith("{\"colour\": {\"eq\": \"red\"}, ");
    }

    @Test
    void the_query_may_come_as_several_words() {
        var r = cli.run("search", "offers", "num_gpus=2", "gpu_name=RTX_3090", "--raw");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(proxy.last().bodyText())
                .contains("\"num_gpus\": {\"eq\": \"2\"}, \"gpu_name\": {\"eq\": \"RTX 3090\"}");
    }

    @Test
    void explain_shows_the_request_on_stderr() {
        var r = cli.run("--explain", "search", "offers", "-n", "num_gpus=1", "--limit", "1");
        assertThat(r.err()).startsWith("POST " + proxy.url() + "/api/v0/bundles/\n{\"num_gpus\": {\"eq\": \"1\"}");
    }
}
