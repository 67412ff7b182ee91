package io.gpumarket.agent.launcher.process;

import static io.gpumarket.agent.launcher.process.InstanceScripts.quote;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fallback where bubblewrap is not installed (weak isolation: the host's network, the host's root with few
 * capabilities; see {@link IsolatedSandbox}): util-linux's {@code unshare} makes the namespaces and a
 * generated shell script (kept host-side as {@code <instance>/sandbox.sh}, never visible inside) builds the same
 * {@link HostView} by hand on a tmpfs in {@code <instance>/mnt}, then {@code pivot_root}s into it and detaches the
 * host's root.
 *
 * <p>Its one difference from bwrap: util-linux 2.38 has no recursive read-only remount, so each top-level
 * directory is bound <em>without</em> the file systems mounted below it (a separate {@code /home} partition, the
 * cgroup and debug file systems under {@code /sys}), which therefore look empty inside rather than being
 * writable. Like bwrap, it makes {@code /proc/sys}, {@code sysrq-trigger}, {@code irq} and {@code bus} read-only.
 */
final class UnshareSandbox implements Sandbox {
    private final String unshare;
    private final HostView view;

    UnshareSandbox(String unshare, HostView view) {
        this.unshare = unshare;
        this.view = view;
    }

    @Override
    public String name() {
        return "unshare";
    }

    @Override
    public List<String> command(Run run) throws IOException, LaunchException {
        String setpriv = HostTools.require("setpriv", "util-linux");
        Path script = run.files().dir().resolve("sandbox.sh");
        Files.writeString(
                script,
                script(run.files(), run.hostname(), setpriv, run.volumes(), run.init()),
                StandardCharsets.UTF_8);
        return List.of(
                unshare,
                "--mount",
                "--pid",
                "--uts",
                "--ipc",
                "--fork",
                "--propagation",
                "private",
                "/bin/bash",
                script.toString());
    }

    private String script(
            InstanceFiles f, String hostname, String setpriv, List<Sandbox.VolumeBind> volumes, String init)
            throws IOException {
        StringBuilder s = new StringBuilder("""
                # gpumarket process launcher (unshare fallback): builds the instance's file system, then becomes its init.
                set -eu
                """);
        String r = f.mnt().toString();
        s.append("R=").append(quote(r)).append('\n');
        s.append("mount -t tmpfs -o mode=0755 gpumarket-root \"$R\"\n");
        for (HostView.Entry e : view.topLevel()) {
            String at = "\"$R\"/" + quote(e.name());
            String host = quote("/" + e.name());
            if (e.linkTarget() != null) {
                s.append("ln -s ")
                        .append(quote(e.linkTarget()))
                        .append(' ')
                        .append(at)
                        .append('\n');
            } else {
                s.append(e.directory() ? "mkdir " : "touch ").append(at).append('\n');
                s.append("mount --bind ").append(host).append(' ').append(at).append('\n');
                s.append("mount -o remount,bind,ro ").append(at).append('\n');
            }
        }
        s.append("""
                mkdir "$R/root" "$R/workspace" "$R/tmp" "$R/proc" "$R/dev" "$R/run"
                mkdir -p -m 1777 "$R/var/tmp"
                """);
        s.append("mount --bind ").append(quote(f.root().toString())).append(" \"$R/root\"\n");
        s.append("mount --bind ").append(quote(f.workspace().toString())).append(" \"$R/workspace\"\n");
        s.append("mount --bind ").append(quote(f.tmp().toString())).append(" \"$R/tmp\"\n");
        s.append("""
                mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
                for p in sys sysrq-trigger irq bus; do
                  if [ -e "$R/proc/$p" ]; then mount --bind "$R/proc/$p" "$R/proc/$p"; mount -o remount,bind,ro "$R/proc/$p"; fi
                done
                mount -t tmpfs -o mode=0755,nosuid dev "$R/dev"
                for n in null zero full random urandom tty; do touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done
                mkdir "$R/dev/pts" "$R/dev/shm"
                mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$R/dev/pts"
                ln -s pts/ptmx "$R/dev/ptmx"
                ln -s /proc/self/fd "$R/dev/fd"
                ln -s /proc/self/fd/0 "$R/dev/stdin"; ln -s /proc/self/fd/1 "$R/dev/stdout"; ln -s /proc/self/fd/2 "$R/dev/stderr"
                """);
        for (Path dev : view.gpuDevices()) {
            String at = "\"$R\"" + quote(dev.toString());
            s.append(Files.isDirectory(dev) ? "mkdir " : "touch ").append(at).append('\n');
            s.append("mount --rbind ")
                    .append(quote(dev.toString()))
                    .append(' ')
                    .append(at)
                    .append('\n');
        }
        for (Sandbox.VolumeBind v : volumes) {
            String at = "\"$R\"" + quote(v.at());
            s.append("mkdir -p ").append(at).append('\n');
            s.append("mount --bind ")
                    .append(quote(v.source().toString()))
                    .append(' ')
                    .append(at)
                    .append('\n');
        }
        s.append("mount -t tmpfs -o mode=0755,nosuid,nodev run \"$R/run\"\n");
        s.append("mkdir \"$R").append(InstanceScripts.RUN_DIR).append("\"\n");
        s.append("mount --bind ")
                .append(quote(f.run().toString()))
                .append(" \"$R")
                .append(InstanceScripts.RUN_DIR)
                .append("\"\n");
        s.append("mount -o remount,bind,ro \"$R")
                .append(InstanceScripts.RUN_DIR)
                .append("\"\n");
        for (Path keep : view.runDirsToKeep()) {
            String at = "\"$R\"" + quote(keep.toString());
            s.append("mkdir -p ").append(at).append('\n');
            s.append("mount --bind ")
                    .append(quote(keep.toString()))
                    .append(' ')
                    .append(at)
                    .append('\n');
            s.append("mount -o remount,bind,ro ").append(at).append('\n');
        }
        for (Path hidden : view.hidden()) {
            s.append("mount -t tmpfs -o mode=0755,size=64k gpumarket-hidden \"$R\"")
                    .append(quote(hidden.toString()))
                    .append('\n');
        }
        for (Path hidden : view.hiddenFiles()) {
            s.append("mount --bind /dev/null \"$R\"")
                    .append(quote(hidden.toString()))
                    .append('\n');
        }
        s.append("printf '%s' ").append(quote(hostname)).append(" > /proc/sys/kernel/hostname\n");
        s.append("""
                cd "$R"
                mkdir .oldroot
                pivot_root . .oldroot
                umount -l /.oldroot
                rmdir /.oldroot
                cd /root
                """);
        s.append("exec ")
                .append(InstanceScripts.quoteAll(Sandbox.dropPrivileges(setpriv, false)))
                .append(" /bin/bash ")
                .append(init)
                .append('\n');
        return s.toString();
    }
}
