package io.gpumarket.agent.ssh;

import io.gpumarket.agent.launcher.Launcher;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way renters reach their instances: one Apache MINA SSHD listener per instance, on the port the server
 * assigned it from the machine's direct range, speaking to stock OpenSSH clients. Public-key authentication only,
 * against the instance's keys ({@link AuthorizedKeys}); every session runs inside the instance through the
 * launcher ({@link InstanceChannels}); all listeners present the same persistent host key ({@link HostKeys}).
 *
 * <p>Port forwarding, agent and X11 forwarding are refused: the listener runs in the agent, on the host's
 * network, and forwarding from there would reach what the instance itself cannot.
 *
 * <p>Listeners live in the agent and end with it; instances do not, so after a restart the agent simply opens
 * them again on the same ports (the new listener binds with SO_REUSEADDR) and the renter's known_hosts still
 * matches.
 */
public final class SshFrontDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshFrontDoor.class);

    private record Listener(
            SshServer server, String host, int port, AuthorizedKeys keys, CopyTickets tickets, boolean filesOnly) {}

    private final Launcher launcher;
    private final KeyPairProvider hostKeys;
    private final Map<Long, Listener> listeners = new ConcurrentHashMap<>();
    /**
     * Each instance's copy tickets, kept apart from its listener: the server's list may arrive before a listener
     * opens (the door of a stopped instance opens after the stop), or across a close and reopen.
     */
    private final Map<Long, CopyTickets> tickets = new ConcurrentHashMap<>();

    private final DoorTraffic traffic = new DoorTraffic();

    /**
     * @param dir      where the host key lives ({@code <state>/ssh}); created if missing, key generated if absent
     * @param launcher runs the sessions inside instances
     * @throws IOException when the host key can be neither read nor generated
     */
    public SshFrontDoor(Path dir, Launcher launcher) throws IOException {
        this.launcher = launcher;
        this.hostKeys = HostKeys.load(dir);
        LOG.info("SSH host key {} ({})", dir.resolve(HostKeys.FILE), HostKeys.fingerprint(hostKeys));
    }

    /**
     * Starts the instance's listener on {@code bindHost:port}, allowing {@code authorizedKeys} in. Idempotent: if
     * it is already open there, only the keys are replaced; if it is open elsewhere, it moves.
     *
     * @throws IOException when the port cannot be bound (the message names it)
     */
    public synchronized void open(long instanceId, String bindHost, int port, List<String> authorizedKeys)
            throws IOException {
        open(instanceId, bindHost, port, authorizedKeys, false);
    }

    /**
     * {@link #open(long, String, int, List)}; with {@code filesOnly} (the instance is stopped) the listener serves
     * only vastai's copy ({@code vastai_kaalia}'s rsync daemon over the instance's files at rest, keys and copy tickets
     * as usual) and refuses every other session, saying why. Switching between the two reopens the listener.
     */
    public synchronized void open(
            long instanceId, String bindHost, int port, List<String> authorizedKeys, boolean filesOnly)
            throws IOException {
        Listener current = listeners.get(instanceId);
        if (current != null
                && current.server().isOpen()
                && current.host().equals(bindHost)
                && current.port() == port
                && current.filesOnly() == filesOnly) {
            current.keys().set(authorizedKeys);
            return;
        }
        CopyTickets tickets = this.tickets.computeIfAbsent(instanceId, k -> new CopyTickets());
        if (current != null) close(instanceId);

        AuthorizedKeys keys = new AuthorizedKeys(
                instanceId, authorizedKeys, new InstanceKeyFile(launcher, instanceId, java.time.Clock.systemUTC()));
        InstanceChannels channels = new InstanceChannels(launcher, instanceId, traffic, filesOnly);
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(bindHost);
        server.setPort(port);
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator(keys);
        // passwords only as copy tickets: vastai_kaalia with a ticket the server handed this instance (CopyTickets)
        server.setPasswordAuthenticator(tickets);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        // exactly these two methods offered (the defaults also list keyboard-interactive, which would only ever prompt)
        server.setUserAuthFactories(List.of(
                org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory.INSTANCE,
                org.apache.sshd.server.auth.password.UserAuthPasswordFactory.INSTANCE));
        server.setCommandFactory(channels);
        server.setShellFactory(channels);
        server.setSubsystemFactories(List.of(channels.sftp()));
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setAgentFactory(null);
        server.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionCreated(org.apache.sshd.common.session.Session session) {
                traffic.sessions.incrementAndGet();
            }

            @Override
            public void sessionClosed(org.apache.sshd.common.session.Session session) {
                traffic.sessions.decrementAndGet();
            }
        });
        // One listener per instance: a small I/O pool each (sessions' streams run on virtual threads anyway),
        // and no idle disconnect, since an interactive shell may sit quiet for hours as under OpenSSH.
        CoreModuleProperties.NIO_WORKERS.set(server, 2);
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "gpumarket");
        try {
            server.start();
        } catch (BindException e) {
            stopQuietly(server);
            throw new IOException(
                    "SSH port " + bindHost + ":" + port + " for instance " + instanceId + " cannot be bound: "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            throw new IOException(
                    "SSH listener for instance " + instanceId + " on " + bindHost + ":" + port + " failed to start: "
                            + e.getMessage(),
                    e);
        }
        listeners.put(instanceId, new Listener(server, bindHost, port, keys, tickets, filesOnly));
        LOG.info(
                "SSH for instance {} open on {}:{} ({} key(s){})",
                instanceId,
                bindHost,
                port,
                keys.size(),
                filesOnly ? ", stopped: copies only" : "");
    }

    /** Replaces the keys of an open listener; new connections see them at once (sessions already in stay). */
    public void updateKeys(long instanceId, List<String> authorizedKeys) {
        Listener l = listeners.get(instanceId);
        if (l != null) l.keys().set(authorizedKeys);
    }

    /**
     * The tickets of the copies out of this instance now going (their SHA-256, hex), which let their destination's
     * agent in as {@code vastai_kaalia}, read only ({@link CopyTickets}); replaced as a whole.
     */
    public void updateTickets(long instanceId, java.util.Set<String> ticketHashes) {
        // kept, even empty, for the instance's life in this agent: a listener holds the same object
        tickets.computeIfAbsent(instanceId, k -> new CopyTickets()).set(ticketHashes);
    }

    /** Stops the instance's listener and ends its sessions (their programs get SIGTERM). */
    public synchronized void close(long instanceId) {
        Listener l = listeners.remove(instanceId);
        if (l != null) {
            stopQuietly(l.server());
            LOG.info("SSH for instance {} closed ({}:{})", instanceId, l.host(), l.port());
        }
    }

    public boolean isOpen(long instanceId) {
        Listener l = listeners.get(instanceId);
        return l != null && l.server().isOpen();
    }

    /** Sessions open and bytes relayed, over every instance's listener (the agent's metrics). */
    public DoorTraffic traffic() {
        return traffic;
    }

    /** The SHA256 fingerprint of the host key, as {@code ssh-keygen -lf} prints it. */
    public String hostKeyFingerprint() {
        return HostKeys.fingerprint(hostKeys);
    }

    /** Closes every listener (the agent is stopping); the instances keep running. */
    @Override
    public synchronized void close() {
        for (Long id : List.copyOf(listeners.keySet())) close(id);
    }

    private static void stopQuietly(SshServer server) {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.debug("stopping an SSH listener: {}", e.getMessage());
        }
    }
}
