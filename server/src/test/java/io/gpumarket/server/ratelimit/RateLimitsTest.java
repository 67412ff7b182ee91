package io.gpumarket.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    @Test
    void limits_read_as_count_per_period() {
        assertThat(RateLimit.parse("120/1m")).isEqualTo(new RateLimit(120, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("120/m")).isEqualTo(new RateLimit(120, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("10/30s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(30)));
        assertThat(RateLimit.parse("5/60")).isEqualTo(new RateLimit(5, Duration.ofSeconds(60)));
        assertThat(RateLimit.parse("1000/2h")).isEqualTo(new RateLimit(1000, Duration.ofHours(2)));
    }

    @Test
    void a_limit_that_allows_nothing_or_does_not_parse_is_refused_with_the_flag_named() {
        assertThatThrownBy(() -> RateLimits.defaults().with(Map.of("search", "0/1m")))
                .hasMessageContaining("--rate-limit search=0/1m")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RateLimits.defaults().with(Map.of("search", "lots")))
                .hasMessageContaining("COUNT/PERIOD");
        assertThatThrownBy(() -> RateLimits.defaults().with(Map.of("searches", "1/1s")))
                .hasMessageContaining("unknown rate-limit class 'searches'");
    }

    @Test
    void settings_change_one_class_turn_one_off_or_all_off_whatever_their_order() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("search", "30/1m");
        settings.put("all", "off");
        settings.put("agent", "off");
        RateLimits changed = RateLimits.defaults().with(settings);

        assertThat(changed.of(RouteClass.SEARCH)).isEqualTo(RateLimit.perMinute(30));
        assertThat(changed.of(RouteClass.READ)).isNull();
        assertThat(changed.authFailures()).isNull();
        assertThat(RateLimits.defaults().with(Map.of("agent", "off")).of(RouteClass.AGENT))
                .isNull();
        assertThat(RateLimits.defaults().with(Map.of("auth_failures", "5/10m")).authFailures())
                .isEqualTo(new RateLimit(5, Duration.ofMinutes(10)));
    }

    @Test
    void dev_allows_ten_times_the_defaults_in_every_class() {
        RateLimits defaults = RateLimits.defaults();
        RateLimits dev = RateLimits.dev();

        for (RouteClass c : RouteClass.values()) {
            assertThat(dev.of(c).requests())
                    .as(c.flag())
                    .isEqualTo(10 * defaults.of(c).requests());
        }
        assertThat(dev.authFailures().requests())
                .isEqualTo(10 * defaults.authFailures().requests());
    }
}
