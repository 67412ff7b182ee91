package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.core.notify.RetryPolicy;
import io.gpumarket.server.notify.NotifyConfig;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real local HTTP receiver (both backends): signed deliveries, a receiver that was down gets every
 * event once it is back (each once by id), rotation's grace, the event stream's catch-up across a restart, and the
 * refusal of private targets on a server that does not allow them.
 */
class WebhooksHttpTest {
    private static final NotifyConfig FAST = NotifyConfig.defaults()
            .withAllowPrivateTargets(true)
            .withRetry(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1)))
            .withDeliverEvery(Duration.ofMillis(50))
            .withSecretGrace(Duration.ofHours(1))
            .withSnapshots(Duration.ZERO, Duration.ofDays(1));

    private TestServer server;
    private WebhookReceiver receiver;
    private TestServer.Account renter;
    private long machine;

    @BeforeEach
    void start() {
        server = TestServer.builder().notify(FAST).start();
        receiver = WebhookReceiver.start();
        renter = server.newRenter();
        machine = server.listMachine(
                server.newUser(), TestMachines.machine("RTX 4090", 4, "Oslo, NO", 41000), 0.40, Map.of());
    }

    @AfterEach
    void stop() {
        receiver.close();
        server.close();
    }

    @Test
    void a_delivery_is_signed_with_the_secret_shown_once_and_carries_its_event_id() {
        JsonNode made = create(renter.key(), receiver.url(), "client:instance_created");
        String secret = made.get("webhook").get("webhook_secret").asText();
        assertThat(made.get("enabled_notification_preferences").toString()).contains("client:instance_created");
        assertThat(Http.get(server.api() + "/webhooks/", renter.key()).body()).doesNotContain(secret);

        long instance = Rentals.rentOne(server, renter, machine).id();

        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.received().isEmpty());
        WebhookReceiver.Delivery d = receiver.received().get(0);
        assertThat(d.signedWith(secret, "X-Vast-Signature-256")).isTrue();
        assertThat(d.signedWith("whsec_wrong", "X-Vast-Signature-256")).isFalse();
        JsonNode body = new Http.Response(200, "application/json", d.text()).json();
        assertThat(body.get("notif_type").asText()).isEqualTo("client:instance_created");
        assertThat(body.get("instance_id").asLong()).isEqualTo(instance);
        assertThat(d.header("X-Vast-Event-Id")).isEqualTo(body.get("event_id").asText());
    }

    @Test
    void a_receiver_down_for_a_while_gets_every_event_once_by_id_when_it_returns() {
        long webhook = create(renter.key(), receiver.url(), "client:instance_created", "client:instance_destroyed")
                .get("webhook")
                .get("id")
                .asLong();
        receiver.down();
        List<Long> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++)
            instances.add(Rentals.rentOne(server, renter, machine).id());
        for (long id : instances) Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}");
        // the receiver is down: every delivery has failed at least once and is still pending
        await().atMost(Duration.ofSeconds(20))
                .until(() -> deliveries(webhook).stream()
                        .allMatch(d -> d.get("attempts").asInt() >= 1
                                && d.get("status").asText().equals("pending")));
        assertThat(deliveries(webhook)).hasSize(6);

        receiver.up();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> deliveries(webhook).stream()
                        .allMatch(d -> d.get("status").asText().equals("delivered")));
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Delivery d : receiver.received()) ids.add(d.header("X-Vast-Event-Id"));
        assertThat(ids).hasSize(6);
        assertThat(receiver.received()).hasSize(6);
    }

    @Test
    void after_a_rotation_the_old_secret_still_verifies_during_the_grace_period() {
        JsonNode made = create(renter.key(), receiver.url(), "client:instance_created");
        long id = made.get("webhook").get("id").asLong();
        String old = made.get("webhook").get("webhook_secret").asText();
        var rotated = Http.post(server.api() + "/webhooks/" + id + "/rotate-secret/", renter.key(), "{}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String fresh = rotated.json().get("webhook").get("webhook_secret").asText();
        assertThat(fresh).isNotEqualTo(old);

        var test = Http.post(server.api() + "/webhooks/" + id + "/test/", renter.key(), "{}");
        assertThat(test.status()).as(test.body()).isEqualTo(200);
        WebhookReceiver.Delivery d = receiver.received().get(0);
        assertThat(d.signedWith(fresh, "X-Vast-Signature-256")).isTrue();
        assertThat(d.signedWith(old, "X-Vast-Signature-256-Previous")).isTrue();
        assertThat(d.signedWith(old, "X-Vast-Signature-256")).isFalse();
    }

    @Test
    void the_event_stream_lets_a_client_that_was_down_catch_up_across_a_restart() {
        long a = Rentals.rentOne(server, renter, machine).id();
        JsonNode first = Http.get(server.api() + "/events/", renter.key()).json();
        long cursor = first.get("next_after").asLong();
        assertThat(first.get("events").toString()).contains("\"instance_id\":" + a);

        long b = Rentals.rentOne(server, renter, machine).id();
        server.restart();
        JsonNode next = Http.get(server.api() + "/events/?after=" + cursor, renter.key())
                .json();
        assertThat(next.get("events")).hasSize(1);
        assertThat(next.get("events").get(0).get("instance_id").asLong()).isEqualTo(b);
        // another account sees none of them
        assertThat(Http.get(server.api() + "/events/", server.newUser().key())
                        .json()
                        .get("events"))
                .isEmpty();
    }

    @Test
    void a_server_that_does_not_allow_private_targets_refuses_a_loopback_webhook() {
        try (TestServer strict = TestServer.builder().start()) {
            var user = strict.newUser();
            var r = Http.post(
                    strict.api() + "/webhooks/",
                    user.key(),
                    "{\"webhook_url\": \"" + receiver.url() + "\", \"event_types\": [\"client:low_credit\"]}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_webhook_url");
            var metadata = Http.post(
                    strict.api() + "/webhooks/",
                    user.key(),
                    "{\"webhook_url\": \"http://169.254.169.254/latest\", \"event_types\": [\"client:low_credit\"]}");
            assertThat(metadata.status()).isEqualTo(400);
        }
    }

    @Test
    void preferences_and_types_follow_vasts_shapes_and_refuse_another_users_id() {
        JsonNode types =
                Http.get(server.api() + "/notification-types/", renter.key()).json();
        assertThat(types.get("notification_types").toString()).contains("client:low_credit", "host:machine_offline");
        var mine = Http.put(
                server.api() + "/users/" + renter.id() + "/notification-prefs/",
                renter.key(),
                "{\"notification_preferences\": {\"client\": {\"low_credit\": {\"email\": false, \"webhooks\": true}}}}");
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        JsonNode prefs = Http.get(server.api() + "/users/" + renter.id() + "/notification-prefs/", renter.key())
                .json()
                .get("notification_preferences");
        assertThat(prefs.get("client").get("low_credit").get("webhooks").asBoolean())
                .isTrue();
        assertThat(prefs.get("client").get("low_credit").get("email").asBoolean())
                .isFalse();
        var other = server.newUser();
        assertThat(Http.get(server.api() + "/users/" + renter.id() + "/notification-prefs/", other.key())
                        .status())
                .isEqualTo(403);
        var unknown = Http.put(
                server.api() + "/users/" + renter.id() + "/notification-prefs/",
                renter.key(),
                "{\"notification_preferences\": {\"client\": {\"nope\": {\"email\": true}}}}");
        assertThat(unknown.status()).isEqualTo(400);
    }

    private JsonNode create(String key, String url, String... types) {
        StringBuilder list = new StringBuilder();
        for (String t : types)
            list.append(list.isEmpty() ? "" : ", ").append('"').append(t).append('"');
        var r = Http.post(
                server.api() + "/webhooks/",
                key,
                "{\"name\": \"ops\", \"webhook_url\": \"" + url + "\", \"event_types\": [" + list + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private List<JsonNode> deliveries(long webhook) {
        List<JsonNode> out = new ArrayList<>();
        Http.get(server.api() + "/webhooks/" + webhook + "/deliveries/", renter.key())
                .json()
                .get("deliveries")
                .forEach(out::add);
        return out;
    }
}
