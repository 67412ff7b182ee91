package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.ratelimit.RateLimits;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server with a tiny search limit: refused with 429 and a Retry-After, it waits and succeeds. */
class RateLimitCliTest {
    private static final Pattern REFUSED = Pattern.compile("gpumarket_rate_limited_total\\{class=\"search\",?} (\\d+)");

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .rateLimits(RateLimits.off().with(Map.of("search", "1/5s")))
            .perClass();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        // one search per 5 s per key
        server.listMachine(
                server.newUser(),
                TestMachines.machine("RTX 4090", 1, "Oslo, NO", 41000),
                0.30,
                Map.of("verification", "verified"));
    }

    static long refusals() {
        Matcher m = REFUSED.matcher(Http.get(server.url() + "/metrics", null).body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** Uses up the key's one search of the period. */
    static void searchOnce(String key) {
        assertThat(Http.post(server.api() + "/bundles/", key, "{}").status()).isEqualTo(200);
    }

    @Test
    void a_search_refused_with_retry_after_is_retried_after_the_wait_and_succeeds() {
        String key = server.newUser().key();
        Cli cli = Cli.of(server.url(), key, dir);
        long before = refusals();
        searchOnce(key);

        Cli.Result second = cli.run("search", "offers", "--raw");

        assertThat(second.code()).as(second.describe()).isZero();
        assertThat(second.out()).contains("RTX 4090");
        assertThat(refusals())
                .as("the second search was refused once before it passed")
                .isGreaterThan(before);
        assertThat(second.err()).contains("HTTP 429").contains("retrying in");
    }

    @Test
    void with_a_single_attempt_the_refusal_is_reported_as_vast_reports_it() {
        String key = server.newUser().key();
        Cli cli = Cli.of(server.url(), key, dir);
        searchOnce(key);

        Cli.Result refused = cli.run("--retry", "1", "search", "offers");

        assertThat(refused.code()).as(refused.describe()).isNotZero();
        assertThat(refused.out() + refused.err())
                .contains("Failed with error 429")
                .contains("API requests too frequent");
    }
}
