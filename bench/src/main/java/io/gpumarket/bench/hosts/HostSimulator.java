package io.gpumarket.bench.hosts;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.bench.Environment;
import io.gpumarket.bench.Samples;
import io.gpumarket.bench.StoreLoader;
import io.gpumarket.bench.load.ErrorCounts;
import io.gpumarket.bench.load.LoadClients;
import io.gpumarket.bench.load.LoadedDatabase;
import io.gpumarket.bench.load.PostgresProcesses;
import io.gpumarket.bench.load.ProcStats;
import io.gpumarket.bench.load.Renting;
import io.gpumarket.bench.load.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * N simulated host agents against a real server process, for a bounded time: each agent is one virtual thread that
 * speaks the real agent protocol with its machine's token ({@code POST /api/v0/agent/sync/}) the way {@code SyncLoop}
 * does: a first sync that answers at once, then long polls back to back, each asking to be held for 6/10 of the
 * heartbeat the server announced (the server holds it until the machine's desired state changes, at most that long).
 * Machines with a running instance (a fraction, rented through the real route before the run) also push reports as
 * the agent's pusher does: {@code loading}, {@code running}, then usage (CPU, disk, traffic counters) at random
 * intervals around {@code --report-every}.
 *
 * <p>What it prints: syncs per second achieved against the rate the agents ask for, how late each agent's heartbeat
 * came, errors by kind, the server process's CPU (and PostgreSQL's) and resident memory from /proc, sync latency
 * beyond the hold, and a probe's {@code GET /users/current/} latency (does the server still answer a person?).
 * The simulator itself must stay cheap: parked virtual threads, a few JDK HTTP/1.1 clients with keep-alive.
 */
public final class HostSimulator {
    private static final String USAGE = """
            usage: bench/run.sh hosts [options]
              --agents N          simulated agents, one machine each (default 10000)
              --seconds S         measured seconds after the ramp (default 120)
              --db KIND           sqlite (default) or postgresql (a throwaway cluster)
              --running F         fraction of machines with a running instance that reports usage (default 0.2)
              --report-every S    mean seconds between a running instance's usage reports (default 15)
              --ramp S            agents start spread over this many seconds, not measured (default 10)
              --clients K         JDK HttpClients the agents share, to spread connections (default 16)
              --server-jvm OPTS   JVM options of the server process after ./gpumarket server's own, space-separated
            """;

    private final Options o;
    private final ServerProcess server;
    private final HttpClient[] clients;
    private final List<Long> machines;
    private volatile boolean stopping;
    /** The idle long poll the server announced last (SyncResponse.holdSeconds; 6 s from a server that does not say). */
    private volatile int announcedHold = 6;

    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureTo = Long.MAX_VALUE;

    private final LongAdder polls = new LongAdder();
    private final LongAdder pollsWoken = new LongAdder();
    private final LongAdder pushes = new LongAdder();
    private final LongAdder allSyncs = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger agentsUp = new AtomicInteger();
    private final ErrorCounts errors = new ErrorCounts();
    private final ErrorCounts probeErrors = new ErrorCounts();
    private final Samples beyondHold = new Samples();
    private final Samples pushLatency = new Samples();
    private final Samples firstLatency = new Samples();
    private final Samples probeLatency = new Samples();
    private final long[] lastOk;
    private final long[] maxGap;

