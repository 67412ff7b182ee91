package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Instances;
import io.gpumarket.cli.client.Instances.SshTarget;
import io.gpumarket.cli.client.Location;
import io.gpumarket.cli.client.Processes;
import io.gpumarket.cli.client.SshOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code copy SRC DST}: rsync over SSH between this machine and an instance, either way, with vastai's location
 * syntax ({@code ID:/path}, {@code C.ID:/path}, {@code local:path}, a bare local path) and rsync's trailing-slash
 * rules. Instance to instance goes through a temporary local directory (two rsyncs), since the two instances
 * cannot reach each other with your key. Progress is shown on a terminal.
 */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = "Copy files between this machine and instances with rsync over ssh.",
        footer = {
            "",
            "Examples: gpumarket copy ./project/ 42:/workspace/project/",
            "          gpumarket copy 42:/workspace/results local:results",
            "          gpumarket copy 42:/workspace/ 43:/workspace/"
        })
public final class CopyCommand extends ClientCommand {
    @Mixin
    SshOptions ssh = new SshOptions();

    @Parameters(index = "0", paramLabel = "SRC")
    String src;

    @Parameters(index = "1", paramLabel = "DST")
    String dst;

    @Override
    protected int run() throws IOException, InterruptedException {
        Location from = Location.parse(src);
        Location to = Location.parse(dst);
        if (from.local() && to.local()) throw new Failure("error: one side of copy must be an instance (ID:/path)");
        out().println("copying " + from + " " + to);
        Processes.require(env(), "rsync");
        Processes.require(env(), "ssh");
        if (!from.local() && !to.local()) return relay(from, to);
        if (to.local()) Files.createDirectories(Path.of(to.path()));
        return rsync(from, to);
    }

    private int relay(Location from, Location to) throws IOException, InterruptedException {
        Path staging = Files.createTempDirectory("gpumarket-copy");
        try {
            int code = rsync(from, new Location(null, staging + "/"));
            if (code != 0) return code;
            return rsync(new Location(null, staging + "/"), to);
        } finally {
            try (Stream<Path> files = Files.walk(staging)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int rsync(Location from, Location to) throws IOException, InterruptedException {
        Location remote = from.local() ? to : from;
        SshTarget target = target(remote.instance());
        List<String> argv = new ArrayList<>(List.of("rsync", "-a", "-z"));
        if (mkpathSupported() && !to.local()) argv.add("--mkpath");
        if (env().terminal()) argv.addAll(List.of("--info=progress2", "--human-readable"));
        argv.addAll(List.of("-e", ssh.rsyncShell(target.port())));
        argv.add(from.local() ? from.path() : "root@" + target.host() + ":" + from.path());
        argv.add(to.local() ? to.path() : "root@" + target.host() + ":" + to.path());
        int code = Processes.run(env(), argv);
        if (code != 0) err().println("error: rsync exited with code " + code);
        return code;
    }

    private SshTarget target(long id) {
        var instance =
                Instances.show(api(), id).orElseThrow(() -> new Failure("error: no instance found with id " + id));
        if (!"running".equals(instance.path("actual_status").asText())) {
            throw new Failure("error: instance " + id + " is "
                    + instance.path("actual_status").asText("not running")
                    + "; copy needs it running (gpumarket wait instance " + id + ")");
        }
        return Instances.sshTarget(instance)
                .orElseThrow(() -> new Failure("error: ssh port not found for instance " + id));
    }

    /** rsync 3.2.3 added --mkpath (create the destination's missing parents); older ones refuse the option. */
    private static boolean mkpathSupported() {
        try {
            Process p = new ProcessBuilder("rsync", "--help")
                    .redirectErrorStream(true)
                    .start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return help.contains("--mkpath");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
