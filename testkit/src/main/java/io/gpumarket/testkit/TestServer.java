package io.gpumarket.testkit;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.server.UpkeepConfig;
import io.gpumarket.server.billing.Tick;
import io.gpumarket.server.ratelimit.RateLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole server on a free port with a database of its own: a temp SQLite file, or a fresh PostgreSQL database
 * when {@code GPUMARKET_TEST_BACKEND=postgresql} (CI runs the suite both ways). Tests talk to it over HTTP as
 * any client would.
 *
 * <p>A test class that shares one server among its tests declares it as a JUnit extension, which starts it before
 * the class's {@code @BeforeAll} methods and stops it after its {@code @AfterAll} methods, also when those fail:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestServer server = TestServer.builder().clock(CLOCK).perClass();
 * }</pre>
 *
 * What the class starts around the server (an agent process, a proxy) it hands to {@link #closesWith}, and it is
 * closed before the server stops. A test that needs a server of its own starts one with {@link Builder#start()}
 * (or a {@code start(…)} shortcut) in try-with-resources.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger USERS = new AtomicInteger();
    private final Builder settings;
    private final Deque<AutoCloseable> closesWith = new ArrayDeque<>();
    private Path home;
    private ServerConfig config;
    private ServerApp app;
    private String adminKey;
    /** The JUnit container that started this server: only its end stops it (not a nested class's). */
    private String startedFor;

    private TestServer(Builder settings) {
        this.settings = settings;
    }

    /** A server's settings: every one defaults to what {@link #start()} uses, and each says why. */
    public static Builder builder() {
        return new Builder();
    }

    /** A server with the defaults, started and stopped by JUnit around the test class (see the class comment). */
    public static TestServer perClass() {
        return builder().perClass();
    }

    /** What a test server is started with. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private AgentTimings timings = AgentTimings.defaults();
        private BillingConfig billing = BillingConfig.manual();
        private Duration preemptNotice = Duration.ZERO;
        private UpkeepConfig upkeep = UpkeepConfig.manual();
        private RateLimits limits = RateLimits.off();
        private UnaryOperator<ServerConfig> change = UnaryOperator.identity();
        /** Snapshots of the market only when a test takes one ({@code app().marketMetrics().snapshot()}). */
        private io.gpumarket.server.notify.NotifyConfig notify =
                io.gpumarket.server.notify.NotifyConfig.defaults().withSnapshots(Duration.ZERO, Duration.ofDays(30));

        private Builder() {}

        /** Webhook and market-metrics settings (e.g. private targets allowed, short retries). */
        public Builder notify(io.gpumarket.server.notify.NotifyConfig notify) {
            this.notify = Objects.requireNonNull(notify, "notify");
            return this;
        }

        /** The server's clock; a {@link FakeClock} lets the test move time instead of sleeping. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The agent protocol's clocks (heartbeat, unknown/offline thresholds, destroy wait). */
        public Builder agentTimings(AgentTimings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * Billing. Tests run no metering loop by default ({@link BillingConfig#manual()}): they call {@link #tick()}
         * where charges should happen, so time only costs money where a test says so.
         */
        public Builder billing(BillingConfig billing) {
            this.billing = Objects.requireNonNull(billing, "billing");
            return this;
        }

        /**
         * The preemption notice window for bids. With manual billing no bid loop runs either: tests end notices by
         * calling {@code app().bids().expireNotices()} after moving the clock.
         */
        public Builder preemptNotice(Duration notice) {
            this.preemptNotice = Objects.requireNonNull(notice, "notice");
            return this;
        }

        /**
         * Machine upkeep. Tests run no upkeep loop by default ({@link UpkeepConfig#manual()}): they call
         * {@link #refreshReliability()} where reliability should be recomputed.
         */
        public Builder upkeep(UpkeepConfig upkeep) {
            this.upkeep = Objects.requireNonNull(upkeep, "upkeep");
            return this;
        }

        /**
         * Rate limits. By default none ({@link RateLimits#off()}): tests fire requests as fast as they can, and many
         * send bad keys on purpose.
         */
        public Builder rateLimits(RateLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** One more change to the server's settings (a flag, say), applied after the others. */
        public Builder config(UnaryOperator<ServerConfig> change) {
            UnaryOperator<ServerConfig> before = this.change;
            this.change = c -> change.apply(before.apply(c));
            return this;
        }

        /** A server started now; the caller closes it. */
        public TestServer start() {
            TestServer server = new TestServer(copy());
            server.open();
            return server;
        }

        /** A server for {@code @RegisterExtension static final}: JUnit starts it before the class and stops it after. */
        public TestServer perClass() {
            return new TestServer(copy());
        }

        private Builder copy() {
            Builder b = new Builder();
            b.clock = clock;
            b.timings = timings;
            b.billing = billing;
            b.preemptNotice = preemptNotice;
            b.upkeep = upkeep;
            b.limits = limits;
            b.change = change;
            b.notify = notify;
            return b;
        }
    }

    public static TestServer start() {
        return builder().start();
    }

    public static TestServer start(Clock clock) {
        return builder().clock(clock).start();
    }

    /** A server with its agent-protocol clocks set (heartbeat, unknown/offline thresholds, destroy wait). */
    public static TestServer start(Clock clock, AgentTimings timings) {
        return builder().clock(clock).agentTimings(timings).start();
    }

    /** … and its billing ({@link Builder#billing}). */
    public static TestServer start(Clock clock, AgentTimings timings, BillingConfig billing) {
        return builder().clock(clock).agentTimings(timings).billing(billing).start();
    }

    /** … and a preemption notice window for bids ({@link Builder#preemptNotice}). */
    public static TestServer start(Clock clock, AgentTimings timings, BillingConfig billing, Duration preemptNotice) {
        return builder()
                .clock(clock)
                .agentTimings(timings)
                .billing(billing)
                .preemptNotice(preemptNotice)
                .start();
    }

    /** A server with its machine upkeep set too ({@link Builder#upkeep}). */
    public static TestServer start(Clock clock, AgentTimings timings, BillingConfig billing, UpkeepConfig upkeep) {
        return builder()
                .clock(clock)
                .agentTimings(timings)
                .billing(billing)
                .upkeep(upkeep)
                .start();
    }

    public static TestServer start(
            Clock clock, AgentTimings timings, BillingConfig billing, Duration preemptNotice, UpkeepConfig upkeep) {
        return builder()
                .clock(clock)
                .agentTimings(timings)
                .billing(billing)
                .preemptNotice(preemptNotice)
                .upkeep(upkeep)
                .start();
    }

    /** A server with rate limits ({@link Builder#rateLimits}). */
    public static TestServer start(RateLimits limits) {
        return builder().rateLimits(limits).start();
    }

    public static TestServer start(
            Clock clock,
            AgentTimings timings,
            BillingConfig billing,
            Duration preemptNotice,
            UpkeepConfig upkeep,
            RateLimits limits) {
        return builder()
                .clock(clock)
                .agentTimings(timings)
                .billing(billing)
                .preemptNotice(preemptNotice)
                .upkeep(upkeep)
                .rateLimits(limits)
                .start();
    }

    /** A server with the defaults of {@link #start()} and one more change to its settings (a flag, say). */
    public static TestServer start(UnaryOperator<ServerConfig> change) {
        return builder().config(change).start();
    }

    private void open() {
        if (app != null) return;
        Builder s = settings;
        try {
            home = Files.createTempDirectory("gpumarket-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ServerConfig c = s.change.apply(ServerConfig.defaults(home)
                    .withListen("127.0.0.1", 0)
                    .withClock(s.clock)
                    .withAgentTimings(s.timings)
                    .withBilling(s.billing)
                    .withPreemptNotice(s.preemptNotice)
                    .withUpkeep(s.upkeep)
                    .withRateLimits(s.limits));
            if ("postgresql".equals(backend()))
                c = c.withDatabase(PostgresCluster.get().newDatabase(), null, null);
            config = c;
            app = ServerApp.start(c, s.notify);
            adminKey = app.bootstrapAdmin().orElseThrow().secret();
        } catch (RuntimeException | Error e) {
            // Nothing of a half-started server may outlive the failure: JUnit reports it, the rest of the suite runs.
            try {
                stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (startedFor != null || app != null) return; // a nested class shares its outer class's server
        startedFor = context.getUniqueId();
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (!context.getUniqueId().equals(startedFor)) return;
        startedFor = null;
        stop();
    }

    /**
     * Stops the server and starts it again on the same database (a new port): what survives a restart is what the
     * database holds. Keys, accounts and machine tokens stay valid.
     */
    public void restart() {
        ServerApp old = running();
        app = null;
        old.close();
        app = ServerApp.start(config, settings.notify);
    }

    /**
     * Another replica of this server's market (PostgreSQL only): the same database, settings and instance secret, a
     * port of its own. The admin key is this server's. Closing it leaves the database and this server's files alone.
     */
    public TestServer replica() {
        ServerConfig c = running().config();
        if (c.effectiveJdbcUrl().startsWith("jdbc:sqlite:"))
            throw new IllegalStateException("replicas need PostgreSQL (SQLite serves one server)");
        TestServer r = new TestServer(settings);
        r.config = c;
        r.app = ServerApp.start(c, settings.notify);
        r.adminKey = adminKey;
        return r;
    }

    /**
     * A server on a database of its own on PostgreSQL whatever the backend (for replica tests), with the builder's
     * settings.
     */
    public static TestServer onPostgres(Builder settings) {
        return settings.config(c -> c.withDatabase(PostgresCluster.get().newDatabase(), null, null))
                .start();
    }

    /** "sqlite" (default) or "postgresql", from GPUMARKET_TEST_BACKEND. */
    public static String backend() {
        String b = System.getenv("GPUMARKET_TEST_BACKEND");
        return b == null || b.isBlank() ? "sqlite" : b;
    }

    public String url() {
        return "http://127.0.0.1:" + running().port();
    }

    public String api() {
        return url() + "/api/v0";
    }

    public String adminKey() {
        running();
        return adminKey;
    }

    public GpuMarketClient admin() {
        return new GpuMarketClient(url(), adminKey);
    }

    /** $GPUMARKET_HOME of this server (its SQLite file, its instance key secret). */
    public Path home() {
        running();
        return home;
    }

    public ServerApp app() {
        return running();
    }

    /** The clock the server was started with (a {@link FakeClock} where the test moves time). */
    public Clock clock() {
        return settings.clock;
    }

    /**
     * Closes {@code resource} (an agent process, a proxy, a market around this server) when this server stops,
     * before it stops, latest first: it is stopped even when the set-up after it fails. Answers the resource.
     */
    public <T extends AutoCloseable> T closesWith(T resource) {
        closesWith.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    private ServerApp running() {
        if (app == null)
            throw new IllegalStateException("this TestServer is not running: declare it as "
                    + "'@RegisterExtension static final TestServer', or start one with TestServer.start()");
        return app;
    }

    /** A new account; answers its id and key. */
    public Account newUser() {
        int n = USERS.incrementAndGet();
        Map<String, Object> created =
                admin().adminCreateUser("user" + n + "-" + System.nanoTime() + "@test.local", null, false);
        @SuppressWarnings("unchecked")
        long id = ((Number) ((Map<String, Object>) created.get("user")).get("id")).longValue();
        return new Account(
                id, (String) created.get("api_key"), new GpuMarketClient(url(), (String) created.get("api_key")));
    }

    /** A new account with {@code dollars} of credit, deposited by the operator: a renter who can pay. */
    public Account newRenter(double dollars) {
        Account a = newUser();
        credit(a, dollars);
        return a;
    }

    /** A new account with $1000 of credit. */
    public Account newRenter() {
        return newRenter(1000);
    }

    /** Deposits credit as the operator does ({@code PUT /admin/users/{id}/credit/}). */
    public void credit(Account account, double dollars) {
        admin().adminAddCredit(account.id(), dollars, "test credit", null);
    }

    /** One metering tick (charges up to the clock's now, then stops what the balances say must stop). */
    public Tick tick() {
        return running().meter().tick();
    }

    /** Recomputes every machine's reliability now, as the upkeep loop does; how many changed. */
    public int refreshReliability() {
        return running().reliability().refreshAll();
    }

    /** Registers and lists a machine as {@code host}, then sets what the operator says of it. */
    public long listMachine(
            Account host, MachineRegistration machine, double pricePerGpuHour, Map<String, Object> operator) {
        long id = host.client().registerMachine(machine).machineId();
        host.client()
                .listMachine(new ListMachineRequest(id, pricePerGpuHour, 0.15, 0.01, 0.01, null, 1, null, null, null));
        if (operator != null && !operator.isEmpty()) admin().adminSetMachine(id, operator);
        return id;
    }

    /**
     * Registers and lists a machine as {@code host} like {@link #listMachine}, and keeps the machine token its
     * agent authenticates with.
     */
    public Hosted hostMachine(
            Account host, MachineRegistration machine, double pricePerGpuHour, Map<String, Object> operator) {
        var registered = host.client().registerMachine(machine);
        host.client()
                .listMachine(new ListMachineRequest(
                        registered.machineId(), pricePerGpuHour, 0.15, 0.01, 0.01, null, 1, null, null, null));
        if (operator != null && !operator.isEmpty()) admin().adminSetMachine(registered.machineId(), operator);
        return new Hosted(registered.machineId(), registered.machineToken());
    }

    /** An agent for the machine, speaking the protocol over plain HTTP. */
    public TestAgent agent(Hosted machine) {
        return new TestAgent(url(), machine.token());
    }

    public record Account(long id, String key, GpuMarketClient client) {}

    /** A registered, listed machine and its agent's token. */
    public record Hosted(long id, String token) {}

    /** Stops what {@link #closesWith} was given, then the server, then removes its files; twice is harmless. */
    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test server: " + e.getMessage(), e);
        }
    }

    private void stop() throws Exception {
        Exception failure = null;
        while (!closesWith.isEmpty()) {
            try {
                closesWith.pop().close();
            } catch (Exception e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (app != null) {
            try {
                app.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
            app = null;
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
            home = null;
        }
        if (failure != null) throw failure;
    }
}
