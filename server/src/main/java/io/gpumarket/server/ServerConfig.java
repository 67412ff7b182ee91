package io.gpumarket.server;

import io.gpumarket.server.ratelimit.RateLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the server needs to start, validated here so a bad value stops it at once with the field named.
 *
 * @param home          {@code $GPUMARKET_HOME}: where the default SQLite file lives
 * @param jdbcUrl       null for the default SQLite file under {@code home}
 * @param host          interface to listen on
 * @param port          0 picks a free port (tests)
 * @param maxBodyBytes  larger request bodies are refused with 400
 * @param agents        heartbeat, unknown/offline thresholds, destroy wait
 * @param billing       meter interval, platform fee, grace period before destroying unpaid instances
 * @param preemptNotice how long a bid that loses its GPUs, or a running instance asked to move to another machine,
 *                      keeps running, told, before it is stopped (docs/bids.md, docs/migrate.md); zero (the default,
 *                      as on Vast) stops it at once
 * @param upkeep        how often machines' reliability is recomputed (and rolling listings extended), and the
 *                      reliability formula's constants (docs/reliability.md)
 * @param rateLimits    requests per caller and route class, failed authentications per client IP (docs/security.md)
 * @param instanceKeyFile the server secret instances' own API keys are derived from (docs/security.md "Secrets at
 *                      rest"); null for {@code instance-key.secret} under {@code home}
 * @param searchNeedsKey whether offer search refuses callers without a key (a private market); false, as on Vast,
 *                      answers anonymous searches, rate-limited per client IP
 */
public record ServerConfig(
        Path home,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String host,
        int port,
        long maxBodyBytes,
        Clock clock,
        AgentTimings agents,
        BillingConfig billing,
        Duration preemptNotice,
        UpkeepConfig upkeep,
        RateLimits rateLimits,
        Path instanceKeyFile,
        boolean searchNeedsKey) {
    public ServerConfig {
        if (home == null) throw new IllegalArgumentException("home must be set");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("listen host must be set");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        if (clock == null) clock = Clock.systemUTC();
        if (agents == null) agents = AgentTimings.defaults();
        if (billing == null) billing = BillingConfig.defaults();
        if (preemptNotice == null) preemptNotice = Duration.ZERO;
        if (preemptNotice.isNegative())
            throw new IllegalArgumentException("preemptNotice must be >= 0, got " + preemptNotice);
        if (upkeep == null) upkeep = UpkeepConfig.defaults();
        if (rateLimits == null) rateLimits = RateLimits.defaults();
        if (instanceKeyFile == null) instanceKeyFile = home.resolve("instance-key.secret");
    }

    public static ServerConfig defaults(Path home) {
        return new ServerConfig(
                home,
                null,
                null,
                null,
                "0.0.0.0",
                8080,
                1 << 20,
                Clock.systemUTC(),
                AgentTimings.defaults(),
                BillingConfig.defaults(),
                Duration.ZERO,
                UpkeepConfig.defaults(),
                RateLimits.defaults(),
                null,
                false);
    }

    public String effectiveJdbcUrl() {
        return jdbcUrl != null
                ? jdbcUrl
                : "jdbc:sqlite:" + home.resolve("gpumarket.db").toAbsolutePath();
    }

    public ServerConfig withListen(String h, int p) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                h,
                p,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(
                home,
                url,
                user,
                password,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withClock(Clock c) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                c,
                agents,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withAgentTimings(AgentTimings a) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                a,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withBilling(BillingConfig b) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                b,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withPreemptNotice(Duration notice) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                notice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withUpkeep(UpkeepConfig u) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                u,
                rateLimits,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withRateLimits(RateLimits r) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                upkeep,
                r,
                instanceKeyFile,
                searchNeedsKey);
    }

    public ServerConfig withInstanceKeyFile(Path file) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                file,
                searchNeedsKey);
    }

    public ServerConfig withSearchNeedsKey(boolean needsKey) {
        return new ServerConfig(
                home,
                jdbcUrl,
                dbUser,
                dbPassword,
                host,
                port,
                maxBodyBytes,
                clock,
                agents,
                billing,
                preemptNotice,
                upkeep,
                rateLimits,
                instanceKeyFile,
                needsKey);
    }

    /** Parses "HOST:PORT", ":PORT" or "PORT". */
    public ServerConfig withListen(String listen) {
        String h = host;
        String p = listen;
        int colon = listen.lastIndexOf(':');
        if (colon >= 0) {
            h = colon == 0 ? host : listen.substring(0, colon);
            p = listen.substring(colon + 1);
        }
        try {
            return withListen(h, Integer.parseInt(p));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, got '" + listen + "'");
        }
    }
}
