package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vast's own current CLI, run as an outsider runs it: its {@code vastai} entry under the system python, pointed at a real
 * server (with a real agent) by {@code VAST_URL}, for a renter's whole walk and a host's listing commands. Nothing of
 * vast-cli is in this repository and nothing is fetched here: the test runs where {@code GPUMARKET_VASTAI_CLI} names a
 * checkout of github.com/vast-ai/vast-cli (and python3 has its imports: Debian's python3-requests, -rich, -dateutil,
 * -yaml), and is skipped with that said otherwise. {@code ToolReplayTest} replays the SDK's calls without it.
 */
class VastaiCliTest {
    static final String CHECKOUT = System.getenv("GPUMARKET_VASTAI_CLI");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                CHECKOUT != null && Files.isRegularFile(Path.of(CHECKOUT, "vastai", "cli", "main.py")),
                "GPUMARKET_VASTAI_CLI does not name a vast-cli checkout (git clone https://github.com/vast-ai/vast-cli);"
                        + " the vastai CLI run is skipped");
        market = server.closesWith(new LiveMarket(server, dir));
        server.admin().adminSetMachine(market.machine, Map.of("verification", "verified"));
    }

    /** vastai's output and exit code; fails the test on a Python traceback (a shape the CLI could not read). */
    record Run(int code, String out) {}

    static Run vastai(String key, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(
                "/usr/bin/python3",
                "-c",
                "import sys; sys.argv[0] = 'vastai'; from vastai.cli.main import main; sys.exit(main())"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--api-key", key));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(Path.of(CHECKOUT).toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("VAST_URL", server.url());
        pb.environment().put("HOME", dir.toString()); // its config and caches stay in the test's directory
        pb.environment().put("COLUMNS", "200");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Run r = new Run(p.exitValue(), out);
        assertThat(out).as("vastai %s", String.join(" ", args)).doesNotContain("Traceback");
        assertThat(out).as("vastai %s", String.join(" ", args)).doesNotContain("Failed with error");
        return r;
    }

    static JsonNode json(Run r) throws IOException {
        assertThat(r.code()).as(r.out()).isZero();
        return Wire.mapper().readTree(r.out());
    }

    @Test
    void a_renter_searches_creates_shows_labels_stops_starts_reads_logs_and_destroys_with_vastai() throws Exception {
        String key = market.renter.key();
        JsonNode offers = json(vastai(key, "search", "offers", "num_gpus=1 gpu_name=RTX_4090", "--raw"));
        assertThat(offers).isNotEmpty();
        long offer = offers.get(0).get("id").asLong();

        Run created = vastai(
                key,
                "create",
                "instance",
                Long.toString(offer),
                "--image",
                "ubuntu:22.04",
                "--disk",
                "10",
                "--ssh",
                "--direct",
                "--onstart-cmd",
                "echo vastai-was-here",
                "--label",
                "from-vastai");
        assertThat(created.out()).contains("'success': True");
        long id = Long.parseLong(created.out().replaceAll("(?s).*'new_contract': (\\d+).*", "$1"));

        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running"
                        .equals(json(vastai(key, "show", "instance", Long.toString(id), "--raw"))
                                .path("actual_status")
                                .asText()));
        JsonNode listed = json(vastai(key, "show", "instances", "--raw"));
        assertThat(listed).extracting(i -> i.get("id").asLong()).contains(id);
        assertThat(vastai(key, "show", "instances", "-v").out()).contains(Long.toString(id));
        assertThat(vastai(key, "label", "instance", Long.toString(id), "renamed")
                        .out())
                .contains("renamed");
        assertThat(vastai(key, "logs", Long.toString(id)).out()).contains("vastai-was-here");
        assertThat(vastai(key, "ssh-url", Long.toString(id)).out()).startsWith("ssh://root@");
        assertThat(vastai(key, "stop", "instance", Long.toString(id)).out()).contains("stopping instance " + id);
        assertThat(vastai(key, "start", "instance", Long.toString(id)).out()).contains("starting instance " + id);
        assertThat(vastai(key, "show", "user", "--raw").out()).contains("\"email\"");
        assertThat(vastai(key, "destroy", "instance", Long.toString(id), "-y").out())
                .contains("destroying instance " + id);
    }

    @Test
    void a_host_shows_and_lists_its_machine_sets_its_min_bid_and_reads_its_earnings_with_vastai() throws Exception {
        String key = market.host.key();
        String machine = Long.toString(market.machine);
        assertThat(vastai(key, "show", "machines").out()).contains(machine);
        assertThat(vastai(key, "list", "machine", machine, "-g", "0.4", "-s", "0.1", "-m", "1")
                        .out())
                .contains("offers created/updated for machine " + machine);
        assertThat(vastai(key, "set", "min-bid", machine, "--price", "0.2").out())
                .contains("min bid");
        assertThat(vastai(key, "show", "maints", "--ids", machine).out()).contains("Machine ID");
        assertThat(json(vastai(key, "show", "earnings", "--raw")).has("per_machine"))
                .isTrue();
        assertThat(json(vastai(key, "search", "offers", "machine_id=" + machine + " verified=any", "--raw")))
                .isNotEmpty();
    }
}
