package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.notify.NotifyConfig;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vastai's {@code metrics gpu|gpu-trends|gpu-locations}, and our webhook and event verbs, against a real server. */
class NotifyCliTest {
    @TempDir
    Path dir;

    @Test
    void metrics_show_the_market_and_webhook_verbs_manage_a_webhook() {
        try (TestServer server = TestServer.builder()
                        .notify(NotifyConfig.defaults()
                                .withAllowPrivateTargets(true)
                                .withSnapshots(Duration.ZERO, Duration.ofDays(1)))
                        .start();
                WebhookReceiver receiver = WebhookReceiver.start()) {
            var renter = Rent.renter(server);
            server.listMachine(
                    server.newUser(),
                    TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41000),
                    0.35,
                    Map.of("verification", "verified"));
            server.app().marketMetrics().snapshot();
            Cli cli = Cli.of(server.url(), renter.key(), dir);

            var gpu = cli.run("metrics", "gpu");
            assertThat(gpu.code()).as(gpu.describe()).isZero();
            assertThat(gpu.out()).contains("RTX_4090").contains("0.3500");
            var trends = cli.run("metrics", "gpu-trends", "RTX_4090");
            assertThat(trends.code()).as(trends.describe()).isZero();
            assertThat(trends.out()).contains("=== RTX 4090 ===");
            var places = cli.run("metrics", "gpu-locations", "--rented", "false");
            assertThat(places.out()).contains("Oslo").contains("NO");

            var made = cli.run("create", "webhook", receiver.url(), "--events", "client:instance_created");
            assertThat(made.code()).as(made.describe()).isZero();
            assertThat(made.out()).contains("Signing secret (shown once, keep it): whsec_");
            var shown = cli.run("show", "webhooks");
            assertThat(shown.out()).contains(receiver.url()).doesNotContain("whsec_");
            assertThat(cli.run("show", "events").code()).isZero();
            String id = shown.out()
                    .lines()
                    .skip(1)
                    .findFirst()
                    .orElseThrow()
                    .strip()
                    .split(" +")[0];
            var deleted = cli.run("delete", "webhook", id);
            assertThat(deleted.code()).as(deleted.describe()).isZero();
            assertThat(cli.run("show", "webhooks").out()).doesNotContain(receiver.url());
        }
    }
}
