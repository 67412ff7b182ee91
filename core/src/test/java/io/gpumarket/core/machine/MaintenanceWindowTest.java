package io.gpumarket.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void the_cli_body_gives_epoch_seconds_and_hours() {
        var w = MaintenanceWindow.request(7, NOW.getEpochSecond() + 3600.5, 2.5, "power", null, NOW);
        assertThat(w.start()).isEqualTo(NOW.plusMillis(3_600_500));
        assertThat(w.end()).isEqualTo(w.start().plusSeconds(9000));
        assertThat(w.durationHours()).isEqualTo(2.5);
        assertThat(w.category()).isEqualTo("power");
    }

    @Test
    void the_docs_body_gives_an_iso_date_and_a_reason() {
        var w = MaintenanceWindow.request(7, "2026-06-02T10:00:00Z", 1.0, "GPU", "swap a card", NOW);
        assertThat(w.start()).isEqualTo(Instant.parse("2026-06-02T10:00:00Z"));
        assertThat(w.category()).isEqualTo("gpu");
        assertThat(w.reason()).isEqualTo("swap a card");
    }

    @Test
    void the_cli_default_category_is_accepted() {
        assertThat(MaintenanceWindow.request(7, NOW.getEpochSecond(), 1.0, "not provided", null, NOW)
                        .category())
                .isEqualTo("not provided");
    }

    @Test
    void bad_fields_are_refused_naming_the_field() {
        assertThatThrownBy(() -> MaintenanceWindow.request(7, null, 1.0, "power", null, NOW))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("sdate");
        assertThatThrownBy(() -> MaintenanceWindow.request(7, "tomorrow", 1.0, "power", null, NOW))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("sdate");
        assertThatThrownBy(() -> MaintenanceWindow.request(7, NOW.getEpochSecond(), 0.0, "power", null, NOW))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> MaintenanceWindow.request(7, NOW.getEpochSecond(), 1.0, "weather", null, NOW))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("maintenance_category");
        assertThatThrownBy(() -> MaintenanceWindow.request(7, NOW.getEpochSecond() - 7200, 1.0, "power", null, NOW))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("before now");
    }
}
