package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bubblewrap run as the host's root, on the host's network: the weak sandbox, used where user namespaces or pasta
 * are missing (see {@link IsolatedSandbox} for the one that is a tenant boundary). It builds the {@link HostView} on
 * a fresh tmpfs root with every host bind made read-only recursively, mounts a new {@code /proc} with its writable
 * kernel switches ({@code /proc/sys}, {@code sysrq-trigger}, {@code irq}, {@code bus}) read-only and a minimal
 * {@code /dev} with its own devpts instance, and pivots into it. {@code --as-pid-1} makes our init script pid 1
 * itself (no extra bwrap reaper), the same shape as {@link UnshareSandbox}, so stop and recovery treat both alike.
 */
final class BwrapSandbox implements Sandbox {
    private final String bwrap;
    private final HostView view;

    BwrapSandbox(String bwrap, HostView view) {
        this.bwrap = bwrap;
        this.view = view;
    }

    @Override
    public String name() {
        return "bwrap";
    }

    @Override
    public List<String> command(Run run) throws IOException, LaunchException {
        String setpriv = HostTools.require("setpriv", "util-linux");
        InstanceFiles files = run.files();
        List<String> c = new ArrayList<>(List.of(bwrap));
        c.addAll(namespaceArgs(run.hostname()));
        c.addAll(viewArgs(
                view,
                files.root(),
                files.workspace(),
                files.tmp(),
                files.run(),
                null,
                run.volumes().stream().map(v -> Map.entry(v.source(), v.at())).toList()));
        c.addAll(Sandbox.dropPrivileges(setpriv, false));
        c.addAll(List.of("/bin/bash", run.init()));
        return c;
    }

    /** bwrap's namespaces (mount, PID, UTS, IPC) and host name, the init as pid 1. */
    static List<String> namespaceArgs(String hostname) {
        return List.of(
                "--new-session",
                "--unshare-pid",
                "--unshare-uts",
                "--unshare-ipc",
                "--hostname",
                hostname,
                "--as-pid-1");
    }

    /**
     * bwrap's arguments that build the {@link HostView} from the given sources of the instance's own directories,
     * ending with {@code --}. {@code resolvConf}, when set, is bound over the host's resolver configuration (the
     * instance's own network has its own resolver address).
     */
    static List<String> viewArgs(
            HostView view,
            Path root,
            Path workspace,
            Path tmp,
            Path run,
            Path resolvConf,
            List<Map.Entry<Path, String>> volumes)
            throws IOException {
        List<String> c = new ArrayList<>();
        for (HostView.Entry e : view.topLevel()) {
            String at = "/" + e.name();
            if (e.linkTarget() != null) c.addAll(List.of("--symlink", e.linkTarget(), at));
            else c.addAll(List.of("--ro-bind", at, at));
        }
        // bwrap covers /proc/irq and /proc/bus itself, but as root not /proc/sys: root inside could otherwise
        // write kernel.core_pattern and have the host run a program of its choosing.
        c.addAll(List.of(
                "--proc",
                "/proc",
                "--ro-bind",
                "/proc/sys",
                "/proc/sys",
                "--ro-bind-try",
                "/proc/sysrq-trigger",
                "/proc/sysrq-trigger",
                "--dev",
                "/dev"));
        for (Path dev : view.gpuDevices()) c.addAll(List.of("--dev-bind", dev.toString(), dev.toString()));
        c.addAll(List.of(
                "--bind",
                root.toString(),
                "/root",
                "--bind",
                workspace.toString(),
                "/workspace",
                "--bind",
                tmp.toString(),
                "/tmp",
                "--perms",
                "01777",
                "--dir",
                "/var/tmp",
                "--tmpfs",
                "/run",
                "--ro-bind",
                run.toString(),
                InstanceScripts.RUN_DIR));
        for (Path keep : view.runDirsToKeep()) c.addAll(List.of("--ro-bind", keep.toString(), keep.toString()));
        for (Path hidden : view.hidden()) c.addAll(List.of("--tmpfs", hidden.toString()));
        for (Path hidden : view.hiddenFiles()) c.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
        if (resolvConf != null)
            c.addAll(List.of(
                    "--ro-bind", resolvConf.toString(), view.resolverConfig().toString()));
        // volumes last: a mount path below /root or /workspace lands on the instance's own directory
        for (Map.Entry<Path, String> v : volumes)
            c.addAll(List.of("--bind", v.getKey().toString(), v.getValue()));
        c.addAll(List.of("--chdir", "/root", "--"));
        return c;
    }
}
