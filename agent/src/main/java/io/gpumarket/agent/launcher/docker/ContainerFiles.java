package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.PastaNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions over a stopped container's files ({@code DockerLauncher.execFiles}): copies and execute reach a stopped
 * instance as Vast's do, without starting the container (its entrypoint and onstart would run). The engine mounts
 * the container's file system for the session (Podman's {@code POST /libpod/containers/{name}/mount}, what {@code
 * podman mount} does, counted by the engine so a start meanwhile is unaffected) and the command runs in a bubblewrap
 * sandbox whose root is that file system, with the container's binds (its volumes) and the tools directory at
 * {@link ContainerRequest#TOOLS} read only, as in the container.
 *
 * <p>What a session can reach is what the container's root could: its own files, symlinks resolving inside them
 * (the mount is the root of a mount namespace of its own); its own PID, IPC and UTS namespaces; a <b>network
 * namespace of its own connected by pasta</b> exactly as a process instance's is ({@link #NETWORK}: its own address
 * behind a gateway, a DNS relay, no port forwarded in either direction, {@code --no-map-gw} so the host's loopback
 * services — the server, the agents' SSH doors — cannot be reached), so a cloud copy's rclone reaches the renter's
 * storage as it would from the running container, and never through the host's own namespace. Where the host has
 * no pasta the namespace has only loopback. Root keeps only the capabilities it needs to manage its own files
 * (those of Docker's default set that act on files and processes), with no-new-privs. The user is the container's
 * root, which for a rootful engine without a user namespace is the host's root, as it is inside the running
 * container.
 *
 * <p>Needs Podman (Docker's API cannot mount a stopped container: such a session is refused, saying so), a rootful
 * engine whose mounts the agent can see (the agent runs as root beside it), bubblewrap, and for the network pasta
 * (Debian package passt) on the host. The engine unmounts when the session ends.
 *
 * <p>How the network is made (a bash script, {@link #script}): {@code unshare --net} makes the namespace around a
 * placeholder process, pasta attaches to it ({@code --netns /proc/PID/ns/net}) and configures it, and once pasta
 * says it is ready (its pid file) {@code nsenter --net} puts bubblewrap into it. The script stays the session's
 * process and ends pasta and the placeholder when bubblewrap has ended (or when it is told to end).
 */
final class ContainerFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFiles.class);
    /** Of Docker's default capabilities, those that act on the container's own files and processes. */
    private static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FOWNER",
            "CAP_FSETID",
            "CAP_KILL",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SYS_CHROOT",
            "CAP_AUDIT_WRITE");

    /**
     * pasta's options for a session's network: those of the process launcher's isolated sandbox (its own address
     * behind a gateway, DNS relayed, the gateway not mapped to the host, nothing forwarded inwards or outwards by
     * port), docs/security.md.
     */
    static final List<String> NETWORK = Stream.concat(
                    PastaNetwork.args().stream(), Stream.of("-t", "none", "-u", "none"))
            .toList();

    private final EngineClient engine;
    private final Path toolsDir;
    /** The resolver configuration sessions with a network get: pasta's DNS relay as the name server. */
    private final Path resolvConf;

    private final Map<Long, Set<Process>> open = new ConcurrentHashMap<>();

    ContainerFiles(EngineClient engine, Path toolsDir) {
        this.engine = engine;
        this.toolsDir = toolsDir;
        this.resolvConf = writeResolvConf(toolsDir == null ? null : toolsDir.resolveSibling("container-files"));
    }

    /** Starts {@code command} over the stopped container {@code container}'s files (its inspect answer {@code c}). */
    Process session(long instanceId, String container, JsonNode c, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        String bwrap = HostTools.require("bwrap", "bubblewrap");
        Optional<Path> pasta = HostTools.find("pasta");
        if (pasta.isEmpty())
            LOG.warn("no pasta on this host (Debian package passt): a stopped container's files are"
                    + " reached without a network (cloud copy from or to it fails)");
        String root = mount(instanceId, container);
        List<String> argv = new ArrayList<>(List.of(
                bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts"));
        // with pasta the script below made the network namespace and bwrap is put into it; else one with loopback only
        if (pasta.isEmpty()) argv.add("--unshare-net");
        argv.addAll(List.of("--unshare-cgroup-try", "--hostname", "C." + instanceId, "--bind", root, "/"));
        for (JsonNode b : c.path("HostConfig").path("Binds")) {
            String[] parts = b.asText().split(":");
            if (parts.length < 2 || parts[1].equals(ContainerRequest.TOOLS)) continue;
            boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
            argv.addAll(List.of(readOnly ? "--ro-bind" : "--bind", parts[0], parts[1]));
        }
        if (toolsDir != null && toolsDir.toFile().isDirectory())
            argv.addAll(List.of("--ro-bind", toolsDir.toString(), ContainerRequest.TOOLS));
        // the engine gives a running container its resolv.conf by a bind over the image's (a plain file there); a
        // session with a network gets pasta's relay the same way. A symlink there is left alone (it would resolve
        // outside the root while bwrap sets up).
        if (pasta.isPresent()
                && resolvConf != null
                && Files.isRegularFile(Path.of(root, "etc", "resolv.conf"), LinkOption.NOFOLLOW_LINKS))
            argv.addAll(List.of("--ro-bind", resolvConf.toString(), "/etc/resolv.conf"));
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--clearenv"));
        argv.addAll(List.of("--setenv", "PATH", path(c), "--setenv", "HOME", "/root"));
        extraEnv.forEach((k, v) -> {
            if (InstanceEnvironment.validName(k) && v != null) argv.addAll(List.of("--setenv", k, v.replace("\0", "")));
        });
        argv.addAll(List.of("--cap-drop", "ALL"));
        for (String cap : CAPABILITIES) argv.addAll(List.of("--cap-add", cap));
        argv.addAll(List.of("--", "/bin/sh", "-c", "cd /root 2>/dev/null || cd /; exec \"$@\"", "sh"));
        argv.addAll(command);
        List<String> started;
        try {
            started = pasta.isEmpty()
                    ? argv
                    : List.of(HostTools.require("bash", "bash"), "-c", script(argv, pasta.get()));
        } catch (LaunchException e) {
            unmount(instanceId, container);
            throw e;
        }
        ProcessBuilder pb = new ProcessBuilder(started);
        pb.environment().clear();
        pb.environment().put("PATH", HostTools.HOST_PATH);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            unmount(instanceId, container);
            throw new LaunchException("could not open instance " + instanceId + "'s files: " + e.getMessage(), e);
        }
        open.computeIfAbsent(instanceId, k -> ConcurrentHashMap.newKeySet()).add(p);
        p.onExit().thenRun(() -> {
            Set<Process> s = open.get(instanceId);
            if (s != null) s.remove(p);
            unmount(instanceId, container);
        });
        return p;
    }

    /**
     * The session's process with a network: makes the namespace, starts pasta in it, runs {@code bwrap} (the
     * session's stdin, stdout and stderr are its) inside it with {@code nsenter}, and ends pasta and the placeholder
     * afterwards. Exits with the command's status; 125 when the network could not be made (said on stderr).
     */
    static String script(List<String> bwrap, Path pasta) throws LaunchException {
        String unshare = HostTools.require("unshare", "util-linux");
        String nsenter = HostTools.require("nsenter", "util-linux");
        String sleep = HostTools.require("sleep", "coreutils");
        String setpriv = HostTools.require("setpriv", "util-linux");
        List<String> pastaArgs = new ArrayList<>();
        pastaArgs.add(pasta.toString());
        pastaArgs.addAll(NETWORK);
        List<String> enter = new ArrayList<>(List.of(nsenter, "--target", "HOLDER", "--net", "--"));
        enter.addAll(bwrap);
        return """
                set -u
                say() { printf '[gpumarket] %s\\n' "$*" >&2; }
                holder= pasta= sandbox=
                d=$(mktemp -d /tmp/gpumarket-files.XXXXXX) || exit 125
                end() {
                  for p in $sandbox $pasta $holder; do kill "$p" 2>/dev/null; done
                  wait 2>/dev/null; rm -rf "$d"
                }
                trap 'end; exit 143' TERM HUP INT
                host_net=$(readlink /proc/self/ns/net)
                """
                // the placeholder keeps no capability: pasta, which drops most of its own before it opens the
                // namespace,
                // may open a process's namespaces only when that process has no capability pasta lacks
                + quote(unshare) + " --net -- " + quote(setpriv) + " --bounding-set -all --inh-caps -all -- "
                + quote(sleep) + " 2147483647 </dev/null >/dev/null 2>&1 &\n"
                + """
                holder=$!
                while [ "$(readlink /proc/$holder/ns/net 2>/dev/null || true)" = "$host_net" ] \\
                  || [ "$(cat /proc/$holder/comm 2>/dev/null || true)" != sleep ]; do
                  kill -0 "$holder" 2>/dev/null || { say "could not make the session's network namespace"; end; exit 125; }
                  sleep 0.01
                done
                """
                + quoteAll(pastaArgs)
                + " -P \"$d/pid\" --netns \"/proc/$holder/ns/net\" </dev/null >\"$d/log\" 2>&1 &\n"
                + """
                pasta=$!
                until [ -s "$d/pid" ]; do
                  kill -0 "$pasta" 2>/dev/null || { say "pasta could not set up the session's network: $(tail -n 3 "$d/log" | tr '\\n' ' ')"; end; exit 125; }
                  sleep 0.01
                done
                exec 3<&0
                """
                + quoteAll(enter).replace("'HOLDER'", "\"$holder\"") + " <&3 3<&- &\n"
                + """
                sandbox=$!
                exec 3<&-
                rc=0; wait "$sandbox" || rc=$?
                sandbox=
                end
                exit "$rc"
                """;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String quoteAll(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (!b.isEmpty()) b.append(' ');
            b.append(quote(w));
        }
        return b.toString();
    }

    /** pasta's DNS relay as the only name server, with the host's search domains and options. */
    private static Path writeResolvConf(Path dir) {
        if (dir == null) return null;
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("resolv.conf");
            Files.writeString(f, PastaNetwork.resolvConf(), StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", dir, e.getMessage());
            return null;
        }
    }

    /** Ends the instance's sessions over its files (it is about to be removed). */
    void endAll(long instanceId) {
        Set<Process> s = open.remove(instanceId);
        if (s == null) return;
        for (Process p : s) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private String mount(long instanceId, String container) throws LaunchException {
        try {
            EngineClient.Response r = engine.post("/libpod/containers/" + container + "/mount", null);
            if (r.status() == 404
                    && r.message().toLowerCase(java.util.Locale.ROOT).contains("no such container"))
                throw new LaunchException("instance " + instanceId + " has no container on this host");
            if (r.status() == 404)
                throw new LaunchException("this host's container engine cannot open a stopped container's files "
                        + "(Podman's API can, Docker's cannot): start instance " + instanceId + " to reach them");
            if (!r.ok())
                throw new LaunchException(
                        "the engine could not mount instance " + instanceId + "'s files: " + r.message());
            // Podman 4 answers the bare path; a JSON string is read too
            String path = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (path.startsWith("\"")) path = r.json().asText("");
            if (!path.startsWith("/") || !Path.of(path).toFile().isDirectory())
                throw new LaunchException(
                        "the engine mounted instance " + instanceId + "'s files at '" + path
                                + "', which this agent cannot see (a rootless engine? the agent must run beside a rootful one)");
            return path;
        } catch (IOException e) {
            throw new LaunchException("container engine error: " + e.getMessage(), e);
        }
    }

    private void unmount(long instanceId, String container) {
        try {
            EngineClient.Response r = engine.post("/libpod/containers/" + container + "/unmount", null);
            if (!r.ok() && r.status() != 404)
                LOG.warn("instance {}: unmounting its files answered {}: {}", instanceId, r.status(), r.message());
        } catch (IOException e) {
            LOG.warn("instance {}: could not unmount its files: {}", instanceId, e.getMessage());
        }
    }

    /** The container's own PATH (from its configuration), else the usual one. */
    private static String path(JsonNode c) {
        for (JsonNode e : c.path("Config").path("Env")) {
            String kv = e.asText();
            if (kv.startsWith("PATH=")) return kv.substring(5);
        }
        return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    }
}
