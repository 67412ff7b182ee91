package io.gpumarket.agent.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** A session the door will not run: the reason on stderr, exit status 1, as sshd's ForceCommand refusals read. */
final class Refusal implements Command {
    private final String reason;
    private OutputStream err;
    private ExitCallback callback;

    Refusal(String reason) {
        this.reason = reason;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {}

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
        // Answered after start() returns, as the channel expects.
        Thread.ofVirtual().start(() -> {
            try {
                err.write(("gpumarket: " + reason + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException ignored) {
                // the client is gone
            }
            callback.onExit(1);
        });
    }

    @Override
    public void destroy(ChannelSession channel) {}
}
