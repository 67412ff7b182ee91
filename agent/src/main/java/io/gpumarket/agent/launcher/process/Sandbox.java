package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How an instance's init is put in its own namespaces (mount, PID, UTS, IPC; with {@link IsolatedSandbox} also
 * user and network) with the {@link HostView} as its file system. Every implementation ends in the same place, so
 * everything after the start (nsenter for sessions, stop, recovery) only asks {@link #ownsNetwork} and
 * {@link #userNamespace}: {@link IsolatedSandbox} where bubblewrap, user namespaces and pasta are available, else
 * {@link BwrapSandbox} or {@link UnshareSandbox} on the host's network as the host's root (weak isolation).
 */
interface Sandbox {
    /**
     * One run's particulars.
     *
     * @param hostUid the host uid root inside maps to (its user namespace's range starts there); 0 without one
     * @param ports   published ports ("8080/tcp" → host port), for sandboxes that own the instance's network
     * @param init    the script run as pid 1 inside ({@link InstanceScripts#INIT}, or {@link InstanceScripts#REST}
     *                for a run over the files of a stopped instance that starts none of its programs)
     */
    record Run(
            InstanceFiles files,
            String hostname,
            long hostUid,
            Map<String, Integer> ports,
            List<VolumeBind> volumes,
            String init) {
        public Run {
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
            if (init == null) init = InstanceScripts.INIT;
        }

        public Run(
                InstanceFiles files,
                String hostname,
                long hostUid,
                Map<String, Integer> ports,
                List<VolumeBind> volumes) {
            this(files, hostname, hostUid, ports, volumes, InstanceScripts.INIT);
        }

        public Run(InstanceFiles files, String hostname, long hostUid, Map<String, Integer> ports) {
            this(files, hostname, hostUid, ports, List.of());
        }
    }

    /** A volume's storage on the host ({@code source}) bound read-write at {@code at} inside (docs/volumes.md). */
    record VolumeBind(Path source, String at) {}

    /** "isolated", "bwrap" or "unshare", recorded with each run ({@link ProcessRecord#sandbox()}). */
    String name();

    /**
     * The command that starts the instance's init. It is run as root on the host, in its own session, with an
     * empty environment; it must end by exec'ing {@link #dropPrivileges} followed by
     * {@code /bin/bash} {@link Run#init()} ({@code /run/gpumarket/init.sh}) as pid 1 of the new PID namespace.
     */
    List<String> command(Run run) throws IOException, LaunchException;

    /** True when the instance has a network namespace of its own and its published ports are forwarded by the sandbox. */
    default boolean ownsNetwork() {
        return false;
    }

    /** True when root inside is an unprivileged host uid (a user namespace). */
    default boolean userNamespace() {
        return false;
    }

    /**
     * The capabilities an instance's root keeps without a user namespace: enough to own and manage its own files
     * and processes (chown, fowner, fsetid, kill, sys_chroot, audit_write). Everything else is dropped from the
     * bounding set, so no process inside can regain it: no mount (which would undo the read-only host view), no
     * setns, no raw sockets on the shared host network, no mknod, no ptrace, no switching to another host uid, and
     * no dac_override (root inside cannot read the host's other users' private files).
     */
    String CAPABILITIES = "-all,+chown,+fowner,+fsetid,+kill,+sys_chroot,+audit_write";

    /**
     * The capabilities root keeps inside its own user namespace. They act only on what that namespace owns (its
     * own uids' files, its own network namespace), so root may also switch among its own users (setuid/setgid: su,
     * package tools' service users), read its own users' files (dac_override/dac_read_search), and bind low ports
     * and ping in its own network (net_bind_service/net_raw). Still no mount, setns, ptrace, mknod or sys_admin.
     */
    String CAPABILITIES_IN_USER_NAMESPACE =
            CAPABILITIES + ",+setuid,+setgid,+dac_override,+dac_read_search,+net_bind_service,+net_raw";

    /** setpriv's arguments (after its path) that apply {@code capabilities} to the command that follows. */
    static List<String> dropPrivileges(String setpriv, String capabilities) {
        return List.of(setpriv, "--bounding-set=" + capabilities, "--inh-caps=-all", "--no-new-privs", "--");
    }

    /** {@link #dropPrivileges(String, String)} for a sandbox of this kind. */
    static List<String> dropPrivileges(String setpriv, boolean userNamespace) {
        return dropPrivileges(setpriv, userNamespace ? CAPABILITIES_IN_USER_NAMESPACE : CAPABILITIES);
    }
}
