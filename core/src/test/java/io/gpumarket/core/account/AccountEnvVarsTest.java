package io.gpumarket.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.EnvPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountEnvVarsTest {
    @Test
    void names_are_upper_cased_and_must_look_like_shell_variables() {
        assertThat(AccountEnvVars.name("hf_token")).isEqualTo("HF_TOKEN");
        assertThat(AccountEnvVars.name("_x1")).isEqualTo("_X1");
        assertThatThrownBy(() -> AccountEnvVars.name("1abc")).isInstanceOf(DomainException.BadRequest.class);
        assertThatThrownBy(() -> AccountEnvVars.name("A-B")).isInstanceOf(DomainException.BadRequest.class);
        assertThatThrownBy(() -> AccountEnvVars.name(null))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo("missing_input"));
    }

    @Test
    void values_hold_vasts_characters_only() {
        assertThat(AccountEnvVars.value("abc-1.2_x")).isEqualTo("abc-1.2_x");
        assertThatThrownBy(() -> AccountEnvVars.value("a b"))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_characters"));
    }

    @Test
    void the_requests_own_env_wins_and_account_variables_come_first_in_name_order() {
        List<EnvPair> merged = AccountEnvVars.merged(
                Map.of("B", "account", "A", "account", "SHARED", "account"),
                List.of(new EnvPair("SHARED", "request"), new EnvPair("-p 8080:8080", "1")));
        assertThat(merged)
                .containsExactly(
                        new EnvPair("A", "account"),
                        new EnvPair("B", "account"),
                        new EnvPair("SHARED", "request"),
                        new EnvPair("-p 8080:8080", "1"));
    }

    @Test
    void an_account_holds_at_most_its_limit() {
        AccountEnvVars.checkRoom(AccountEnvVars.MAX_PER_ACCOUNT - 1);
        assertThatThrownBy(() -> AccountEnvVars.checkRoom(AccountEnvVars.MAX_PER_ACCOUNT))
                .isInstanceOfSatisfying(
                        DomainException.BadRequest.class,
                        e -> assertThat(e.code()).isEqualTo("max_secrets"));
    }
}
