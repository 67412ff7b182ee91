package io.gpumarket.app.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.app.Main;
import io.gpumarket.server.BillingConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BillingOptionsTest {
    private static BillingConfig parse(String... args) {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs(args);
        return server.billing.apply(BillingConfig.defaults());
    }

    @Test
    void without_flags_the_server_bills_with_the_defaults() {
        assertThat(parse()).isEqualTo(BillingConfig.defaults());
    }

    @Test
    void the_meter_interval_platform_fee_and_destroy_grace_come_from_flags() {
        BillingConfig c = parse("--meter-interval", "2s", "--platform-fee", "12.5", "--destroy-unpaid-after", "48h");
        assertThat(c.meterInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.platformFeePpm()).isEqualTo(125_000);
        assertThat(c.destroyGrace()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void durations_are_read_in_short_units_plain_seconds_or_iso_8601() {
        var d = new DurationConverter();
        assertThat(d.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(d.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.convert("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.convert("3d")).isEqualTo(Duration.ofDays(3));
        assertThat(d.convert("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> d.convert("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void values_out_of_range_stop_the_server_before_it_starts_with_the_reason() {
        assertThatThrownBy(() -> parse("--platform-fee", "150")).hasMessageContaining("platform fee must be 0 to 100%");
        assertThatThrownBy(() -> parse("--meter-interval", "10ms")).hasMessageContaining("100 ms to 1 h");
        assertThat(Main.run("server", "--meter-interval", "soon"))
                .as("a usage error")
                .isEqualTo(2);
    }

    @Test
    void the_preemption_notice_reads_the_same_durations_plain_seconds_included() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--preempt-notice", "60");
        assertThat(server.preemptNotice).isEqualTo(Duration.ofMinutes(1));
        new CommandLine(server).parseArgs("--preempt-notice", "2m");
        assertThat(server.preemptNotice).isEqualTo(Duration.ofMinutes(2));
        assertThat(Main.run("server", "--preempt-notice", "-5"))
                .as("a usage error")
                .isEqualTo(2);
    }
}