    private HostSimulator(Options o, ServerProcess server, List<Long> machines) {
        this.o = o;
        this.server = server;
        this.machines = machines;
        this.clients = new HttpClient[o.clients];
        for (int i = 0; i < clients.length; i++) {
            clients[i] =
                    LoadClients.builder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        this.lastOk = new long[machines.size()];
        this.maxGap = new long[machines.size()];
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        String startUptime = Environment.uptime();
        System.err.printf("hosts: %,d agents, %s, loading the market… (%s)%n", o.agents, o.db, startUptime);
        int[] rented = {0};
        try (LoadedDatabase db = LoadedDatabase.create(o.db, o.agents, (url, admin, market, store) -> {
            // the renter gets credit through the admin route, so that the meter's credit guard leaves the instances be
            long renter =
                    Renting.newRenter(url, admin, "hosts-renter", 100_000_000).id();
            rented[0] = RunningInstances.plant(store, market, Renting.wholeMachineOffers(market, 7), renter, (int)
                    Math.round(o.running * o.agents));
        })) {
            System.err.printf(
                    "hosts: market loaded in %.1f s (%,d instances rented); starting the server process…%n",
                    db.loadMillis() / 1e3, rented[0]);
            long t0 = System.nanoTime();
            try (ServerProcess server = ServerProcess.start(db.home(), db.jdbcUrl(), o.serverJvm)) {
                double serverStart = (System.nanoTime() - t0) / 1e9;
                List<Long> ids =
                        db.market().machines().stream().map(m -> m.id()).toList();
                HostSimulator sim = new HostSimulator(o, server, ids);
                String report = sim.run(db, startUptime, serverStart, rented[0]);
                System.out.println(report);
                Path out = Path.of(System.getProperty("bench.out", "bench/target"));
                if (Files.isDirectory(out)) {
                    Files.writeString(out.resolve("hosts-" + o.db + "-" + o.agents + ".md"), report);
                }
            }
        }
        System.exit(0);
    }

    private String run(LoadedDatabase db, String startUptime, double serverStart, int rented) throws Exception {
        PostgresProcesses pg = db.postgres();
        long start = System.nanoTime();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < machines.size(); i++) {
            int index = i;
            long delay = (long) (o.ramp * 1e9 * i / machines.size());
            threads.submit(() -> {
                agent(index, start + delay, threads);
                return null;
            });
        }
        threads.submit(() -> probe(db.adminKey()));

        // The timeline: every 10 s what the interval gave, so a stall shows when it began.
        List<String> timeline = new ArrayList<>();
        timeline.add(
                "| t s | syncs/s | errors | in flight | agents up | server CPU % | PostgreSQL CPU % | server RSS MiB | load (1 min) |");
        timeline.add("|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        long rampEnd = start + (long) (o.ramp * 1e9);
        long end = rampEnd + (long) (o.seconds * 1e9);
        long lastT = start;
        long lastSyncs = 0;
        long lastErrors = 0;
        long lastCpu = server.cpuTicks();
        long lastPg = pg == null ? 0 : pg.cpuTicks();
        long windowCpu = -1;
        long windowPg = -1;
        long windowSelf = 0;
        boolean dumped = false;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (windowCpu < 0 && now >= rampEnd) {
                measureFrom = now;
                measureTo = end;
                windowCpu = server.cpuTicks();
                windowPg = pg == null ? 0 : pg.cpuTicks();
                windowSelf = ProcStats.cpuTicks(ProcessHandle.current().pid(), false);
                synchronized (this) {
                    java.util.Arrays.fill(maxGap, 0);
                }
            }
            long next = Math.min(end, now + 10_000_000_000L);
            if (windowCpu < 0) next = Math.min(next, rampEnd);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            long t = System.nanoTime();
            long syncs = allSyncs.sum();
            long errs = errors.total();
            long cpu = server.cpuTicks();
            long pgCpu = pg == null ? 0 : pg.cpuTicks();
            long[] rss = server.rssKb();
            timeline.add(String.format(
                    Locale.ROOT,
                    "| %.0f | %,.0f | %,d | %,d | %,d | %.0f | %s | %,d | %s |",
                    (t - start) / 1e9,
                    (syncs - lastSyncs) / ((t - lastT) / 1e9),
                    errs - lastErrors,
                    inFlight.get(),
                    agentsUp.get(),
                    ProcStats.percentOfCore(cpu - lastCpu, t - lastT),
                    pg == null
                            ? ""
                            : String.format(Locale.ROOT, "%.0f", ProcStats.percentOfCore(pgCpu - lastPg, t - lastT)),
                    rss[0] / 1024,
                    Environment.loadAverages().split(",")[0]));
            System.err.println("hosts: " + timeline.getLast());
            if (syncs == lastSyncs && t - lastT > 5_000_000_000L && !dumped && server.alive()) {
                Path dump =
                        Path.of(System.getProperty("bench.out", "bench/target")).resolve("hosts-stall-threads.txt");
                System.err.println(
                        "hosts: no sync completed in the interval: the server looks stalled; thread dump → " + dump);
                Thread.ofVirtual().start(() -> server.threadDump(dump)); // jcmd takes seconds on a busy machine
                dumped = true;
            }
            lastT = t;
            lastSyncs = syncs;
            lastErrors = errs;
            lastCpu = cpu;
            lastPg = pgCpu;
        }
        long measuredNanos = System.nanoTime() - measureFrom;
        long serverTicks = server.cpuTicks() - windowCpu;
        long pgTicks = pg == null ? 0 : pg.cpuTicks() - windowPg;
        long[] rss = server.rssKb();
        long selfTicks = ProcStats.cpuTicks(ProcessHandle.current().pid(), false) - windowSelf;
        long[] selfRss = ProcStats.rssKb(ProcessHandle.current().pid());
        String endUptime = Environment.uptime();
        long stuckAtEnd = inFlight.get();
        // Agents whose last answer is older than a heartbeat at the end are late too: count that gap.
        long endT = System.nanoTime();
        int late = 0;
        int unknown = 0;
        int neverUp = 0;
        synchronized (this) {
            for (int i = 0; i < lastOk.length; i++) {
                if (lastOk[i] == 0) {
                    neverUp++;
                    continue;
                }
                long gap = Math.max(maxGap[i], endT - Math.max(lastOk[i], measureFrom));
                if (gap > (announcedHold + 4) * 1_000_000_000L) late++;
                if (gap > 30_000_000_000L) unknown++;
            }
        }
        stopping = true;
        threads.shutdownNow();
        for (HttpClient c : clients) c.shutdownNow();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        String log = Files.exists(server.log()) ? Files.readString(server.log()) : "";
        long busyLines = log.lines().filter(l -> l.contains("SQLITE_BUSY")).count();
        long errorLines = log.lines().filter(l -> l.contains(" ERROR ")).count();
        long warnLines = log.lines().filter(l -> l.contains(" WARN ")).count();

        double seconds = measuredNanos / 1e9;
        int n = machines.size();
        double holdSeconds = announcedHold; // what the server announced last (SyncPacing), as the agents asked it
        StringBuilder r = new StringBuilder();
        r.append(String.format(
                Locale.ROOT, "## Hosts: %,d simulated agents on %s, %.0f s measured%n%n", n, db.backend(), seconds));
        r.append("- machine: ").append(Environment.machine()).append('\n');
        r.append("- load before: `").append(startUptime).append("`\n");
        r.append("- load after: `").append(endUptime).append("`\n");
        r.append(String.format(
                Locale.ROOT,
                "- market: %,d machines loaded in %.1f s; %,d of them with a running instance "
                        + "(usage report every ~%.0f s); server process started (index rebuilt) in %.1f s; JVM options: %s%n",
                n,
                db.loadMillis() / 1e3,
                rented,
                o.reportEvery,
                serverStart,
                String.join(" ", ServerProcess.jvmOptions(o.serverJvm))));
        r.append(String.format(
                Locale.ROOT,
                "- %d HttpClients (HTTP/1.1 keep-alive), agents started over %.0f s (not measured)%n%n",
                o.clients,
                o.ramp));
        r.append("| figure | value |\n|---|--:|\n");
        r.append(String.format(
                Locale.ROOT,
                "| long polls/s answered (needed: %,d agents / %.0f s hold = %,.0f/s) | %,.0f |%n",
                n,
                holdSeconds,
                n / holdSeconds,
                polls.sum() / seconds));
        r.append(String.format(Locale.ROOT, "| … of which woken early by a change | %,d |%n", pollsWoken.sum()));
        r.append(String.format(
                Locale.ROOT,
                "| report syncs/s answered (expected ≈ %,.0f/s) | %,.0f |%n",
                rented / o.reportEvery,
                pushes.sum() / seconds));
        r.append(String.format(
                Locale.ROOT,
                "| agents whose heartbeat came > %d s apart (late: the hold + 4 s) / > 30 s (shown unknown) / never synced | %,d / %,d / %,d |%n",
                announcedHold + 4,
                late,
                unknown,
                neverUp));
        r.append(String.format(
                Locale.ROOT,
                "| long poll beyond the hold p50 / p99 / max ms (%,d samples) | %s |%n",
                beyondHold.count(),
                ms(beyondHold)));
        r.append(String.format(
                Locale.ROOT,
                "| report sync latency p50 / p99 / max ms (%,d samples) | %s |%n",
                pushLatency.count(),
                ms(pushLatency)));
        r.append(String.format(
                Locale.ROOT, "| first sync latency (ramp included) p50 / p99 / max ms | %s |%n", ms(firstLatency)));
        r.append(String.format(Locale.ROOT, "| errors (whole run) | %,d: %s |%n", errors.total(), errors.summary()));
        r.append(String.format(Locale.ROOT, "| requests still unanswered at the end | %,d |%n", stuckAtEnd));
        r.append(String.format(
                Locale.ROOT,
                "| server CPU, %% of one core (measured window) | %.0f %% |%n",
                ProcStats.percentOfCore(serverTicks, measuredNanos)));
        // CPU per sync is far less sensitive to the machine's load than syncs/s: the figure to compare between runs.
        long answered = polls.sum() + pushes.sum();
        double cpuMsPerSync = answered == 0 ? Double.NaN : serverTicks * 1000.0 / ProcStats.TICKS_PER_SECOND / answered;
        double neededPerSecond = n / holdSeconds + rented / o.reportEvery;
        r.append(String.format(
                Locale.ROOT,
                "| server CPU per sync answered / at the needed rate (%,.0f syncs/s) | %.3f ms / %.0f %% of one core |%n",
                neededPerSecond,
                cpuMsPerSync,
                cpuMsPerSync * neededPerSecond / 10));
        if (pg != null) {
            r.append(String.format(
                    Locale.ROOT,
                    "| PostgreSQL CPU, %% of one core | %.0f %% |%n",
                    ProcStats.percentOfCore(pgTicks, measuredNanos)));
        }
        r.append(String.format(
                Locale.ROOT, "| server RSS at the end / peak | %,d / %,d MiB |%n", rss[0] / 1024, rss[1] / 1024));
        r.append(String.format(
                Locale.ROOT,
                "| `GET /users/current/` probe, every 1 s: p50 / p99 / max ms, failures | %s, %s |%n",
                ms(probeLatency),
                probeErrors.total() == 0 ? "0" : probeErrors.summary()));
        r.append(String.format(
                Locale.ROOT,
                "| server log: lines with SQLITE_BUSY / ERROR / WARN | %,d / %,d / %,d |%n",
                busyLines,
                errorLines,
                warnLines));
        r.append(String.format(
                Locale.ROOT,
                "| simulator CPU (measured window, %% of one core) / RSS | %.0f %% / %,d MiB |%n",
                ProcStats.percentOfCore(selfTicks, measuredNanos),
                selfRss[0] / 1024));
        r.append('\n').append(String.join("\n", timeline)).append('\n');
        return r.toString();
    }

