package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Location;
import io.gpumarket.cli.client.Processes;
import io.gpumarket.cli.client.SshOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code copy SRC DST} as vastai's {@code copy} does it, with vastai's location syntax ({@code ID:/path}, {@code
 * C.ID:/path}, {@code local:path}, a bare local path) and rsync's trailing-slash rules. Between this machine and an
 * instance: {@code PUT /commands/rsync/} says where the instance's SSH door is, then rsync runs its daemon protocol
 * over ssh to {@code vastai_kaalia@ADDR::ID/path} (the agent serves it inside the instance). Instance to instance:
 * {@code PUT /commands/copy_direct/}, the two machines' agents copy between themselves and the destination's
 * {@code status_msg} shows the progress. Progress of a local copy is shown on a terminal.
 */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = "Copy files between this machine and instances, or between instances.",
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
        Map<String, Object> request = body(
                "client_id", "me",
                "src_id", id(from),
                "dst_id", id(to),
                "src_path", from.path(),
                "dst_path", to.path());
        if (!from.local() && !to.local()) {
            JsonNode answer = api().put("/commands/copy_direct/", request);
            out().println(answer.path("msg")
                    .asText("Remote to Remote copy initiated - check instance status bar for progress updates."));
            return 0;
        }
        Processes.require(env(), "rsync");
        Processes.require(env(), "ssh");
        JsonNode door = api().put("/commands/rsync/", request);
        String side = from.local() ? "dst" : "src";
        String addr = door.path(side + "_addr").asText("");
        int port = door.path(side + "_port").asInt(0);
        if (addr.isEmpty() || port <= 0)
            throw new Failure("error: the server named no address to copy through: " + door);
        if (to.local()) Files.createDirectories(Path.of(to.path()));
        return rsync(from, to, addr, port);
    }

    /** The id as vastai sends it: the instance's number as text, null for this machine. */
    private static String id(Location l) {
        return l.local() ? null : Long.toString(l.instance());
    }

    private int rsync(Location from, Location to, String addr, int port) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("rsync", "-a", "-z"));
        if (mkpathSupported() && !to.local()) argv.add("--mkpath");
        if (env().terminal()) argv.addAll(List.of("--info=progress2", "--human-readable"));
        argv.addAll(List.of("-e", ssh.rsyncShell(port)));
        argv.add(from.local() ? from.path() : daemonPath(addr, from));
        argv.add(to.local() ? to.path() : daemonPath(addr, to));
        int code = Processes.run(env(), argv);
        if (code != 0) err().println("error: rsync exited with code " + code);
        return code;
    }

    /** vastai's {@code vastai_kaalia@ADDR::ID/path}: the module is the instance, the path is from its {@code /}. */
    private static String daemonPath(String addr, Location l) {
        String host = addr.contains(":") ? "[" + addr + "]" : addr;
        return "vastai_kaalia@" + host + "::" + l.instance() + "/" + l.path();
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
