package io.gpumarket.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserSettingsTest {
    static void refused(Map<String, Object> body, String code, String message) {
        assertThatThrownBy(() -> UserSettings.parse(body))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void settable_fields_come_back_typed() {
        UserSettings s = UserSettings.parse(Map.of(
                "fullname",
                " Ada Lovelace ",
                "balance_threshold",
                "12.5",
                "balance_threshold_enabled",
                true,
                "billaddress_city",
                ""));

        assertThat(s.values())
                .containsEntry("fullname", "Ada Lovelace")
                .containsEntry("balance_threshold", 12.5)
                .containsEntry("balance_threshold_enabled", true)
                .containsEntry("billaddress_city", null);
    }

    @Test
    void vasts_error_codes_name_what_is_wrong() {
        refused(Map.of(), "missing_input", "at least one setting");
        refused(Map.of("credit", 100), "nonexistent_key", "'credit' is not a user setting");
        refused(Map.of("email", " "), "empty_input", "'email' cannot be empty");
        Map<String, Object> nullUsername = new HashMap<>();
        nullUsername.put("username", null);
        refused(nullUsername, "empty_input", "'username' cannot be empty");
        refused(Map.of("fullname", "x".repeat(256)), "input_too_long", "longer than 255");
        refused(Map.of("fullname", "a\u0007b"), "invalid_characters", "control characters");
        refused(Map.of("paypal_email", "nobody"), "invalid_characters", "name@host");
        refused(Map.of("username", "a b"), "invalid_characters", "letters, digits");
        refused(Map.of("balance_threshold", -1), "invalid_args", "from 0");
        refused(Map.of("ssh_key", "-----BEGIN OPENSSH PRIVATE KEY-----"), "invalid_args", "private key");
    }

    @Test
    void an_empty_ssh_key_clears_it() {
        assertThat(UserSettings.parse(Map.of("ssh_key", "")).values()).containsEntry("ssh_key", null);
    }
}
