package io.gpumarket.agent.ssh;

import io.gpumarket.agent.launcher.Launcher;
import java.util.List;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.shell.ShellFactory;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * What each kind of session channel runs inside one instance. Everything runs as the instance's own programs,
 * so the renter's view of the file system is the only one involved: {@code exec} is {@code bash -c <command>}
 * (which is also how {@code scp -O}'s {@code scp -t/-f} and rsync's {@code rsync --server} arrive), a shell is
 * {@code bash -l}, and the {@code sftp} subsystem (sftp, and scp's default SFTP mode) is OpenSSH's
 * {@code sftp-server} found inside the instance, unless the launcher brings its own ({@link Launcher#sftpCommand}).
 * The user {@code vastai_kaalia} (vastai's copy) gets only rsync's daemon, also inside the instance ({@link
 * RsyncDaemon}).
 */
final class InstanceChannels implements CommandFactory, ShellFactory {
    /** Where distributions put OpenSSH's sftp-server (Debian/Ubuntu, Fedora/RHEL, Alpine, Arch). */
    static final String SFTP_SERVER = """
            for p in /usr/lib/openssh/sftp-server /usr/libexec/openssh/sftp-server /usr/lib/ssh/sftp-server \
            /usr/libexec/sftp-server /usr/lib/sftp-server; do [ -x "$p" ] && exec "$p"; done
            echo "gpumarket: no sftp-server in this instance (Debian package openssh-sftp-server); scp -O and rsync still work" >&2
            exit 127
            """;

    private final Launcher launcher;
    private final long instanceId;
    private final DoorTraffic traffic;
    private final boolean filesOnly;

    /**
     * @param filesOnly the instance is stopped: only {@code vastai_kaalia}'s rsync daemon is served (over its files at
     *                  rest); a shell, a command or sftp as any other user is refused, saying why
     */
    InstanceChannels(Launcher launcher, long instanceId, DoorTraffic traffic, boolean filesOnly) {
        this.traffic = traffic;
        this.launcher = launcher;
        this.instanceId = instanceId;
        this.filesOnly = filesOnly;
    }

    private Refusal stopped() {
        return new Refusal(
                "instance " + instanceId + " is stopped: only vastai copy reaches its files; start it to log in");
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        if (copyUser(channel)) {
            boolean readOnly = Boolean.TRUE.equals(channel.getSession().getAttribute(CopyTickets.COPY_SESSION));
            return RsyncDaemon.command(command, instanceId, launcher.rsyncCommand(), readOnly)
                    .<Command>map(
                            argv -> new InstanceCommand(launcher, instanceId, argv, InstanceCommand.Pty.FILES, traffic))
                    .orElseGet(() -> new Refusal(RsyncDaemon.USER + " only runs rsync's daemon (vastai copy)"));
        }
        if (filesOnly) return stopped();
        return new InstanceCommand(
                launcher, instanceId, List.of("bash", "-c", command), InstanceCommand.Pty.IF_REQUESTED, traffic);
    }

    @Override
    public Command createShell(ChannelSession channel) {
        if (copyUser(channel)) return new Refusal(RsyncDaemon.USER + " has no shell; log in as root");
        if (filesOnly) return stopped();
        return new InstanceCommand(
                launcher, instanceId, List.of("bash", "-l"), InstanceCommand.Pty.IF_REQUESTED, traffic);
    }

    /** Vast's copy user: its sessions get rsync's daemon and nothing else ({@link RsyncDaemon}). */
    private static boolean copyUser(ChannelSession channel) {
        return RsyncDaemon.USER.equals(channel.getSession().getUsername());
    }

    SubsystemFactory sftp() {
        return new SubsystemFactory() {
            @Override
            public String getName() {
                return "sftp";
            }

            @Override
            public Command createSubsystem(ChannelSession channel) {
                if (copyUser(channel)) return new Refusal(RsyncDaemon.USER + " has no sftp; log in as root");
                if (filesOnly) return stopped();
                List<String> own = launcher.sftpCommand();
                return new InstanceCommand(
                        launcher,
                        instanceId,
                        own.isEmpty() ? List.of("bash", "-c", SFTP_SERVER) : own,
                        InstanceCommand.Pty.NEVER,
                        traffic);
            }
        };
    }
}
