package io.gpumarket.agent.launcher.docker;

import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions inside a container (the SSH door's exec, shell, SFTP, scp and rsync): an Engine API exec created with
 * the command and the session's environment, started over a hijacked connection, and handed back as an
 * {@link ExecProcess}; counted in {@link ExecSessions} from the moment it starts. The shell is bash when the image
 * has it, else sh ({@link #SHELL}).
 */
final class ContainerExec {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerExec.class);
    /** Picks bash when the image has it; the renter's command follows as "$@" ({@code -c CMD} or {@code -l}). */
    static final String SHELL =
            "cd /root 2>/dev/null || cd /; if command -v bash >/dev/null 2>&1; then exec bash \"$@\"; fi; exec sh \"$@\"";

    private final EngineClient engine;
    private final ExecSessions sessions;

    ContainerExec(EngineClient engine, ExecSessions sessions) {
        this.engine = engine;
        this.sessions = sessions;
    }

    /** Starts {@code command} in instance {@code instanceId}'s container {@code container}. */
    Process start(long instanceId, String container, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException("no command to run");
        List<String> argv = argv(command);
        try {
            EngineClient.Response r =
                    engine.post("/containers/" + container + "/exec", createBody(argv, extraEnv, pty));
            if (r.status() == 404)
                throw new LaunchException("instance " + instanceId + " has no container on this host");
            if (r.status() == 409) throw new LaunchException("instance " + instanceId + " is not running");
            if (!r.ok()) throw new LaunchException("could not enter instance " + instanceId + ": " + r.message());
            String execId = r.json().path("Id").asText();
            EngineClient.Connection c = engine.open(
                    "POST",
                    "/exec/" + execId + "/start",
                    Map.of("Detach", false, "Tty", pty),
                    Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
            if (c.status() != 101 && c.status() != 200) {
                String msg = new String(c.body().readAllBytes(), StandardCharsets.UTF_8);
                c.close();
                throw new LaunchException(
                        "could not start a session in instance " + instanceId + ": " + c.status() + " " + msg);
            }
            // Counted before its output thread starts: a session that ends at once is closed after it was opened.
            sessions.opened(instanceId, execId, program(argv));
            ExecProcess p;
            try {
                p = new ExecProcess(engine, execId, c, pty, sessions);
            } catch (IOException | RuntimeException e) {
                c.close();
                sessions.closed(execId);
                throw e;
            }
            if (pty) resize(execId, number(extraEnv.get("COLUMNS")), number(extraEnv.get("LINES")));
            return p;
        } catch (IOException e) {
            throw new LaunchException("could not enter instance " + instanceId + ": " + e.getMessage(), e);
        }
    }

    /** Tells the engine a session's terminal changed size; a failure only costs a badly drawn screen. */
    void resize(String execId, int columns, int rows) {
        if (columns <= 0 || rows <= 0) return;
        try {
            engine.post("/exec/" + execId + "/resize?h=" + rows + "&w=" + columns, null);
        } catch (IOException e) {
            LOG.debug("resizing exec {}: {}", execId, e.getMessage());
        }
    }

    /** {@code bash …} runs through {@link #SHELL} (bash if the image has it, else sh); anything else as given. */
    static List<String> argv(List<String> command) {
        if (!command.getFirst().equals("bash")) return command;
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SHELL, "sh"));
        argv.addAll(command.subList(1, command.size()));
        return argv;
    }

    /**
     * The body of {@code POST /containers/{name}/exec}: attached to all three streams, a TTY when asked, and the
     * session's environment, names the shell cannot take and NUL bytes left out.
     */
    static Map<String, Object> createBody(List<String> argv, Map<String, String> extraEnv, boolean pty) {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("AttachStdin", true);
        create.put("AttachStdout", true);
        create.put("AttachStderr", true);
        create.put("Tty", pty);
        create.put("Cmd", argv);
        List<String> env = new ArrayList<>();
        extraEnv.forEach((k, v) -> {
            if (InstanceEnvironment.validName(k) && v != null) env.add(k + "=" + v.replace("\0", ""));
        });
        create.put("Env", env);
        return create;
    }

    /** The program's name only, for the operator's list: never its arguments, which may carry the renter's secrets. */
    static String program(List<String> argv) {
        String first = argv.getFirst();
        if (argv.size() > 2 && first.equals("/bin/sh") && argv.get(2).equals(SHELL))
            first = argv.size() > 4 ? "shell -c" : "shell";
        return first.substring(first.lastIndexOf('/') + 1);
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
