package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The primary sandbox: bubblewrap, run as root. It builds the {@link HostView} on a fresh tmpfs root with every
 * host bind made read-only recursively (file systems mounted below {@code /var} or {@code /home} included),
 * mounts a new {@code /proc} with its writable kernel switches ({@code /proc/sys}, {@code sysrq-trigger}, {@code irq},
 * {@code bus}) read-only and a minimal {@code /dev} with its own devpts instance, and pivots into it.
 * {@code --as-pid-1} makes our init script pid 1 itself (no extra bwrap reaper), the same shape as
 * {@link UnshareSandbox}, so stop and recovery treat both alike.
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
    public List<String> command(InstanceFiles files, String hostname) throws IOException, LaunchException {
        String setpriv = HostTools.require("setpriv", "util-linux");
        List<String> c = new ArrayList<>(List.of(bwrap, "--new-session", "--unshare-pid", "--unshare-uts",
                "--unshare-ipc", "--hostname", hostname, "--as-pid-1"));
        for (HostView.Entry e : view.topLevel()) {
            String at = "/" + e.name();
            if (e.linkTarget() != null) c.addAll(List.of("--symlink", e.linkTarget(), at));
            else c.addAll(List.of("--ro-bind", at, at));
        }
        // bwrap covers /proc/irq and /proc/bus itself, but as root not /proc/sys: root inside could otherwise
        // write kernel.core_pattern and have the host run a program of its choosing.
        c.addAll(List.of("--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
                "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger", "--dev", "/dev"));
        for (Path dev : view.gpuDevices()) c.addAll(List.of("--dev-bind", dev.toString(), dev.toString()));
        c.addAll(List.of(
                "--bind", files.root().toString(), "/root",
                "--bind", files.workspace().toString(), "/workspace",
                "--bind", files.tmp().toString(), "/tmp",
                "--tmpfs", "/run",
                "--ro-bind", files.run().toString(), InstanceScripts.RUN_DIR));
        for (Path keep : view.runDirsToKeep()) c.addAll(List.of("--ro-bind", keep.toString(), keep.toString()));
        for (Path hidden : view.hidden()) c.addAll(List.of("--tmpfs", hidden.toString()));
        for (Path hidden : view.hiddenFiles()) c.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
        c.addAll(List.of("--chdir", "/root", "--"));
        c.addAll(Sandbox.dropPrivileges(setpriv));
        c.addAll(List.of("/bin/bash", InstanceScripts.INIT));
        return c;
    }
}
