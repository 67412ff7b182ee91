package io.gpumarket.agent.launcher;

import io.gpumarket.api.agent.JupyterToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment an instance's processes get, and the few Docker flags that mean something without Docker.
 *
 * <p>A renter's {@code env} mixes variables with Docker flags, in the two shapes Vast clients send: the flag and its
 * argument in the key ({@code ["-p 8080:8080", "1"]}, what {@code vastai} sends) or the argument as the value
 * ({@code ["-p", "8080:8080"]}). {@code -e K=V} is a variable, {@code -h name} sets the hostname, {@code -p} is
 * already in the spec's {@code ports}; anything else ({@code -v}, {@code --shm-size} …) needs a container and is
 * listed in {@link #notes()} so the renter can read in the log why it had no effect.
 *
 * <p>Precedence: sane defaults, then the renter's variables, then the variables Vast documents, which the renter
 * cannot override ({@code CONTAINER_API_KEY}, {@code CONTAINER_ID}, {@code VAST_*}, {@code PUBLIC_IPADDR}).
 *
 * @param variables the environment, in a stable order
 * @param hostname  the instance's host name ({@code C.<id>} unless the renter passed {@code -h})
 * @param notes     one line per env entry that was ignored, and why
 */
public record InstanceEnvironment(Map<String, String> variables, String hostname, List<String> notes) {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})");

    public static InstanceEnvironment of(InstanceSpec spec) {
        return build(spec, true);
    }

    /**
     * A container's variables: the same, less the process launcher's defaults (PATH, SHELL …), since a container
     * keeps its image's own (a CUDA image's PATH, say) and only the renter's and Vast's variables are added.
     */
    public static InstanceEnvironment forContainer(InstanceSpec spec) {
        return build(spec, false);
    }

    private static InstanceEnvironment build(InstanceSpec spec, boolean processDefaults) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (processDefaults) {
            vars.put("PATH", DEFAULT_PATH);
            vars.put("HOME", "/root");
            vars.put("USER", "root");
            vars.put("LOGNAME", "root");
            vars.put("SHELL", "/bin/bash");
            vars.put("LANG", "C.UTF-8");
        }
        String hostname = "C." + spec.id();
        List<String> notes = new ArrayList<>();

        for (List<String> pair : spec.env()) {
            if (pair == null || pair.isEmpty() || pair.get(0) == null) continue;
            String key = pair.get(0).strip();
            String value = pair.size() > 1 && pair.get(1) != null ? pair.get(1) : "";
            if (!key.startsWith("-")) {
                if (NAME.matcher(key).matches()) vars.put(key, clean(value));
                else notes.add("ignored env entry '" + key + "': not a valid variable name");
                continue;
            }
            String[] flagAndArg = key.split("\\s+", 2);
            String flag = flagAndArg[0];
            String arg = flagAndArg.length > 1 ? flagAndArg[1].strip() : value.strip();
            switch (flag) {
                case "-e", "--env" -> {
                    int eq = arg.indexOf('=');
                    String name = eq < 0 ? arg : arg.substring(0, eq);
                    if (NAME.matcher(name).matches()) vars.put(name, eq < 0 ? "" : clean(arg.substring(eq + 1)));
                    else notes.add("ignored '" + flag + " " + arg + "': not a valid variable name");
                }
                case "-h", "--hostname" -> {
                    if (HOSTNAME.matcher(arg).matches()) hostname = arg;
                    else notes.add("ignored '" + flag + " " + arg + "': not a valid host name");
                }
                case "-p", "--publish" -> {
                    // Published ports arrive in spec.ports (host port chosen by the agent); VAST_TCP_PORT_n is set
                    // below.
                }
                case "--shm-size" -> {
                    // The container launcher applies it (ContainerRequest); a process has the host's /dev/shm.
                    if (processDefaults)
                        notes.add(
                                "ignored Docker flag '--shm-size " + arg + "': the process launcher runs no container");
                }
                default ->
                    notes.add("ignored Docker flag '" + (flagAndArg.length > 1 ? key : (key + " " + arg).strip())
                            + (processDefaults
                                    ? "': the process launcher runs no container"
                                    : "': not supported by the docker launcher"));
            }
        }

        String label = "C." + spec.id();
        vars.put("CONTAINER_ID", Long.toString(spec.id()));
        vars.put("VAST_CONTAINERLABEL", label);
        if (spec.containerApiKey() != null) vars.put("CONTAINER_API_KEY", spec.containerApiKey());
        // a Jupyter launch: the token the instance shows as jupyter_token, which Jupyter reads as its own token
        if ("jupyter".equals(spec.runtype()) && spec.containerApiKey() != null)
            vars.put("JUPYTER_TOKEN", JupyterToken.of(spec.containerApiKey()));
        if (spec.publicIpaddr() != null) vars.put("PUBLIC_IPADDR", spec.publicIpaddr());
        if (spec.sshPort() > 0) vars.put("VAST_TCP_PORT_22", Integer.toString(spec.sshPort()));
        for (Map.Entry<String, Integer> port : new TreeMap<>(spec.ports()).entrySet()) {
            String[] numberAndProto = port.getKey().split("/", 2);
            String proto = numberAndProto.length > 1 ? numberAndProto[1].toUpperCase() : "TCP";
            if (!numberAndProto[0].chars().allMatch(Character::isDigit)
                    || !(proto.equals("TCP") || proto.equals("UDP"))) {
                notes.add("ignored published port '" + port.getKey() + "': expected e.g. 8080/tcp");
                continue;
            }
            vars.put("VAST_" + proto + "_PORT_" + numberAndProto[0], Integer.toString(port.getValue()));
        }
        return new InstanceEnvironment(Collections.unmodifiableMap(vars), hostname, List.copyOf(notes));
    }

    /** The variables as NUL-separated KEY=VALUE records, the form the instance's init and exec helper read. */
    public byte[] toNulSeparated() {
        StringBuilder b = new StringBuilder();
        variables.forEach((k, v) -> b.append(k).append('=').append(v).append('\0'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** True when {@code name} may be set as an environment variable. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** NUL cannot be stored in an environment variable; it would end the record early. */
    private static String clean(String value) {
        return value.replace("\0", "");
    }
}
