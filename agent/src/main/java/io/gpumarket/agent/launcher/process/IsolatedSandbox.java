package io.gpumarket.agent.launcher.process;

import static io.gpumarket.agent.launcher.process.InstanceScripts.quote;
import static io.gpumarket.agent.launcher.process.InstanceScripts.quoteAll;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.PastaNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox that is a tenant boundary: bubblewrap inside a user namespace and a network namespace of the
 * instance's own, on top of the {@link HostView}.
 * <ul>
 *   <li><b>User namespace.</b> Root inside is host uid {@link Run#hostUid()} (a range of 65,536 from
 *       {@link UidRange}); host root maps to nothing, so whatever the host's root owns is "nobody" inside and its
 *       private files stay private even where they are visible.</li>
 *   <li><b>Network namespace</b>, connected by {@code pasta} (Debian package passt): outbound TCP/UDP is relayed
 *       through the host's sockets; the instance's addresses are its own ({@link #ADDRESS} behind gateway
 *       {@link #GATEWAY}, a DNS relay at {@link #DNS}); nothing it binds is bound on the host, so it can never take
 *       a port of the machine's range. pasta runs with {@code --no-map-gw} and no inbound/outbound automatic
 *       forwarding ({@code -T none -U none}, {@code -t}/{@code -u} only for the published ports), so the host's
 *       loopback services (the server, other agents' SSH doors) cannot be reached from inside.</li>
 * </ul>
 *
 * <p>How it is built, by a script ({@code <instance>/sandbox.sh}, never visible inside) that runs as the host's root
 * in a private mount namespace ({@code unshare --mount}):
 * <ol>
 *   <li>the instance's {@code root/}, {@code workspace/}, {@code tmp/} and {@code run/} are opened, then bound
 *       through those descriptors onto a tmpfs at {@code /tmp} of that private namespace — the instance directory
 *       lies in the agent's 0700 state directory, which the unprivileged uid could not walk into;</li>
 *   <li>{@code unshare --user --net} makes the two namespaces around a placeholder process, and the script (root
 *       in the parent namespace, so no {@code /etc/subuid} entry is needed) writes its uid and gid maps;</li>
 *   <li>pasta attaches to them and configures the interface; only once it reports ready (its pid file) does</li>
 *   <li>{@code nsenter} put bwrap into them as root of the user namespace; bwrap makes the mount, PID, UTS and IPC
 *       namespaces and execs the init through setpriv, as {@link BwrapSandbox} does.</li>
 * </ol>
 * The script stays as the init's parent and ends pasta when the sandbox ends, so a run leaves nothing behind.
 */
final class IsolatedSandbox implements Sandbox {
    static final String ADDRESS = PastaNetwork.ADDRESS;
    static final String GATEWAY = PastaNetwork.GATEWAY;
    static final String DNS = PastaNetwork.DNS;
    /** Words of pasta's command line that tell it from the instance's own processes. */
    static final String PASTA_MARKER = "--config-net --no-map-gw";

    private final HostView view;
    private final String bindHost;

    IsolatedSandbox(HostView view, String bindHost) {
        this.view = view;
        this.bindHost = bindHost;
    }

    @Override
    public String name() {
        return "isolated";
    }

    @Override
    public boolean ownsNetwork() {
        return true;
    }

    @Override
    public boolean userNamespace() {
        return true;
    }

    @Override
    public List<String> command(Run run) throws IOException, LaunchException {
        InstanceFiles f = run.files();
        Path script = f.dir().resolve("sandbox.sh");
        Files.writeString(script, script(run), StandardCharsets.UTF_8);
        return List.of(
                HostTools.require("unshare", "util-linux"),
                "--mount",
                "--propagation",
                "private",
                "/bin/bash",
                script.toString());
    }

    private String script(Run run) throws IOException, LaunchException {
        InstanceFiles f = run.files();
        String unshare = HostTools.require("unshare", "util-linux");
        String nsenter = HostTools.require("nsenter", "util-linux");
        String sleep = HostTools.require("sleep", "coreutils");
        String pasta = HostTools.require("pasta", "passt");
        String bwrap = HostTools.require("bwrap", "bubblewrap");
        String setpriv = HostTools.require("setpriv", "util-linux");
        Path stage = Path.of("/tmp");
        Path resolv = Files.exists(Path.of("/etc/resolv.conf")) ? stage.resolve("run/resolv.conf") : null;
        writeResolvConf(f);

        List<String> pastaArgs = new ArrayList<>(List.of(pasta));
        pastaArgs.addAll(PastaNetwork.args());
        List<String> sandbox = new ArrayList<>(List.of(nsenter, "--target", "$holder", "--user", "--net", "--", bwrap));
        sandbox.addAll(BwrapSandbox.namespaceArgs(run.hostname()));
        sandbox.addAll(BwrapSandbox.viewArgs(
                view,
                stage.resolve("root"),
                stage.resolve("workspace"),
                stage.resolve("tmp"),
                stage.resolve("run"),
                resolv,
                stagedVolumes(stage, run)));
        sandbox.addAll(Sandbox.dropPrivileges(setpriv, true));
        sandbox.addAll(List.of("/bin/bash", run.init()));

        StringBuilder s = new StringBuilder("""
                # gpumarket process launcher (isolated sandbox): host side, root, in a private mount namespace.
                set -eu
                say() { printf '[gpumarket] %s\\n' "$*"; }
                """);
        s.append("S=").append(quote(stage.toString())).append('\n');
        s.append("exec 5<")
                .append(quote(f.root().toString()))
                .append(" 6<")
                .append(quote(f.workspace().toString()))
                .append(" 7<")
                .append(quote(f.tmp().toString()))
                .append(" 8<")
                .append(quote(f.run().toString()));
        for (int k = 0; k < run.volumes().size(); k++) {
            s.append(' ')
                    .append(10 + k)
                    .append('<')
                    .append(quote(run.volumes().get(k).source().toString()));
        }
        s.append('\n');
        s.append("""
                mount -t tmpfs -o mode=0755,size=1m gpumarket-stage "$S"
                mkdir "$S/root" "$S/workspace" "$S/tmp" "$S/run"
                mount -c --bind /proc/self/fd/5 "$S/root"
                mount -c --bind /proc/self/fd/6 "$S/workspace"
                mount -c --bind /proc/self/fd/7 "$S/tmp"
                mount -c --bind /proc/self/fd/8 "$S/run"
                exec 5<&- 6<&- 7<&- 8<&-
                """);
        // each volume through a descriptor too (opened above, before the stage hid /tmp): its storage lies in the
        // agent's state directory as well
        for (int k = 0; k < run.volumes().size(); k++) {
            s.append("mkdir \"$S/vol")
                    .append(k)
                    .append("\"\nmount -c --bind /proc/self/fd/")
                    .append(10 + k)
                    .append(" \"$S/vol")
                    .append(k)
                    .append("\"\nexec ")
                    .append(10 + k)
                    .append("<&-\n");
        }
        s.append("""
                host_userns=$(readlink /proc/self/ns/user)
                """);
        s.append(quote(unshare))
                .append(" --user --net -- ")
                .append(quote(sleep))
                .append(" 2147483647 &\nholder=$!\n");
        s.append("""
                while [ "$(readlink /proc/$holder/ns/user 2>/dev/null || true)" = "$host_userns" ]; do sleep 0.01; done
                if ! kill -0 "$holder" 2>/dev/null; then say "could not create the instance's user and network namespaces"; exit 125; fi
                """);
        s.append("printf '0 %s %s\\n' ")
                .append(run.hostUid())
                .append(' ')
                .append(UidRange.SIZE)
                .append(" > /proc/$holder/uid_map\n");
        s.append("printf '0 %s %s\\n' ")
                .append(run.hostUid())
                .append(' ')
                .append(UidRange.SIZE)
                .append(" > /proc/$holder/gid_map\n");
        s.append("""
                start_pasta() {
                  rm -f "$S/pasta.pid"
                  "$@" -P "$S/pasta.pid" "$holder" > "$S/pasta.log" 2>&1 &
                  pasta=$!
                  until [ -s "$S/pasta.pid" ]; do
                    kill -0 "$pasta" 2>/dev/null || return 1
                    sleep 0.01
                  done
                }
                pasta_said() { grep -v syslog "$S/pasta.log" | tail -n 3 | tr '\\n' ' '; }
                """);
        List<String> noPorts = new ArrayList<>(pastaArgs);
        noPorts.addAll(PublishedPorts.pastaArgs(java.util.Map.of(), bindHost));
        pastaArgs.addAll(PublishedPorts.pastaArgs(PublishedPorts.bindable(run.ports(), bindHost), bindHost));
        s.append("if ! start_pasta ").append(quoteAll(pastaArgs)).append("; then\n");
        if (!noPorts.equals(pastaArgs)) {
            // A host port something else holds makes pasta give up. Those are left out beforehand (bindable); one
            // taken in between makes the instance run without its published ports rather than not at all. Either
            // way the agent tells the renter which ones are missing (ProcessLauncher.unpublished).
            s.append("  say \"published ports not opened: $(pasta_said)\"\n");
            s.append("  start_pasta ").append(quoteAll(noPorts)).append(" ||\n");
        }
        s.append("""
                  { say "pasta could not set up the instance's network: $(pasta_said)"; kill "$holder"; exit 125; }
                fi
                """);
        s.append(quoteAll(sandbox).replace("'$holder'", "\"$holder\"")).append(" &\nsandbox=$!\n");
        s.append("""
                while [ "$(readlink /proc/$sandbox/ns/user 2>/dev/null || true)" = "$host_userns" ] && kill -0 "$sandbox" 2>/dev/null; do sleep 0.01; done
                kill "$holder" 2>/dev/null || true
                rc=0; wait "$sandbox" || rc=$?
                kill "$pasta" 2>/dev/null || true
                wait "$pasta" 2>/dev/null || true
                exit "$rc"
                """);
        return s.toString();
    }

    /**
     * The instance's resolver configuration: the host's search domains and options, with the DNS relay that pasta
     * answers on as the only name server (the host's own may be a loopback stub the namespace cannot reach).
     */
    private static void writeResolvConf(InstanceFiles f) throws IOException {
        Files.writeString(f.run().resolve("resolv.conf"), PastaNetwork.resolvConf(), StandardCharsets.UTF_8);
    }

    /** The volumes as the staged copies bwrap binds (see the script's volume lines). */
    private static List<java.util.Map.Entry<Path, String>> stagedVolumes(Path stage, Run run) {
        List<java.util.Map.Entry<Path, String>> out = new ArrayList<>();
        for (int k = 0; k < run.volumes().size(); k++) {
            out.add(java.util.Map.entry(
                    stage.resolve("vol" + k), run.volumes().get(k).at()));
        }
        return out;
    }
}
