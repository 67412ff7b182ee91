package io.gpumarket.agent.ssh;

import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH channel's program (an exec command, a shell, or the sftp-server subsystem) running inside an instance
 * through {@link Launcher#exec}. Three virtual threads pump its streams (channel to stdin, stdout and stderr to
 * the channel), blocking on the channel's flow-control window rather than buffering, so a 10 GB copy holds
 * 32 KB per stream. The exit status goes back only after both output streams reached EOF, so no output is lost
 * behind it; as with OpenSSH, a background process that keeps the session's stdout open keeps the session open.
 */
final class InstanceCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceCommand.class);
    private static final int BUFFER = 32 * 1024;

    /** Whether the program gets a pseudo-terminal. */
    enum Pty {
        IF_REQUESTED,
        NEVER,
        /** No terminal, and the files of a stopped instance are reached too ({@link Launcher#execFiles}): vastai's copy. */
        FILES
    }

    private final Launcher launcher;
    private final long instanceId;
    private final List<String> command;
    private final Pty ptyPolicy;
    private final DoorTraffic traffic;
    private final AtomicBoolean exited = new AtomicBoolean();
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback callback;
    private volatile Process process;

    InstanceCommand(Launcher launcher, long instanceId, List<String> command, Pty ptyPolicy, DoorTraffic traffic) {
        this.traffic = traffic;
        this.launcher = launcher;
        this.instanceId = instanceId;
        this.command = List.copyOf(command);
        this.ptyPolicy = ptyPolicy;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.callback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        Map<String, String> clientEnv = env.getEnv();
        boolean pty = ptyPolicy == Pty.IF_REQUESTED
                && (!env.getPtyModes().isEmpty()
                        || (clientEnv.containsKey(Environment.ENV_TERM)
                                && clientEnv.containsKey(Environment.ENV_COLUMNS)));
        Map<String, String> extra = sessionEnvironment(channel, clientEnv, pty);
        Process p;
        try {
            p = ptyPolicy == Pty.FILES
                    ? launcher.execFiles(instanceId, command, extra)
                    : launcher.exec(instanceId, command, extra, pty);
        } catch (LaunchException e) {
            // Say why on stderr and end the channel like a failed command, after start() has returned.
            Thread.ofVirtual().start(() -> {
                try {
                    err.write(("gpumarket: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                } catch (IOException ignored) {
                    // the client is gone
                }
                finish(255);
            });
            return;
        }
        process = p;
        if (pty) {
            env.addSignalListener(
                    (ch, signal) -> {
                        int cols = number(env.getEnv().get(Environment.ENV_COLUMNS));
                        int rows = number(env.getEnv().get(Environment.ENV_LINES));
                        Thread.ofVirtual().start(() -> launcher.resizeTerminal(p, cols, rows));
                    },
                    Signal.WINCH);
        }
        String name = "ssh-" + instanceId + "-" + p.pid();
        Thread.ofVirtual().name(name + "-in").start(() -> pumpInput(p));
        Thread stdout = Thread.ofVirtual().name(name + "-out").start(() -> pumpOutput(p.getInputStream(), out));
        Thread stderr = Thread.ofVirtual().name(name + "-err").start(() -> pumpOutput(p.getErrorStream(), err));
        Thread.ofVirtual().name(name + "-wait").start(() -> {
            try {
                stdout.join();
                stderr.join();
                finish(p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * The channel closed (client gone, listener closed) or the program finished. A program still running gets
     * SIGTERM, its whole process tree too, the nearest thing to the hangup OpenSSH's sshd gives it.
     */
    @Override
    public void destroy(ChannelSession channel) {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    private void finish(int status) {
        if (!exited.compareAndSet(false, true)) return;
        try {
            out.flush();
            err.flush();
        } catch (IOException ignored) {
            // the channel is closing; the exit status is all that is left to send
        }
        callback.onExit(status);
    }

    /** Channel to the program's stdin; the client's EOF closes stdin (that is how {@code scp -t} knows it is done). */
    private void pumpInput(Process p) {
        byte[] buf = new byte[BUFFER];
        try (OutputStream stdin = p.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                stdin.write(buf, 0, n);
                stdin.flush();
                traffic.toInstances.add(n);
            }
        } catch (IOException e) {
            // the program exited (broken pipe) or the channel closed: either way this direction is done
        }
    }

    private void pumpOutput(InputStream from, OutputStream to) {
        byte[] buf = new byte[BUFFER];
        try (from) {
            int n;
            while ((n = from.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
                traffic.fromInstances.add(n);
            }
        } catch (IOException e) {
            LOG.debug("instance {}: output stream ended early: {}", instanceId, e.getMessage());
        }
    }

    /**
     * What the session adds to the instance's environment: the terminal (type and size, with a PTY), the
     * client's locale (what OpenSSH's default AcceptEnv lets in), and SSH_CONNECTION / SSH_CLIENT.
     */
    private static Map<String, String> sessionEnvironment(
            ChannelSession channel, Map<String, String> clientEnv, boolean pty) {
        Map<String, String> extra = new LinkedHashMap<>();
        clientEnv.forEach((k, v) -> {
            if (k.equals("LANG") || k.startsWith("LC_")) extra.put(k, v);
        });
        if (pty) {
            for (String k : List.of(Environment.ENV_TERM, Environment.ENV_COLUMNS, Environment.ENV_LINES)) {
                if (clientEnv.containsKey(k)) extra.put(k, clientEnv.get(k));
            }
        }
        SocketAddress remote = channel.getSession().getClientAddress();
        SocketAddress local = channel.getSession().getIoSession().getLocalAddress();
        if (remote instanceof InetSocketAddress r && local instanceof InetSocketAddress l) {
            String client = r.getAddress().getHostAddress() + " " + r.getPort();
            extra.put("SSH_CLIENT", client + " " + l.getPort());
            extra.put("SSH_CONNECTION", client + " " + l.getAddress().getHostAddress() + " " + l.getPort());
        }
        return extra;
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
