package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.util.List;

/**
 * How an instance's init is put in its own namespaces (mount, PID, UTS, IPC) with the {@link HostView} as its
 * file system. Both implementations end in the same place, so everything after the start (nsenter for sessions,
 * stop, recovery) does not care which one made it: {@link BwrapSandbox} where bubblewrap is installed,
 * {@link UnshareSandbox} (util-linux only) elsewhere.
 */
interface Sandbox {
    /** "bwrap" or "unshare". */
    String name();

    /**
     * The command that starts the instance's init. It is run as root on the host, in its own session, with an
     * empty environment; it must end by exec'ing {@link #dropPrivileges} followed by
     * {@code /bin/bash /run/gpumarket/init.sh} as pid 1 of the new PID namespace.
     */
    List<String> command(InstanceFiles files, String hostname) throws IOException, LaunchException;

    /**
     * The capabilities an instance's root keeps: enough to own and manage its own files and processes
     * (chown, fowner, fsetid, kill, sys_chroot, audit_write). Everything else is dropped from the bounding set, so
     * no process inside can regain it: no mount (which would undo the read-only host view), no setns, no raw
     * sockets on the shared host network, no mknod, no ptrace, no switching to another host uid, and no
     * dac_override (root inside cannot read the host's other users' private files).
     */
    String CAPABILITIES = "-all,+chown,+fowner,+fsetid,+kill,+sys_chroot,+audit_write";

    /** setpriv's arguments (after its path) that apply {@link #CAPABILITIES} to the command that follows. */
    static List<String> dropPrivileges(String setpriv) {
        return List.of(setpriv, "--bounding-set=" + CAPABILITIES, "--inh-caps=-all", "--no-new-privs", "--");
    }
}
