package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * (the mount is the root of a mount namespace of its own); its own PID, IPC and UTS namespaces; <b>no network</b>
 * (a namespace with only loopback), so nothing on the host's network is reachable from it; root keeps only the
 * capabilities it needs to manage its own files (those of Docker's default set that act on files and processes),
 * with no-new-privs. The user is the container's root, which for a rootful engine without a user namespace is the
 * host's root, as it is inside the running container.
 *
 * <p>Needs Podman (Docker's API cannot mount a stopped container: such a session is refused, saying so), a rootful
 * engine whose mounts the agent can see (the agent runs as root beside it), and bubblewrap on the host. The engine
 * unmounts when the session ends.
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

    private final EngineClient engine;
    private final Path toolsDir;
    private final Map<Long, Set<Process>> open = new ConcurrentHashMap<>();

    ContainerFiles(EngineClient engine, Path toolsDir) {
        this.engine = engine;
        this.toolsDir = toolsDir;
    }

    /** Starts {@code command} over the stopped container {@code container}'s files (its inspect answer {@code c}). */
    Process session(long instanceId, String container, JsonNode c, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        String bwrap = HostTools.require("bwrap", "bubblewrap");
        String root = mount(instanceId, container);
        List<String> argv = new ArrayList<>(List.of(
                bwrap,
                "--die-with-parent",
                "--new-session",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-net",
                "--unshare-cgroup-try",
                "--hostname",
                "C." + instanceId,
                "--bind",
                root,
                "/"));
        for (JsonNode b : c.path("HostConfig").path("Binds")) {
            String[] parts = b.asText().split(":");
            if (parts.length < 2 || parts[1].equals(ContainerRequest.TOOLS)) continue;
            boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
            argv.addAll(List.of(readOnly ? "--ro-bind" : "--bind", parts[0], parts[1]));
        }
        if (toolsDir != null && toolsDir.toFile().isDirectory())
            argv.addAll(List.of("--ro-bind", toolsDir.toString(), ContainerRequest.TOOLS));
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--clearenv"));
        argv.addAll(List.of("--setenv", "PATH", path(c), "--setenv", "HOME", "/root"));
        extraEnv.forEach((k, v) -> {
            if (InstanceEnvironment.validName(k) && v != null) argv.addAll(List.of("--setenv", k, v.replace("\0", "")));
        });
        argv.addAll(List.of("--cap-drop", "ALL"));
        for (String cap : CAPABILITIES) argv.addAll(List.of("--cap-add", cap));
        argv.addAll(List.of("--", "/bin/sh", "-c", "cd /root 2>/dev/null || cd /; exec \"$@\"", "sh"));
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv);
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
