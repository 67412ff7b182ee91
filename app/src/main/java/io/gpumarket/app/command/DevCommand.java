package io.gpumarket.app.command;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.app.dev.DemoMarket;
import io.gpumarket.app.dev.DevAgents;
import io.gpumarket.app.dev.DevLog;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.server.auth.SecureFiles;
import io.gpumarket.server.ratelimit.RateLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gpumarket dev}: a server on a fresh SQLite file with a demo market served by local agents (instances
 * run as sandboxed processes on this host, or as containers with {@code --runtime docker}) and a renter account with credit, ready for the Vast quickstart.
 * The dev database is recreated at every start, so the printed key always works.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Run a server with a demo market; prints the URL and a renter API key.")
public final class DevCommand implements Callable<Integer> {
    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", description = "HOST:PORT (default ${DEFAULT-VALUE})")
    String listen;

    @Option(
            names = "--credit",
            defaultValue = "100",
            description = "the renter's starting credit in dollars (default ${DEFAULT-VALUE})")
    double credit;

    @Option(
            names = "--runtime",
            defaultValue = "process",
            description =
                    "how the demo agents run instances: process or docker (containers via the Docker Engine API) (default ${DEFAULT-VALUE})")
    String runtime;

    @Option(
            names = "--docker-host",
            description =
                    "the engine's socket for --runtime docker (default $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    /** The demo renter's console password: printed in the banner, so not a secret. */
    static final String DEMO_PASSWORD = "demo-renter-password";

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Home.path();
        Path devHome = home.resolve("dev");
        // the dev home holds the database, the instance key secret, the agents' state and the log: ours alone
        SecureFiles.directory(home);
        SecureFiles.ownDirectory(devHome);
        Path log = devHome.resolve("dev.log");
        DevLog.toFile(log);
        deleteDatabase(devHome);
        DevAgents.Runtime rt = new DevAgents.Runtime(runtime, AgentOptions.dockerHost(dockerHost));
        DevAgents.wipe(devHome.resolve("agents"), rt);
        // ten times the server's defaults: the quickstart, scripts and demo agents must never meet a limit
        ServerConfig config = ServerConfig.defaults(devHome).withListen(listen).withRateLimits(RateLimits.dev());
        ServerApp app = ServerApp.start(config);
        String url = "http://" + ServerCommand.displayHost(config.host()) + ":" + app.port();
        String adminKey = app.bootstrapAdmin().orElseThrow().secret();
        GpuMarketClient admin = new GpuMarketClient(url, adminKey);

        String hostKey = (String)
                admin.adminCreateUser("host@demo.local", "demo-host", false).get("api_key");
        Map<String, Object> renter = admin.adminCreateUser("renter@demo.local", "renter", false);
        String renterKey = (String) renter.get("api_key");
        @SuppressWarnings("unchecked")
        long renterId = ((Number) ((Map<String, Object>) renter.get("user")).get("id")).longValue();
        admin.adminAddCredit(renterId, credit, "dev starting credit", "dev-start");
        // a known password for the demo renter's web console sign-in (a dev market is one person's, on loopback)
        admin.raw("PUT", "/api/v0/admin/users/" + renterId + "/password/", Map.of("password", DEMO_PASSWORD));
        List<DemoMarket.Registered> machines = DemoMarket.populate(new GpuMarketClient(url, hostKey), admin);
        // one line per agent as it comes up; what they and the server log goes to the log file
        DevAgents agents = DevAgents.start(
                url,
                devHome.resolve("agents"),
                machines,
                rt,
                m -> System.out.println("  agent up: machine " + m.id() + ", "
                        + m.hardware().numGpus() + "x " + m.hardware().gpuName() + ", ports "
                        + m.hardware().directPortStart() + "-" + m.hardware().directPortEnd() + " (" + rt.name()
                        + " launcher)"));

        Path env = home.resolve("dev.env");
        // keys: 0600 from the start
        SecureFiles.privateFile(
                env,
                "GPUMARKET_URL=" + url + "\nGPUMARKET_API_KEY=" + renterKey + "\n" + "GPUMARKET_ADMIN_KEY=" + adminKey
                        + "\nGPUMARKET_HOST_KEY=" + hostKey + "\n");
        System.out.println();
        System.out.println("gpumarket dev is running with " + machines.size() + " demo machines ("
                + app.market().snapshot().size() + " offers), " + agents.size() + " served by local agents.");
        System.out.println("  URL:      " + url + "   (API under " + url + "/api/v0)");
        System.out.println("  API key:  " + renterKey + "   (renter@demo.local, $" + credit + " credit)");
        System.out.println("  Admin key " + adminKey);
        System.out.println("  Console:  " + url + "/   (sign in as renter@demo.local, password " + DEMO_PASSWORD + ")");
        System.out.println("  Both are in " + env + "; `set -a; . " + env + "; set +a` exports them.");
        System.out.println("  Log:      " + log + "   (server and agents; `tail -f` it to follow)");
        System.out.println(
                "Try: curl -s -H \"Authorization: Bearer $GPUMARKET_API_KEY\" $GPUMARKET_URL/api/v0/users/current/");
        System.out.println("Ctrl-C stops it.");
        ServerCommand.awaitShutdown(agents, app);
        return 0;
    }

    /** A fresh market each start; other files under the dev home (host keys, later agent state) are left alone. */
    private static void deleteDatabase(Path devHome) throws IOException {
        for (String f : new String[] {"gpumarket.db", "gpumarket.db-wal", "gpumarket.db-shm"}) {
            Files.deleteIfExists(devHome.resolve(f));
        }
    }
}
