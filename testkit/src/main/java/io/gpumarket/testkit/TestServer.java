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
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A whole server on a free port with a database of its own: a temp SQLite file, or a fresh PostgreSQL database
 * when {@code GPUMARKET_TEST_BACKEND=postgresql} (CI runs the suite both ways). Tests talk to it over HTTP as
 * any client would.
 */
public final class TestServer implements AutoCloseable {
    private static final AtomicInteger USERS = new AtomicInteger();
    private final Path home;
    private final ServerConfig config;
    private ServerApp app;
    private final String adminKey;

    private TestServer(Path home, ServerConfig config, ServerApp app) {
        this.home = home;
        this.config = config;
        this.app = app;
        this.adminKey = app.bootstrapAdmin().orElseThrow().secret();
    }

    /**
     * Stops the server and starts it again on the same database (a new port): what survives a restart is what the
     * database holds. Keys, accounts and machine tokens stay valid.
     */
    public void restart() {
        app.close();
        app = ServerApp.start(config);
    }

    public static TestServer start() {
        return start(Clock.systemUTC());
    }

    public static TestServer start(Clock clock) {
        return start(clock, AgentTimings.defaults());
    }

    /** A server with its agent-protocol clocks set (heartbeat, unknown/offline thresholds, destroy wait). */
    public static TestServer start(Clock clock, AgentTimings timings) {
        return start(clock, timings, BillingConfig.manual());
    }

    /**
     * A server with its billing set too. Tests run no metering loop by default ({@link BillingConfig#manual()}):
     * they call {@link #tick()} where charges should happen, so time only costs money where a test says so.
     */
    public static TestServer start(Clock clock, AgentTimings timings, BillingConfig billing) {
        return start(clock, timings, billing, java.time.Duration.ZERO);
    }

    /**
     * … and a preemption notice window for bids. With manual billing no bid loop runs either: tests end notices by
     * calling {@code app().bids().expireNotices()} after moving the clock.
     */
    public static TestServer start(
            Clock clock, AgentTimings timings, BillingConfig billing, java.time.Duration preemptNotice) {
        return start(clock, timings, billing, preemptNotice, UpkeepConfig.manual());
    }

    /**
     * A server with its machine upkeep set too. Tests run no upkeep loop by default ({@link UpkeepConfig#manual()}):
     * they call {@link #refreshReliability()} where reliability should be recomputed.
     */
    public static TestServer start(Clock clock, AgentTimings timings, BillingConfig billing, UpkeepConfig upkeep) {
        return start(clock, timings, billing, java.time.Duration.ZERO, upkeep);
    }

    public static TestServer start(
            Clock clock,
            AgentTimings timings,
            BillingConfig billing,
            java.time.Duration preemptNotice,
            UpkeepConfig upkeep) {
        return start(clock, timings, billing, preemptNotice, upkeep, RateLimits.off());
    }

    /**
     * A server with rate limits. The other starts set none ({@link RateLimits#off()}): tests fire requests as fast
     * as they can, and many send bad keys on purpose.
     */
    public static TestServer start(RateLimits limits) {
        return start(
                Clock.systemUTC(),
                AgentTimings.defaults(),
                BillingConfig.manual(),
                java.time.Duration.ZERO,
                UpkeepConfig.manual(),
                limits);
    }

    public static TestServer start(
            Clock clock,
            AgentTimings timings,
            BillingConfig billing,
            java.time.Duration preemptNotice,
            UpkeepConfig upkeep,
            RateLimits limits) {
        return start(
                clock, timings, billing, preemptNotice, upkeep, limits, java.util.function.UnaryOperator.identity());
    }

    /** A server with the defaults of {@link #start()} and one more change to its settings (a flag, say). */
    public static TestServer start(java.util.function.UnaryOperator<ServerConfig> change) {
        return start(
                Clock.systemUTC(),
                AgentTimings.defaults(),
                BillingConfig.manual(),
                java.time.Duration.ZERO,
                UpkeepConfig.manual(),
                RateLimits.off(),
                change);
    }

    private static TestServer start(
            Clock clock,
            AgentTimings timings,
            BillingConfig billing,
            java.time.Duration preemptNotice,
            UpkeepConfig upkeep,
            RateLimits limits,
            java.util.function.UnaryOperator<ServerConfig> change) {
        try {
            Path home = Files.createTempDirectory("gpumarket-test");
            ServerConfig config = change.apply(ServerConfig.defaults(home)
                    .withListen("127.0.0.1", 0)
                    .withClock(clock)
                    .withAgentTimings(timings)
                    .withBilling(billing)
                    .withPreemptNotice(preemptNotice)
                    .withUpkeep(upkeep)
                    .withRateLimits(limits));
            if ("postgresql".equals(backend()))
                config = config.withDatabase(PostgresCluster.get().newDatabase(), null, null);
            return new TestServer(home, config, ServerApp.start(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "sqlite" (default) or "postgresql", from GPUMARKET_TEST_BACKEND. */
    public static String backend() {
        String b = System.getenv("GPUMARKET_TEST_BACKEND");
        return b == null || b.isBlank() ? "sqlite" : b;
    }

    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    public String api() {
        return url() + "/api/v0";
    }

    public String adminKey() {
        return adminKey;
    }

    public GpuMarketClient admin() {
        return new GpuMarketClient(url(), adminKey);
    }

    /** $GPUMARKET_HOME of this server (its SQLite file, its instance key secret). */
    public Path home() {
        return home;
    }

    public ServerApp app() {
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
        return app.meter().tick();
    }

    /** Recomputes every machine's reliability now, as the upkeep loop does; how many changed. */
    public int refreshReliability() {
        return app.reliability().refreshAll();
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

    @Override
    public void close() {
        app.close();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
