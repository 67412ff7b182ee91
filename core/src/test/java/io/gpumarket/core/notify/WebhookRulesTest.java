package io.gpumarket.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookRulesTest {
    private static final byte[] BODY = "{\"event_id\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void the_signature_is_the_hmac_python_computes_over_timestamp_dot_body() {
        // python3: hmac.new(b'whsec_test', b'1700000000.' + body, hashlib.sha256).hexdigest()
        assertThat(WebhookSignature.sign("whsec_test", 1_700_000_000L, BODY))
                .isEqualTo("sha256=115402565fc7b710e75917d6a369828046e151bd5816426329c59ba9f11ea916");
        assertThat(WebhookSignature.verifies(
                        "whsec_test", 1_700_000_000L, BODY, WebhookSignature.sign("whsec_test", 1_700_000_000L, BODY)))
                .isTrue();
        assertThat(WebhookSignature.verifies(
                        "whsec_test", 1_700_000_001L, BODY, WebhookSignature.sign("whsec_test", 1_700_000_000L, BODY)))
                .isFalse();
        assertThat(WebhookSignature.verifies("whsec_test", 1L, BODY, null)).isFalse();
    }

    @Test
    void retries_double_up_to_the_longest_wait_and_stop_after_the_window() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.delayAfter(1000)).isEqualTo(Duration.ofMinutes(1));
        Instant made = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(p.retries(made, made.plus(Duration.ofMinutes(59)))).isTrue();
        assertThat(p.retries(made, made.plus(Duration.ofHours(1)))).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(1)))
                .hasMessageContaining("longest");
    }

    @Test
    void only_public_http_targets_are_taken_unless_private_ones_are_allowed() throws Exception {
        assertThat(WebhookTarget.malformed("https://example.com/hook")).isEmpty();
        assertThat(WebhookTarget.malformed("ftp://example.com/")).isPresent();
        assertThat(WebhookTarget.malformed("https://user:pw@example.com/")).isPresent();
        assertThat(WebhookTarget.malformed("not a url")).isPresent();
        assertThat(WebhookTarget.malformed("https://x/" + "a".repeat(2048))).isPresent();
        for (String refused : new String[] {
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "224.0.0.1"
        }) {
            InetAddress a = InetAddress.getByName(refused);
            assertThat(WebhookTarget.refusal(a, false)).as(refused).isPresent();
            assertThat(WebhookTarget.refusal(a, true)).as(refused).isEmpty();
        }
        assertThat(WebhookTarget.refusal(InetAddress.getByName("93.184.216.34"), false))
                .isEmpty();
        assertThat(WebhookTarget.refusal(InetAddress.getByName("2606:4700::1"), false))
                .isEmpty();
    }

    @Test
    void types_are_keyed_as_vast_keys_them() {
        assertThat(NotificationType.byKey("client:low_credit")).contains(NotificationType.LOW_CREDIT);
        assertThat(NotificationType.of("host", "machine_offline")).contains(NotificationType.MACHINE_OFFLINE);
        assertThat(NotificationType.TEST.subscribable()).isFalse();
        assertThat(NotificationType.OUTBID.defaultFor(NotificationType.WEBHOOKS))
                .isFalse();
    }
}
