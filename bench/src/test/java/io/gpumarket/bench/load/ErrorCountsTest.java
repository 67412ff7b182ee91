package io.gpumarket.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** The load tools' error kinds tell a server that sheds load from one that stalls or drops connections. */
class ErrorCountsTest {
    @Test
    void failures_are_counted_by_what_went_wrong_with_the_connection() {
        ErrorCounts errors = new ErrorCounts();
        errors.failure(new HttpTimeoutException("request timed out"));
        errors.failure(new HttpConnectTimeoutException("HTTP connect timed out"));
        errors.failure(new ConnectException("Connection refused"));
        errors.failure(new IOException("wrapped", new SocketException("Connection reset")));
        errors.failure(new HttpTimeoutException("request timed out"));

        assertThat(errors.total()).isEqualTo(5);
        assertThat(errors.summary())
                .isEqualTo("connect timeout: 1, connection refused: 1, connection reset: 1, timeout: 2");
    }

    @Test
    void refusals_are_counted_by_status_and_vast_error_code() {
        ErrorCounts errors = new ErrorCounts();
        errors.status(429, "rate_limited");
        errors.status(429, "rate_limited");
        errors.status(503, null);

        assertThat(errors.summary()).isEqualTo("HTTP 429 rate_limited: 2, HTTP 503: 1");
    }

    @Test
    void no_errors_say_none() {
        assertThat(new ErrorCounts().summary()).isEqualTo("none");
    }
}
