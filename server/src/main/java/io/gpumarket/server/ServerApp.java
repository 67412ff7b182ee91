package io.gpumarket.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.agent.AgentLane;
import io.gpumarket.server.agent.LastSeen;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.agent.RemovalWaiters;
import io.gpumarket.server.audit.AuditLog;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.auth.InstanceKeys;
import io.gpumarket.server.auth.MachineTokens;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.server.billing.Meter;
import io.gpumarket.server.console.ConsoleRoutes;
import io.gpumarket.server.console.ConsoleServices;
import io.gpumarket.server.console.ConsoleSessions;
import io.gpumarket.server.http.AccountPagesEndpoint;
import io.gpumarket.server.http.AdminEndpoint;
import io.gpumarket.server.http.AgentEndpoint;
import io.gpumarket.server.http.ApiKeysEndpoint;
import io.gpumarket.server.http.AuditLogsEndpoint;
import io.gpumarket.server.http.BillingEndpoint;
import io.gpumarket.server.http.CopyEndpoint;
import io.gpumarket.server.http.ErrorMapper;
import io.gpumarket.server.http.InstanceLogsEndpoint;
import io.gpumarket.server.http.InstanceSshKeysEndpoint;
import io.gpumarket.server.http.InstancesEndpoint;
import io.gpumarket.server.http.JettyErrors;
import io.gpumarket.server.http.Json;
import io.gpumarket.server.http.LaunchEndpoint;
import io.gpumarket.server.http.MachinesEndpoint;
import io.gpumarket.server.http.MetricsEndpoint;
import io.gpumarket.server.http.PriceIncreasesEndpoint;
import io.gpumarket.server.http.ReportsEndpoint;
import io.gpumarket.server.http.ReservedEndpoint;
import io.gpumarket.server.http.Router;
import io.gpumarket.server.http.ScheduledJobsEndpoint;
import io.gpumarket.server.http.SearchEndpoint;
import io.gpumarket.server.http.SecretsEndpoint;
import io.gpumarket.server.http.ServerlessEndpoint;
import io.gpumarket.server.http.SshKeysEndpoint;
import io.gpumarket.server.http.TemplatesEndpoint;
import io.gpumarket.server.http.TfaEndpoint;
import io.gpumarket.server.http.UsersEndpoint;
import io.gpumarket.server.http.VolumesEndpoint;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.server.metrics.ServerMetrics;
import io.gpumarket.server.ratelimit.RateLimiter;
import io.gpumarket.server.replica.ChangeFeed;
import io.gpumarket.server.replica.LoopLeases;
import io.gpumarket.server.serverless.Autoscaler;
import io.gpumarket.server.serverless.RouteSigner;
import io.gpumarket.server.serverless.ServerlessService;
import io.gpumarket.server.serverless.WorkerReports;
import io.gpumarket.server.service.AccountPagesService;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.AgentService;
import io.gpumarket.server.service.ApiKeyService;
import io.gpumarket.server.service.BidArbiter;
import io.gpumarket.server.service.BidService;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.CopyService;
import io.gpumarket.server.service.CreditGuard;
import io.gpumarket.server.service.EnvVarService;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LaunchService;
import io.gpumarket.server.service.LogService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.MaintenanceService;
import io.gpumarket.server.service.MeterService;
import io.gpumarket.server.service.MigrationService;
import io.gpumarket.server.service.PrepayService;
import io.gpumarket.server.service.PriceIncreaseService;
import io.gpumarket.server.service.ReliabilityService;
import io.gpumarket.server.service.RentService;
import io.gpumarket.server.service.RentedMachines;
import io.gpumarket.server.service.ReportService;
import io.gpumarket.server.service.ScheduledJobService;
import io.gpumarket.server.service.SearchService;
import io.gpumarket.server.service.SshKeyService;
import io.gpumarket.server.service.TemplateService;
import io.gpumarket.server.service.TfaService;
import io.gpumarket.server.service.TransferService;
import io.gpumarket.server.service.UserService;
import io.gpumarket.server.service.VolumeService;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreBusyException;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.AdvisoryLeases;
import io.gpumarket.store.jdbc.ChangeLogReader;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.store.jdbc.ServerLock;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's composition root: every part is built and wired here by hand, in dependency order, and
 * nowhere else. {@link #start} opens the store (running migrations), rebuilds the market index, and listens.
 */
public final class ServerApp implements AutoCloseable {
    /** A connection's input buffer (see where the connector is made). */
    private static final int INPUT_BUFFER_BYTES = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(ServerApp.class);

    private final ServerConfig config;
    /** Set when close begins: requests failing from then on fail because the store is going away. */
    private volatile boolean stopping;

    private final Store store;
    /** Held while this server runs on a SQLite file (null on PostgreSQL). */
    private final ServerLock serverLock;

    private final AccountService accounts;
    private final MachineService machines;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final MeterService meter;
    private final Periodic meterLoop;
    private final Periodic bidLoop;
    private final BidArbiter bids;
    private final ReliabilityService reliability;
    private final Periodic upkeepLoop;
    private final Periodic heartbeatLoop;
    private final Periodic migrationLoop;
    private final Autoscaler autoscaler;
    private final Periodic autoscalerLoop;
    /** Connections the kernel queues for the server to accept (see the connector). */
    static final int ACCEPT_QUEUE = 4096;

    private final LastSeen lastSeen;
    private final AuditLog auditLog;
    private final Periodic auditLoop;
    private final io.gpumarket.server.notify.WebhookService webhooks;
    private final io.gpumarket.server.market.MarketMetrics marketMetrics;
    /** Webhook deliveries and offline machines (one loop per server; docs/webhooks.md says how to make it one). */
    private final Periodic deliveryLoop;

    private final Periodic snapshotLoop;
    private final Periodic jobsLoop;
    /** Which loops this replica leads (all of them on SQLite); docs/high-availability.md. */
    private final LoopLeases leases;
    /** PostgreSQL: other replicas' committed changes into this one's index and long polls (null on SQLite). */
    private ChangeFeed feed;

    private final ChangeLogReader changeLog;
    private final Periodic pruneLoop;
    /** This replica's name in the database (its connections' application_name, the change log's origin). */
    private final String replicaId = "gpumarket-"
            + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    /** False from the start of a drain: /readyz answers 503 so the load balancer sends nothing new here. */
    private volatile boolean ready = true;
    /** Requests begun and not yet answered (a drain waits for them before Jetty stops). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private final Javalin http;
    private final AgentEndpoint agentEndpoint;
    private final Optional<AccountService.NewAccount> bootstrapAdmin;
    private List<Router.Route> routes = List.of();

    private ServerApp(ServerConfig config, io.gpumarket.server.notify.NotifyConfig notify) {
        this.config = config;
        // one server per SQLite file (its one writer lives in this JVM); `admin restore` checks the same lock
        String given = config.effectiveJdbcUrl();
        // PostgreSQL: the pool's connections carry this replica's id, which the change log records as a row's origin
        String url = given.startsWith("jdbc:postgresql:")
                ? given + (given.contains("?") ? "&" : "?") + "ApplicationName=" + replicaId
                : given;
        this.serverLock = url.startsWith("jdbc:sqlite:")
                ? ServerLock.tryAcquire(url)
                        .orElseThrow(() -> new IllegalStateException("another gpumarket server is running on " + url
                                + " (SQLite serves one replica; several replicas need PostgreSQL:"
                                + " docs/high-availability.md)"))
                : null;
        // metrics (docs/operations.md): the store's transactions timed from the start, the rest bound below
        ServerMetrics metrics = new ServerMetrics();
        try {
            this.store = metrics.store(JdbcStore.open(new StoreConfig(url, config.dbUser(), config.dbPassword(), 10)));
        } catch (RuntimeException e) {
            if (serverLock != null) serverLock.close();
            throw e;
        }
        StoreConfig storeConfig = new StoreConfig(given, config.dbUser(), config.dbPassword(), 10);
        this.changeLog = serverLock == null ? new ChangeLogReader(storeConfig, replicaId) : null;
        this.leases = serverLock == null
                ? LoopLeases.shared(new AdvisoryLeases(storeConfig, replicaId), java.time.Clock.systemUTC())
                : LoopLeases.single();
        try {
            // the log's head before the index is read: whatever commits from here on is applied by the feed
            long feedStart = changeLog == null ? 0 : ChangeFeed.head(changeLog);
            this.accounts = new AccountService(store, config.clock());
            this.bootstrapAdmin = accounts.bootstrapAdmin();
            this.market = new MarketIndex(store, GpuCatalog.load());
            InstanceKeys instanceKeys = InstanceKeys.load(config.instanceKeyFile());
            PriceIncreaseService priceIncreases = new PriceIncreaseService(store, config.clock());
            this.machines = new MachineService(
                    store, market, config.upkeep().reliability().initial(), priceIncreases, config.clock());
            MaintenanceService maintenance = new MaintenanceService(store, machines, config.clock());
            ReportService reports = new ReportService(store, machines, config.clock());
            RentedMachines rented = new RentedMachines(store);
            SearchService search = new SearchService(market, rented, config.clock());
            // Instances and the agent protocol: revisions and removal waiters are shared in-memory state.
            this.revisions = new MachineRevisions(config.clock().instant());
            RemovalWaiters removals = new RemovalWaiters();
            AgentTimings timings = config.agents();
            // heartbeats live in memory and are flushed in batches (every few seconds, and first in every tick)
            this.lastSeen = new LastSeen(store, timings.liveness().unknownAfter(), config.clock());
            AgentLane agentLane = new AgentLane();
            MachineTokens machineTokens = new MachineTokens(store, agentLane);
            TemplateService templates = new TemplateService(store, config.clock());
            BidArbiter arbiter = new BidArbiter(store, market, revisions, config.preemptNotice(), config.clock());
            this.bids = arbiter;
            VolumeService volumes = new VolumeService(store, machines, revisions, config.clock());
            RentService rent = new RentService(
                    store,
                    market,
                    revisions,
                    rented,
                    templates,
                    arbiter,
                    instanceKeys,
                    volumes,
                    config.billing().platformFeePpm(),
                    config.clock());
            LaunchService launches = new LaunchService(search, rent, templates);
            WorkerReports workerReports = new WorkerReports(config.clock().instant());
            this.reliability = new ReliabilityService(
                    store,
                    market,
                    config.upkeep().reliability(),
                    timings.liveness().unknownAfter(),
                    config.clock(),
                    lastSeen::flush);
            ApiKeyCache keyCache = new ApiKeyCache(store);
            InstanceService instances = new InstanceService(
                    store,
                    market,
                    revisions,
                    removals,
                    timings.liveness(),
                    timings.destroyWait(),
                    arbiter,
                    keyCache,
                    rented,
                    lastSeen,
                    instanceKeys,
                    config.clock());
            BidService bidChanges = new BidService(store, arbiter, market, revisions, config.clock());
            ScheduledJobService scheduledJobs = new ScheduledJobService(store, instances, bidChanges, config.clock());
            // Billing: the meter (its loop started last, once everything it calls exists) and the billing pages.
            this.meter = new MeterService(
                    new Meter(store, timings.liveness().unknownAfter(), meterClock(config), lastSeen::flush),
                    new CreditGuard(
                            store,
                            instances,
                            revisions,
                            arbiter,
                            config.billing().destroyGrace(),
                            config.clock(),
                            volumes),
                    metrics.billing());
            BillingService billing =
                    new BillingService(store, timings.liveness().unknownAfter(), config.clock());
            TransferService transfers = new TransferService(store, config.clock());
            LogService logs = new LogService(store, instances, revisions, config.clock());
            SshKeyService sshKeys = new SshKeyService(store, revisions, config.clock());
            UserService users = new UserService(store, sshKeys, keyCache);
            ApiKeyService apiKeys = new ApiKeyService(store, keyCache, config.clock());
            io.gpumarket.server.service.TeamService teams =
                    new io.gpumarket.server.service.TeamService(store, keyCache, config.clock());
            io.gpumarket.server.service.SubaccountService subaccounts =
                    new io.gpumarket.server.service.SubaccountService(store, accounts, config.clock());
            // every state-changing call, queued in memory and written in batches (AuditLog says what a crash loses)
            this.auditLog = new AuditLog(store, config.clock());
            EnvVarService envVars = new EnvVarService(store, SecretBox.forEnvVars(instanceKeys), config.clock());
            TfaService tfa = new TfaService(
                    store, new SecretBox(instanceKeys.derivedKey("account totp secrets")), "gpumarket", config.clock());
            CopyService copies = new CopyService(
                    store,
                    instances,
                    revisions,
                    new SecretBox(instanceKeys.derivedKey("copy tickets")),
                    config.clock());
            // cloud copy's connections sealed with a key of their own (docs/copy.md "Cloud copy")
            io.gpumarket.server.service.CloudCopyService cloudCopies = new io.gpumarket.server.service.CloudCopyService(
                    store,
                    instances,
                    revisions,
                    new SecretBox(instanceKeys.derivedKey("cloud connections")),
                    config.clock());
            MigrationService migrations = new MigrationService(
                    store,
                    instances,
                    search,
                    copies,
                    market,
                    revisions,
                    arbiter,
                    rented,
                    config.billing().platformFeePpm(),
                    config.preemptNotice(),
                    config.clock());
            instances.guardStarts(migrations::refuseStartWithoutGpus);
            AgentService agents = new AgentService(
                    store,
                    market,
                    revisions,
                    removals,
                    sshKeys,
                    logs,
                    timings,
                    arbiter,
                    instanceKeys,
                    lastSeen,
                    machineTokens,
                    agentLane,
                    envVars,
                    copies,
                    cloudCopies,
                    migrations,
                    metrics.agents(),
                    config.clock());
            // several replicas: a sync from an agent that last heard another replica is answered from a fresh read
            if (changeLog != null) agents.followReplicas();
            // before listening: a fleet reconnecting after this start is answered from memory (AgentService)
            int primed = agents.primeFleet();
            if (primed > 0) LOG.debug("primed the first syncs of {} machines' agents", primed);
            // notifications and market metrics (docs/webhooks.md): the secrets sealed with a key of their own
            this.webhooks = new io.gpumarket.server.notify.WebhookService(
                    store,
                    new SecretBox(instanceKeys.derivedKey("webhook secrets")),
                    new io.gpumarket.server.notify.WebhookSender(notify.allowPrivateTargets()),
                    notify,
                    timings.liveness().offlineAfter(),
                    config.clock());
            this.marketMetrics = new io.gpumarket.server.market.MarketMetrics(
                    store, GpuCatalog.load(), notify.snapshotRetention(), config.clock());
            Authenticator auth = new Authenticator(store, keyCache, config.clock(), machineTokens);
            // serverless (docs/serverless.md): routing and the workers' reports in memory, the autoscaler's loop below
            RouteSigner routeSigner = new RouteSigner(store, instanceKeys);
            this.autoscaler = new Autoscaler(store, launches, instances, workerReports, routeSigner, config.clock());
            ServerlessService serverless = new ServerlessService(
                    store, templates, instances, autoscaler, workerReports, routeSigner, config.clock());
            metrics.market(store, market, config.clock(), timings.liveness().unknownAfter());
            MetricsEndpoint metricsEndpoint = new MetricsEndpoint(metrics);
            this.agentEndpoint = new AgentEndpoint(agents, logs, copies);
            this.http = Javalin.create(c -> {
                // before any route is added: Javalin's router, trying only the routes whose literal prefix fits
                c.unsafe.internalRouter = new io.gpumarket.server.http.PrefixRouter(
                        c.unsafe.wsRouter, c.unsafe.eventManager, c.unsafe.router, c.unsafe.jetty);
                c.startup.showJavalinBanner = false;
                c.concurrency.useVirtualThreads = true;
                // Requests on virtual threads, but Jetty's acceptor and selectors on platform threads of their own:
                // with everything virtual (Javalin's default) they queued for the same two carriers as thousands of
                // agents' requests, so an overloaded server stopped accepting and reading at all (connect timeouts,
                // then every client retrying: a collapse). The OS schedules these threads apart from the carriers.
                var jettyPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(32, 4);
                jettyPool.setName("jetty");
                jettyPool.setVirtualThreadsExecutor(
                        org.eclipse.jetty.util.VirtualThreads.getNamedVirtualThreadsExecutor("request-"));
                c.jetty.threadPool = jettyPool;
                c.router.ignoreTrailingSlashes = true;
                c.router.treatMultipleSlashesAsSingleSlash = true;
                c.http.maxRequestSize = config.maxBodyBytes();
                c.http.defaultContentType = Json.CONTENT_TYPE;
                c.jetty.host = config.host();
                c.jetty.port = config.port();
                // Jetty's own refusals (414, 431, bad paths, bad Host) in the Vast shape too, not as HTML pages
                c.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
                c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
                // Java's default listen backlog is 50: thousands of agents reconnecting at once overflowed it, and
                // the kernel dropped their SYNs (then retried them seconds later), so requests stalled before the
                // server ever saw them. The kernel caps this at net.core.somaxconn.
                c.jetty.addConnector((server, httpConfig) -> {
                    // Jetty keeps a header cache per connection (a trie of 1,024 entries, built at its second request):
                    // with 1,500 agents the live heap grew ~100 KB per keep-alive connection, so 10,000 agents would
                    // not
                    // fit the server's heap cap. Without it a request's header strings are made afresh (a few hundred
                    // bytes of garbage). docs/benchmarks.md has the memory budget per connection.
                    httpConfig.setHeaderCacheSize(0);
                    var http1 = new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig);
                    // Each connection holds its input buffer (direct memory) while its request is in progress, and a
                    // held long poll is in progress for its whole hold: at Jetty's default of 8 KB, 10,000 agents kept
                    // ~90 MB of direct memory (NMT "Other"). Requests here are small; larger bodies take more reads.
                    // The buffer pool's sizes step by 1 KB, not Jetty's 4 KB, so a 2 KB buffer is not rounded up.
                    http1.setInputBufferSize(INPUT_BUFFER_BYTES);
                    var buffers = new org.eclipse.jetty.io.ArrayByteBufferPool(0, 1024, 65536);
                    var connector =
                            new org.eclipse.jetty.server.ServerConnector(server, null, null, buffers, -1, -1, http1);
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    connector.setAcceptQueueSize(ACCEPT_QUEUE);
                    return connector;
                });
                c.requestLogger.http((ctx, ms) -> {
                    inFlight.decrementAndGet();
                    metricsEndpoint.record(ctx, ms);
                    io.gpumarket.server.http.AccessLog.record(ctx, ms);
                });
                // first of all: the request's id, in its response header and in every log line it causes
                c.routes.before(io.gpumarket.server.http.RequestIds::assign);
                c.routes.before(ctx -> inFlight.incrementAndGet());
                // the load balancer's checks (docs/high-availability.md): alive, and willing to take new requests
                c.routes.get("/healthz", ctx -> Json.write(ctx, 200, HEALTHY));
                c.routes.get("/readyz", ctx -> {
                    // the replica's id and the loops it leads: what an operator (and the replica tests) look at
                    if (ready)
                        Json.write(
                                ctx,
                                200,
                                ("{\"success\": true, \"status\": \"ready\", \"replica\": \"" + replicaId
                                                + "\", \"leads\": ["
                                                + String.join(
                                                        ", ",
                                                        leases.led().stream()
                                                                .map(n -> "\"" + n + "\"")
                                                                .toList())
                                                + "]}")
                                        .getBytes(UTF_8));
                    else Json.write(ctx, 503, DRAINING);
                });
                c.routes.exception(DomainException.class, ErrorMapper::domain);
                c.routes.exception(StoreBusyException.class, ErrorMapper::busy);
                c.routes.exception(
                        HttpResponseException.class, (e, ctx) -> ErrorMapper.http(e, ctx, config.maxBodyBytes()));
                c.routes.exception(Exception.class, (e, ctx) -> {
                    if (stopping) ErrorMapper.stopping(ctx);
                    else ErrorMapper.unexpected(e, ctx);
                });
                Router router =
                        new Router(c.routes, auth, new RateLimiter(config.rateLimits(), metrics.registry()), auditLog);
                new UsersEndpoint(accounts, users, subaccounts).register(router);
                new io.gpumarket.server.http.TeamsEndpoint(teams).register(router);
                new SearchEndpoint(search, !config.searchNeedsKey()).register(router);
                new MachinesEndpoint(machines, maintenance).register(router);
                new ReportsEndpoint(reports).register(router);
                new AdminEndpoint(accounts, machines).register(router);
                // before InstancesEndpoint: its literal paths must win over /instances/{id}
                new PriceIncreasesEndpoint(priceIncreases).register(router);
                new ScheduledJobsEndpoint(scheduledJobs).register(router);
                new ReservedEndpoint(new PrepayService(store, config.clock())).register(router);
                new AccountPagesEndpoint(new AccountPagesService(store, market.catalog(), auditLog::flush))
                        .register(router);
                new InstancesEndpoint(rent, instances, logs, bidChanges).register(router);
                new InstanceLogsEndpoint(logs, cloudCopies::result).register(router);
                new SshKeysEndpoint(sshKeys).register(router);
                new SecretsEndpoint(envVars).register(router);
                new TfaEndpoint(tfa).register(router);
                new CopyEndpoint(copies).register(router);
                new io.gpumarket.server.http.MigrationEndpoint(migrations).register(router);
                new io.gpumarket.server.http.CloudCopyEndpoint(cloudCopies).register(router);
                new AuditLogsEndpoint(auditLog).register(router);
                new InstanceSshKeysEndpoint(sshKeys).register(router);
                new TemplatesEndpoint(templates).register(router);
                new LaunchEndpoint(launches).register(router);
                new ApiKeysEndpoint(apiKeys).register(router);
                agentEndpoint.register(router);
                new BillingEndpoint(billing, transfers).register(router);
                new VolumesEndpoint(volumes, !config.searchNeedsKey()).register(router);
                new io.gpumarket.server.http.NotificationsEndpoint(webhooks).register(router);
                new io.gpumarket.server.http.GpuMetricsEndpoint(marketMetrics).register(router);
                new ServerlessEndpoint(serverless, auth).register(router);
                metricsEndpoint.register(router);
                // the API document is written from the table above, so it comes after every API route
                new io.gpumarket.server.http.OpenApiEndpoint().register(router);
                // the web console at / (docs/console.md): the same services, under the same permission checks
                ConsoleRoutes.register(
                        router,
                        new ConsoleServices(
                                new ConsoleSessions(store, keyCache, tfa, config.clock()),
                                router.limiter(),
                                accounts,
                                search,
                                rent,
                                instances,
                                migrations,
                                logs,
                                sshKeys,
                                billing,
                                machines,
                                store,
                                tfa,
                                apiKeys,
                                envVars,
                                templates,
                                maintenance,
                                reports,
                                router::catalog,
                                timings.liveness().unknownAfter(),
                                lastSeen,
                                config.clock()));
                routes = router.table();
            });
            Duration every = config.billing().meterInterval();
            // loops that must run once across replicas run where their lease is held (LoopLeases.guard)
            this.meterLoop = every.isZero()
                    ? null
                    : new Periodic("billing-meter", every, leases.guard("billing-meter", meter::tick));
            // preemption notices run out on their own clock; without a notice window there is nothing to wait for, and
            // a
            // server whose meter is ticked by hand (tests) ends notices by hand too (bids().expireNotices())
            this.bidLoop = config.preemptNotice().isZero() || every.isZero()
                    ? null
                    : new Periodic(
                            "preemption-notices",
                            Duration.ofSeconds(1),
                            leases.guard("preemption-notices", arbiter::expireNotices));
            // migrations resume from the database after a restart (docs/migrate.md); one replica drives them
            this.migrationLoop =
                    new Periodic("migrations", Duration.ofSeconds(1), leases.guard("migrations", migrations::tick));
            this.heartbeatLoop = new Periodic("heartbeat-flush", LastSeen.FLUSH_EVERY, lastSeen::flush);
            // as the bid loop: a server whose meter is ticked by hand (tests) ticks the autoscaler by hand too
            this.autoscalerLoop = every.isZero()
                    ? null
                    : new Periodic(
                            "serverless-autoscaler",
                            Autoscaler.EVERY,
                            leases.guard("serverless-autoscaler", autoscaler::tick));
            this.auditLoop = new Periodic("audit-flush", AuditLog.FLUSH_EVERY, auditLog::flush);
            this.deliveryLoop = new Periodic(
                    "webhook-delivery", notify.deliverEvery(), leases.guard("webhook-delivery", webhooks::deliverDue));
            this.snapshotLoop = notify.snapshotEvery().isZero()
                    ? null
                    : new Periodic(
                            "market-snapshots",
                            notify.snapshotEvery(),
                            leases.guard("market-snapshots", marketMetrics::snapshot));
            // scheduled jobs read the clock each turn: a job due while the server was down runs at its first turn
            this.jobsLoop = new Periodic(
                    "scheduled-jobs", Duration.ofSeconds(1), leases.guard("scheduled-jobs", scheduledJobs::runDue));
            Duration upkeep = config.upkeep().interval();
            this.upkeepLoop = upkeep.isZero()
                    ? null
                    : new Periodic("machine-upkeep", upkeep, leases.guard("machine-upkeep", () -> {
                        // one job failing does not keep the other from running
                        try {
                            reliability.refreshAll();
                        } finally {
                            machines.rollListings();
                        }
                    }));
            // PostgreSQL: other replicas' changes followed from the log, which one replica keeps short
            this.pruneLoop = changeLog == null
                    ? null
                    : new Periodic("change-log-prune", PRUNE_EVERY, leases.guard("change-log-prune", () -> {
                        try {
                            ChangeLogReader.prune(storeConfig, replicaId, CHANGE_LOG_KEEP);
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException("cannot prune the market change log", e);
                        }
                    }));
            if (changeLog != null) this.feed = ChangeFeed.start(changeLog, feedStart, replicaId, market, revisions);
        } catch (RuntimeException e) {
            if (feed != null) feed.close();
            else if (changeLog != null) changeLog.close();
            leases.close();
            store.close();
            if (serverLock != null) serverLock.close();
            throw e;
        }
    }

    private static final byte[] HEALTHY = "{\"success\": true, \"status\": \"ok\"}".getBytes(UTF_8);
    private static final byte[] DRAINING =
            "{\"success\": false, \"error\": \"draining\", \"msg\": \"This replica is draining; use another.\"}"
                    .getBytes(UTF_8);

    /**
     * How far a PostgreSQL market's meter loop charges behind now. Each replica writes the contacts it heard within
     * {@code LastSeen}'s delay (a flush every 5 s, a talking machine at most every 10 s), and the meter's leader can
     * flush only its own: charging up to now would price an interval before another replica's contacts in it are
     * durable, and the books would disagree with the history written afterwards. Charging up to now − this lag reads
     * every contact of the interval (a replica that died before writing them loses them, as one server's crash does).
     */
    static final Duration REPLICA_METER_LAG = Duration.ofSeconds(20);

    /** The meter's clock: the server's, behind by {@link #REPLICA_METER_LAG} where its loop runs on PostgreSQL. */
    private Clock meterClock(ServerConfig config) {
        if (serverLock != null || config.billing().meterInterval().isZero()) return config.clock();
        return Clock.offset(config.clock(), REPLICA_METER_LAG.negated());
    }

    /** How often the leader of "change-log-prune" deletes old rows of the change log, and how old they must be. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    static final Duration CHANGE_LOG_KEEP = Duration.ofMinutes(10);

    public static ServerApp start(ServerConfig config) {
        return start(config, io.gpumarket.server.notify.NotifyConfig.defaults());
    }

    /** Starts with the webhook and market-metrics settings given (ServerCommand's flags, tests). */
    public static ServerApp start(ServerConfig config, io.gpumarket.server.notify.NotifyConfig notify) {
        ServerApp app = new ServerApp(config, notify);
        try {
            app.http.start();
        } catch (RuntimeException e) {
            app.close();
            throw new IllegalStateException(
                    "cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
        }
        LOG.info(
                "gpumarket listening on {}:{} ({} database, {} offers)",
                config.host(),
                app.port(),
                app.store.dialect(),
                app.market.snapshot().size());
        return app;
    }

    public int port() {
        return http.port();
    }

    /** The admin account created on first start with an empty database, with its key (shown once). */
    public Optional<AccountService.NewAccount> bootstrapAdmin() {
        return bootstrapAdmin;
    }

    public Store store() {
        return store;
    }

    public MarketIndex market() {
        return market;
    }

    public List<Router.Route> routes() {
        return routes;
    }

    /** Javalin's router as this server built it, console pages included (the route lookup test compares it). */
    public io.javalin.router.InternalRouter httpRouter() {
        return http.unsafe.internalRouter;
    }

    public ServerConfig config() {
        return config;
    }

    /** The billing meter: the loop ticks it every interval; tests (with no loop) tick it directly. */
    public MeterService meter() {
        return meter;
    }

    /** The bid arbiter: the loop ends preemption notices every second; tests (with no loop) call it directly. */
    public BidArbiter bids() {
        return bids;
    }

    /** Reliability: the upkeep loop recomputes it every interval; tests (with no loop) call it directly. */
    public ReliabilityService reliability() {
        return reliability;
    }

    /** Webhooks: the loop delivers every interval; tests may run it directly. */
    public io.gpumarket.server.notify.WebhookService webhooks() {
        return webhooks;
    }

    /** Market metrics: the loop snapshots every interval; tests (with no loop) snapshot directly. */
    public io.gpumarket.server.market.MarketMetrics marketMetrics() {
        return marketMetrics;
    }

    /** The serverless autoscaler: its loop ticks it every second; tests (with no loop) tick it directly. */
    public Autoscaler autoscaler() {
        return autoscaler;
    }

    /** Machines: tests roll rolling listings with it directly. */
    public MachineService machines() {
        return machines;
    }

    /** Whether this replica takes new requests ({@code /readyz}): false from the start of a drain. */
    public boolean ready() {
        return ready;
    }

    /** Which loops this replica runs now (docs/high-availability.md). */
    public LoopLeases leases() {
        return leases;
    }

    /** The change feed that follows other replicas (empty on SQLite). */
    public Optional<ChangeFeed> feed() {
        return Optional.ofNullable(feed);
    }

    /**
     * A rolling restart's stop (SIGTERM): {@code /readyz} answers 503 at once, requests keep being served for
     * {@code grace} (the load balancer's checks see the 503 and send nothing new), the loops' leases are handed over,
     * held long polls are answered (their agents reconnect, through the balancer, to another replica), requests in
     * flight are finished (up to 10 s), and then the server stops.
     */
    public void drain(Duration grace) {
        ready = false;
        LOG.info("draining: /readyz answers 503; stopping in {}", grace);
        try {
            if (!grace.isZero()) Thread.sleep(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        stopping = true;
        ready = false;
        try {
            if (meterLoop != null) meterLoop.close();
            migrationLoop.close();
            if (bidLoop != null) bidLoop.close();
            if (autoscalerLoop != null) autoscalerLoop.close();
            if (upkeepLoop != null) upkeepLoop.close();
            if (snapshotLoop != null) snapshotLoop.close();
            deliveryLoop.close();
            jobsLoop.close();
            if (pruneLoop != null) pruneLoop.close();
            leases.close(); // the loops stopped: other replicas take them at their next turn
            if (feed != null) feed.close();
            revisions.close();
            try {
                agentEndpoint.awaitHeldAnswers(Duration.ofSeconds(2));
                awaitInFlight(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            http.stop();
            heartbeatLoop.close();
            auditLoop.close();
            try {
                lastSeen.flushAll(); // what was heard since the last flush survives a clean stop
            } catch (RuntimeException e) {
                LOG.warn("the last heartbeats could not be written at shutdown: {}", e.toString());
            }
            try {
                auditLog.flush(); // and so do the last calls' audit entries
            } catch (RuntimeException e) {
                LOG.warn("the last audit entries could not be written at shutdown: {}", e.toString());
            }
        } finally {
            try {
                store.close();
            } finally {
                if (serverLock != null) serverLock.close();
            }
        }
    }

    /** Waits until no request is being served, or {@code max}; the caller's own request (if any) is not counted. */
    private void awaitInFlight(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        // polled: requests end on many threads, and a drain happens once per process
        while (inFlight.get() > 0 && System.nanoTime() < end) Thread.sleep(10);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
