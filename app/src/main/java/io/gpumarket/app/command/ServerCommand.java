package io.gpumarket.app.command;

import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpumarket server}: the control plane, on SQLite under $GPUMARKET_HOME or on PostgreSQL. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the control-plane server.")
public final class ServerCommand implements Callable<Integer> {
    @Option(
            names = "--db",
            description = "JDBC URL: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB "
                    + "(default: SQLite file gpumarket.db under $GPUMARKET_HOME)")
    String db;

    @Option(names = "--db-user", description = "PostgreSQL user (or in the URL)")
    String dbUser;

    @Option(names = "--db-password", description = "PostgreSQL password (or $GPUMARKET_DB_PASSWORD)")
    String dbPassword = System.getenv("GPUMARKET_DB_PASSWORD");

    @Option(
            names = "--listen",
            defaultValue = "0.0.0.0:8080",
            description = "HOST:PORT to listen on (default ${DEFAULT-VALUE})")
    String listen;

    @Mixin
    BillingOptions billing = new BillingOptions();

    @Option(
            names = "--preempt-notice",
            defaultValue = "0",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long a bid instance that loses its GPUs, or a running instance asked to move to another"
                    + " machine, keeps running, told, before it is stopped, e.g. 60 (seconds) or 2m (default"
                    + " ${DEFAULT-VALUE}: at once, as on Vast; docs/bids.md, docs/migrate.md)")
    java.time.Duration preemptNotice;

    @Option(
            names = "--rate-limit",
            paramLabel = "CLASS=COUNT/PERIOD",
            description = "a rate limit per caller (key, machine token, else client IP), repeatable: CLASS is search, "
                    + "instance_write, write, read, agent, admin, public, auth_failures (per client IP) or all; e.g. "
                    + "search=30/1m, agent=off, all=off (defaults and why: docs/security.md \"Rate limits\")")
    java.util.Map<String, String> rateLimits = new java.util.LinkedHashMap<>();

    @Option(
            names = "--instance-key-file",
            paramLabel = "FILE",
            description = "the secret instances' own API keys are derived from, made on first start (default "
                    + "instance-key.secret under $GPUMARKET_HOME); replicas of one market share it (docs/security.md)")
    Path instanceKeyFile;

    @Option(
            names = "--search-needs-key",
            description =
                    "refuse offer search without an API key (a private market); by default search is public, as on "
                            + "Vast (dstack's and SkyPilot's catalogs search without a key), rate-limited per client IP")
    boolean searchNeedsKey;

    @Mixin
    LogOptions log = new LogOptions();

    @Mixin
    NotifyOptions notify = new NotifyOptions();

    @Option(
            names = "--drain-grace",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "on SIGTERM, how long /readyz answers 503 while requests are still served, before the server "
                    + "stops (a rolling restart behind a load balancer: at least its health check's interval × fall; "
                    + "docs/high-availability.md); default 0s")
    java.time.Duration drainGrace = java.time.Duration.ZERO;

    @Option(
            names = "--check",
            description = "check the settings and the database (reachable, schema applied or pending) and exit "
                    + "without serving: 0 ready, 3 migrations pending (a start applies them), 2 not startable")
    boolean check;

    @Override
    public Integer call() {
        log.apply();
        if (check) return ServerCheck.run(this::config);
        ServerApp app = ServerApp.start(config(), notify.config());
        app.bootstrapAdmin().ifPresent(admin -> {
            System.out.println(
                    "First start: created the admin account " + admin.user().email());
            System.out.println("Admin API key (shown once, keep it): " + admin.secret());
        });
        System.out.println(
                "gpumarket server on http://" + displayHost(app.config().host()) + ":" + app.port() + "/api/v0");
        awaitShutdown(() -> app.drain(drainGrace));
        return 0;
    }

    /** The settings the flags give, validated (an invalid one throws, naming the flag). */
    ServerConfig config() {
        ServerConfig defaults = ServerConfig.defaults(Home.path());
        return defaults.withListen(listen)
                .withDatabase(db, dbUser, dbPassword)
                .withBilling(billing.apply(defaults.billing()))
                .withPreemptNotice(preemptNotice)
                .withRateLimits(defaults.rateLimits().with(rateLimits))
                .withInstanceKeyFile(instanceKeyFile)
                .withSearchNeedsKey(searchNeedsKey);
    }

    static String displayHost(String host) {
        return host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }

    static void awaitShutdown(AutoCloseable... closeables) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // shutting down anyway
                }
            }
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
