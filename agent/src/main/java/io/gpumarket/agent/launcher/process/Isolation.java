package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host lets the process launcher build a tenant boundary with ({@link IsolatedSandbox}), probed once when
 * the launcher is made: bubblewrap that can make namespaces, user and network namespaces the kernel grants to
 * root, and pasta. {@link #missing()} names each piece that is not there, in words an operator can act on.
 */
record Isolation(List<String> missing) {
    Isolation {
        missing = List.copyOf(missing);
    }

    boolean complete() {
        return missing.isEmpty();
    }

    private static volatile Isolation probed;

    /** The host's answer, probed on first use: what it has does not change while the agent runs. */
    static Isolation probe() {
        Isolation p = probed;
        if (p == null) probed = p = probeNow();
        return p;
    }

    private static Isolation probeNow() {
        List<String> missing = new ArrayList<>();
        if (!HostTools.runningAsRoot()) {
            missing.add("root (the process launcher makes namespaces and maps uids as root)");
            return new Isolation(missing);
        }
        Optional<Path> bwrap = HostTools.find("bwrap");
        if (bwrap.isEmpty()) missing.add("bubblewrap (Debian package bubblewrap)");
        else if (!HostTools.succeeds(
                bwrap.get().toString(),
                "--unshare-pid",
                "--unshare-uts",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--",
                "/bin/true")) {
            missing.add("a working bubblewrap (bwrap cannot create namespaces here)");
        }
        Optional<Path> unshare = HostTools.find("unshare");
        if (unshare.isEmpty() || !HostTools.succeeds(unshare.get().toString(), "--user", "--net", "--", "/bin/true")) {
            missing.add("user and network namespaces (unshare --user --net fails: check user.max_user_namespaces)");
        }
        if (HostTools.find("pasta").isEmpty())
            missing.add("pasta (Debian package passt) for the instances' own networks");
        if (HostTools.find("nsenter").isEmpty()) missing.add("nsenter (Debian package util-linux)");
        return new Isolation(missing);
    }
}
