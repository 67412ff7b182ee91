package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account environment variables end to end: a real server, a real agent in its own JVM running process instances,
 * and the stock ssh client. A variable the account holds is in a new instance's environment; the create request's
 * own {@code env} wins on a clash; the list shows it masked.
 */
class AccountEnvVarsTest {
    @TempDir
    static Path dir;

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = new LiveMarket(TestServer.start(), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        market.close();
    }

    @Test
    void an_accounts_variables_reach_a_new_instances_environment_and_the_requests_env_wins() {
        String url = market.server.api() + "/secrets/";
        assertThat(Http.post(url, market.renter.key(), "{\"key\": \"hf_token\", \"value\": \"hf_secret-1.0\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.post(url, market.renter.key(), "{\"key\": \"SHARED\", \"value\": \"account\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(url, market.renter.key())
                        .json()
                        .get("secrets")
                        .get("HF_TOKEN")
                        .asText())
                .isEqualTo("*****");

        long id = market.rent("true", "{\"SHARED\": \"request\"}");
        int port = market.awaitRunning(id);

        assertThat(market.exec(port, "echo $HF_TOKEN $SHARED").output().trim()).isEqualTo("hf_secret-1.0 request");
        assertThat(market.exec(port, "env").output()).contains("HF_TOKEN=hf_secret-1.0");
    }
}
