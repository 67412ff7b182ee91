package io.gpumarket.agent.launcher.docker;

import io.gpumarket.agent.launcher.ArgsCommand;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.limits.ResourceShare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Engine API's create-container body for one instance ({@code POST /containers/create}), built from what the
 * renter asked for and what the host gives the contract. Pure: no engine is called, so the exact request (GPU
 * device request, limits, ports, labels) is unit-tested.
 *
 * <p><b>What runs.</b> Runtype {@code ssh}/{@code jupyter}: the renter reaches the container over the agent's SSH
 * front door, so the container needs no sshd and no entrypoint of its own; it runs {@link #INIT}, which runs
 * {@code onstart} and then idles. Runtype {@code args} ({@link ArgsCommand}): the container as the image makes it,
 * with {@code onstart} (when given) as its Entrypoint and {@code args} (or {@code args_str}, split as a shell
 * would) as its Cmd; without an onstart, the image's entrypoint gets the args in place of its CMD.
 *
 * <p><b>GPUs.</b> On a host with NVIDIA GPUs, a device request for exactly the contract's GPUs (by host index),
 * which the NVIDIA runtime (Docker) or CDI (Podman) turns into device nodes; inside, they are numbered from 0, so
 * {@code CUDA_VISIBLE_DEVICES} is {@code 0..n-1}.
 *
 * @param spec          the instance
 * @param env           its environment ({@link InstanceEnvironment#forContainer})
 * @param name          the container's name
 * @param labels        labels that tie the container to the instance
 * @param gpus          the host GPU indexes of the contract
 * @param nvidia        whether the host's GPUs are real NVIDIA GPUs (declared ones get no device request)
 * @param share         CPU and memory limits
 * @param bindHost      the host address published ports listen on
 * @param toolsDir      host directory mounted read-only at {@link #TOOLS} (the agent's sftp-server); null for none
 */
public record ContainerRequest(
        InstanceSpec spec,
        InstanceEnvironment env,
        String name,
        Map<String, String> labels,
        List<Integer> gpus,
        boolean nvidia,
        ResourceShare share,
        String bindHost,
        String toolsDir) {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([bkmg]?)b?");

    /** Where the agent's helper programs appear inside containers. */
    public static final String TOOLS = "/.gpumarket";

    /**
     * The container's first process for runtypes ssh and jupyter: $1 is onstart. A Jupyter launch (JUPYTER_TOKEN set)
     * starts the image's {@code jupyter} in the background on port 8080 first (lab when JUPYTER_TYPE is lab, in
     * JUPYTER_DIR, else /root; Jupyter reads its token from JUPYTER_TOKEN), or says in the log that the image has none.
     * TERM ends the idle loop at once (pid 1 ignores signals it has no handler for).
     */
    static final String INIT = """
            onstart=$1; shift
            trap 'exit 0' TERM INT
            mkdir -p /root 2>/dev/null; cd /root 2>/dev/null || cd /
            if [ -n "${JUPYTER_TOKEN:-}" ]; then
              if command -v jupyter >/dev/null 2>&1; then
                jmode=notebook; [ "${JUPYTER_TYPE:-}" = lab ] && jmode=lab
                if [ "$jmode" = lab ] && ! jupyter lab --version >/dev/null 2>&1; then
                  jmode=notebook; echo "[gpumarket] jupyter: the image has no JupyterLab; the classic notebook instead"
                fi
                jdir=${JUPYTER_DIR:-/root}; mkdir -p "$jdir" 2>/dev/null
                echo "[gpumarket] jupyter: starting jupyter $jmode on port 8080 in $jdir"
                jupyter "$jmode" --ip=0.0.0.0 --port=8080 --no-browser --allow-root --notebook-dir="$jdir" </dev/null &
              else
                echo "[gpumarket] jupyter: not started: the image has no jupyter command"
              fi
            fi
            if [ -n "$onstart" ]; then
              if command -v bash >/dev/null 2>&1; then bash -c "$onstart" </dev/null; else sh -c "$onstart" </dev/null; fi
            fi
            while :; do sleep 2147483647 & wait $!; done
            """;

    public ContainerRequest {
        labels = Map.copyOf(labels);
        gpus = List.copyOf(gpus);
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", spec.image());
        body.put("Hostname", env.hostname());
        body.put("Env", envList());
        body.put("Labels", new TreeMap<>(labels));
        if (ArgsCommand.replacesEntrypoint(spec)) {
            body.put("Entrypoint", ArgsCommand.entrypoint(spec));
            body.put("Cmd", ArgsCommand.arguments(spec));
        } else if (ArgsCommand.isArgs(spec)) {
            List<String> cmd = ArgsCommand.arguments(spec);
            if (!cmd.isEmpty()) body.put("Cmd", cmd);
        } else {
            body.put(
                    "Entrypoint",
                    List.of("/bin/sh", "-c", INIT, "gpumarket-init", hasOnstart(spec) ? spec.onstart() : ""));
            body.put("Cmd", List.of());
        }
        Map<String, Object> exposed = new TreeMap<>();
        Map<String, Object> bindings = new TreeMap<>();
        new TreeMap<>(spec.ports()).forEach((port, hostPort) -> {
            String key = port.contains("/") ? port : port + "/tcp";
            exposed.put(key, Map.of());
            bindings.put(key, List.of(Map.of("HostIp", bindHost, "HostPort", Integer.toString(hostPort))));
        });
        body.put("ExposedPorts", exposed);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("PortBindings", bindings);
        host.put("NanoCpus", share.nanoCpus());
        host.put("Memory", share.memoryBytes());
        host.put("MemorySwap", share.memoryBytes()); // equal to Memory: no swap beyond the RAM share
        host.put("PidsLimit", (long) share.pids());
        host.put("RestartPolicy", Map.of("Name", "no"));
        if (toolsDir != null) host.put("Binds", List.of(toolsDir + ":" + TOOLS + ":ro"));
        shmSize(spec).ifPresent(bytes -> host.put("ShmSize", bytes));
        if (nvidia && !gpus.isEmpty()) host.put("DeviceRequests", List.of(deviceRequest(gpus)));
        body.put("HostConfig", host);
        return body;
    }

    /**
     * The renter's {@code --shm-size} (PyTorch's data loaders need more than Docker's 64 MB), in Docker's units:
     * a number with an optional b, k, m or g (powers of 1024). The last one given wins; one that does not read
     * is left out (the engine's default applies).
     */
    static Optional<Long> shmSize(InstanceSpec spec) {
        Optional<Long> size = Optional.empty();
        for (List<String> pair : spec.env()) {
            if (pair == null || pair.isEmpty() || pair.get(0) == null) continue;
            String[] flag = pair.get(0).strip().split("\\s+", 2);
            if (!flag[0].equals("--shm-size")) continue;
            String arg = (flag.length > 1 ? flag[1] : pair.size() > 1 && pair.get(1) != null ? pair.get(1) : "")
                    .strip()
                    .toLowerCase();
            Matcher m = SIZE.matcher(arg);
            if (!m.matches()) continue;
            long unit = switch (m.group(2)) {
                case "k" -> 1L << 10;
                case "m" -> 1L << 20;
                case "g" -> 1L << 30;
                default -> 1L;
            };
            size = Optional.of(Long.parseLong(m.group(1)) * unit);
        }
        return size;
    }

    /** The NVIDIA device request for exactly these host GPUs (never a count: Docker refuses both together). */
    static Map<String, Object> deviceRequest(List<Integer> gpus) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Driver", "nvidia");
        r.put("DeviceIDs", gpus.stream().map(String::valueOf).toList());
        r.put("Capabilities", List.of(List.of("gpu")));
        return r;
    }

    private List<String> envList() {
        Map<String, String> vars = new LinkedHashMap<>(env.variables());
        if (nvidia && !gpus.isEmpty()) {
            List<String> visible = new ArrayList<>();
            for (int i = 0; i < gpus.size(); i++) visible.add(Integer.toString(i));
            vars.put("CUDA_VISIBLE_DEVICES", String.join(",", visible));
        }
        List<String> out = new ArrayList<>();
        vars.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static boolean hasOnstart(InstanceSpec spec) {
        return spec.onstart() != null && !spec.onstart().isBlank();
    }
}