    private static String ms(Samples s) {
        if (s.count() == 0) return "–";
        return String.format(
                Locale.ROOT,
                "%,.0f / %,.0f / %,.0f",
                s.p50Micros() / 1e3,
                s.p99Micros() / 1e3,
                s.percentileMicros(100) / 1e3);
    }

    /** One agent: the first sync, then long polls until the end; a pusher for its instances if it has any. */
    private void agent(int index, long startAt, ExecutorService threads) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, startAt - System.nanoTime()));
        long machine = machines.get(index);
        String token = StoreLoader.machineToken(machine);
        HttpClient http = clients[index % clients.length];
        SyncResponse answer = null;
        while (answer == null && !stopping) {
            long t0 = System.nanoTime();
            answer = sync(http, token, new SyncRequest(0, 0, List.of(), List.of(), List.of()), index);
            if (answer != null) record(firstLatency, System.nanoTime() - t0);
            else TimeUnit.SECONDS.sleep(1); // SyncLoop.start retries the first sync every second
        }
        if (answer == null) return;
        agentsUp.incrementAndGet();
        long revision = answer.revision();
        int wait = answer.nextWaitSeconds();
        if (!answer.instances().isEmpty()) {
            List<DesiredInstance> instances = answer.instances();
            long rev = revision;
            threads.submit(() -> {
                pusher(http, token, index, rev, instances);
                return null;
            });
        }
        long backoff = 250;
        while (!stopping) {
            long t0 = System.nanoTime();
            SyncResponse got =
                    sync(http, token, new SyncRequest(revision, wait, List.of(), List.of(), List.of()), index);
            long t1 = System.nanoTime();
            if (got == null) { // SyncLoop's back-off
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
                continue;
            }
            backoff = 250;
            if (inWindow(t0, t1)) {
                polls.increment();
                if (got.revision() != revision) pollsWoken.increment();
                else record(beyondHold, Math.max(0, t1 - t0 - wait * 1_000_000_000L));
            }
            revision = got.revision();
            wait = got.nextWaitSeconds(); // the server lengthens it as the fleet grows, as the agent follows it
            announcedHold = wait;
        }
    }

    /**
     * An instance's agent-side life as the pusher reports it: loading, running a moment later, then usage at random
     * (exponential) intervals around {@code --report-every}: CPU utilisation, disk growing, traffic counters rising.
     */
    private void pusher(HttpClient http, String token, int index, long revision, List<DesiredInstance> instances)
            throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long startedAt = Instant.now().getEpochSecond();
        double disk = 2;
        long rx = 0;
        long tx = 0;
        ActualStatus status = ActualStatus.LOADING;
        int step = 0;
        while (!stopping) {
            List<InstanceReport> reports = new ArrayList<>();
            boolean running = status == ActualStatus.RUNNING;
            for (DesiredInstance d : instances) {
                reports.add(new InstanceReport(
                        d.id(),
                        status,
                        running ? "running (simulated)" : "starting (simulated)",
                        running ? d.sshPort() : 0,
                        disk,
                        running ? random.nextDouble(0.5, 4) : 0,
                        running ? startedAt : 0,
                        d.revision(),
                        running ? rx : null,
                        running ? tx : null,
                        null));
            }
            long t0 = System.nanoTime();
            SyncResponse got = sync(http, token, new SyncRequest(revision, 0, reports, List.of(), List.of()), index);
            long t1 = System.nanoTime();
            if (got != null) {
                if (inWindow(t0, t1)) {
                    pushes.increment();
                    record(pushLatency, t1 - t0);
                }
                if (step++ == 0) {
                    status = ActualStatus.RUNNING;
                    TimeUnit.MILLISECONDS.sleep(random.nextLong(500, 3_000)); // the start itself
                    continue;
                }
            }
            double gap = -Math.log(1 - random.nextDouble()) * o.reportEvery;
            TimeUnit.MILLISECONDS.sleep((long) (Math.min(gap, 10 * o.reportEvery) * 1000));
            disk += random.nextDouble(0, 0.05);
            rx += random.nextLong(1_000_000, 100_000_000);
            tx += random.nextLong(100_000, 10_000_000);
        }
    }

    /** One sync; the answer, or null after counting the error (errors once the run is stopping are not counted). */
    private SyncResponse sync(HttpClient http, String token, SyncRequest body, int index) {
        inFlight.incrementAndGet();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v0/agent/sync/"))
                    .timeout(Duration.ofSeconds(body.waitSeconds() + 30L)) // as the agent's ServerLink
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.mapper().writeValueAsBytes(body)))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                if (!stopping) errors.status(response.statusCode(), errorCode(response.body()));
                return null;
            }
            SyncResponse answer = Wire.mapper().readValue(response.body(), SyncResponse.class);
            allSyncs.increment();
            long now = System.nanoTime();
            synchronized (this) {
                if (lastOk[index] != 0 && now > measureFrom) {
                    maxGap[index] = Math.max(maxGap[index], now - Math.max(lastOk[index], measureFrom));
                }
                lastOk[index] = now;
            }
            return answer;
        } catch (IOException e) {
            if (!stopping) errors.failure(e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Once a second, what a person would ask: is the server still answering a plain read? */
    private Void probe(String apiKey) throws InterruptedException {
        HttpClient http =
                LoadClients.builder().connectTimeout(Duration.ofSeconds(5)).build();
        while (!stopping) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v0/users/current/"))
                                .header("Authorization", "Bearer " + apiKey)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) probeErrors.status(r.statusCode(), errorCode(r.body()));
                else if (inWindow(t0, System.nanoTime())) record(probeLatency, System.nanoTime() - t0);
            } catch (IOException e) {
                if (!stopping) probeErrors.failure(e);
            }
            TimeUnit.MILLISECONDS.sleep(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
        }
        return null;
    }

    private boolean inWindow(long t0, long t1) {
        return t0 >= measureFrom && t1 <= measureTo;
    }

    private static void record(Samples s, long nanos) {
        synchronized (s) {
            s.add(nanos);
        }
    }

    private static String errorCode(byte[] body) {
        try {
            return Wire.mapper().readTree(body).path("error").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private record Options(
            int agents,
            double seconds,
            String db,
            double running,
            double reportEvery,
            double ramp,
            int clients,
            List<String> serverJvm) {
        static Options parse(String[] args) {
            int agents = 10_000;
            double seconds = 120;
            String db = "sqlite";
            double running = 0.2;
            double reportEvery = 15;
            double ramp = 10;
            int clients = 16;
            List<String> jvm = List.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--agents" -> agents = Integer.parseInt(v);
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--db" -> db = v;
                    case "--running" -> running = Double.parseDouble(v);
                    case "--report-every" -> reportEvery = Double.parseDouble(v);
                    case "--ramp" -> ramp = Double.parseDouble(v);
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--server-jvm" ->
                        jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (agents < 1
                    || seconds <= 0
                    || running < 0
                    || running > 1
                    || reportEvery <= 0
                    || ramp < 0
                    || clients < 1) {
                throw new IllegalArgumentException("--agents, --seconds, --report-every, --clients must be positive, "
                        + "--running in [0, 1], --ramp >= 0");
            }
            if (!db.equals("sqlite") && !db.equals("postgresql"))
                throw new IllegalArgumentException("--db must be sqlite or postgresql");
            return new Options(agents, seconds, db, running, reportEvery, ramp, clients, jvm);
        }
    }
}
