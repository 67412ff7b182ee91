package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link TestServer} as a JUnit extension, run on classes of its own through the JUnit launcher: the server is up for
 * the class's tests and gone afterwards, also when the class's set-up fails. (The classes inside are nested, so the
 * build's own test run skips them.)
 */
class TestServerExtensionTest {
    /** What the classes below saw, for the checks after their run. */
    static String seenUrl;

    static Path seenHome;
    static final AtomicBoolean AGENT_STOPPED = new AtomicBoolean();

    static class AClassWithTests {
        @RegisterExtension
        static final TestServer server =
                TestServer.builder().clock(new FakeClock()).perClass();

        @Test
        void the_server_answers_before_and_during_the_tests() {
            seenUrl = server.url();
            seenHome = server.home();
            assertThat(Http.get(server.api() + "/users/current/", server.adminKey())
                            .status())
                    .isEqualTo(200);
            assertThat(server.clock().instant()).isEqualTo(FakeClock.DEFAULT_START);
        }
    }

    static class AClassWhoseSetUpFails {
        @RegisterExtension
        static final TestServer server = TestServer.perClass();

        @BeforeAll
        static void setUp() {
            seenUrl = server.url();
            seenHome = server.home();
            server.closesWith(() -> AGENT_STOPPED.set(true));
            throw new IllegalStateException("set-up fails on purpose");
        }

        @Test
        void never_runs() {}
    }

    static TestExecutionSummary run(Class<?> testClass) {
        seenUrl = null;
        seenHome = null;
        var listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(DiscoverySelectors.selectClass(testClass))
                                .build(),
                        listener);
        return listener.getSummary();
    }

    static boolean answers(String url) throws Exception {
        URI uri = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    @Test
    void a_class_server_is_up_for_the_tests_and_stopped_with_its_files_removed_after_them() throws Exception {
        TestExecutionSummary summary = run(AClassWithTests.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).isZero();
        assertThat(seenUrl).startsWith("http://127.0.0.1:");
        assertThat(answers(seenUrl)).isFalse();
        assertThat(Files.exists(seenHome)).isFalse();
    }

    @Test
    void a_failing_set_up_still_stops_what_the_class_started_and_then_the_server() throws Exception {
        AGENT_STOPPED.set(false);

        TestExecutionSummary summary = run(AClassWhoseSetUpFails.class);

        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(summary.getFailures().get(0).getException()).hasMessage("set-up fails on purpose");
        assertThat(AGENT_STOPPED).isTrue();
        assertThat(answers(seenUrl)).isFalse();
        assertThat(Files.exists(seenHome)).isFalse();
    }

    @Test
    void a_server_that_junit_never_started_says_how_to_declare_it() {
        TestServer unregistered = TestServer.perClass();

        assertThatThrownBy(unregistered::url)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension static final TestServer");
    }
}
