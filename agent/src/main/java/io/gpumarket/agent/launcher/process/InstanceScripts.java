package io.gpumarket.agent.launcher.process;

/**
 * The two shell scripts every process-launched instance runs, mounted read-only at {@code /run/gpumarket/}.
 * They read the environment from a NUL-separated file rather than inheriting it, so that nothing the renter
 * chose ({@code LD_PRELOAD}, {@code BASH_ENV} …) ever reaches a host-side program running as root ({@code bwrap},
 * {@code nsenter}, {@code setpriv}): those run with an empty environment, and the renter's variables are applied
 * only once inside the sandbox.
 */
final class InstanceScripts {
    private InstanceScripts() {}

    /** Where the instance's run directory appears inside it. */
    static final String RUN_DIR = "/run/gpumarket";

    static final String INIT = RUN_DIR + "/init.sh";
    static final String EXEC = RUN_DIR + "/exec.sh";
    /** Pid 1 of a run over a stopped instance's files ({@link ProcessLauncher#execFiles}). */
    static final String REST = RUN_DIR + "/rest.sh";

    /**
     * The init of a run at rest: starts none of the instance's programs (no onstart, no Jupyter, no main command)
     * and only holds the namespaces open while copies or execute sessions enter them as they would a running
     * instance's. It logs nothing: the instance's log is the renter's programs' and the launcher's starts and stops.
     */
    static final String REST_SH = """
            # gpumarket process launcher: pid 1 while a stopped instance's files are served (copy, execute).
            while :; do sleep 2147483647 & wait $!; done
            """;
    /** What the init logs when a Jupyter launch finds no {@code jupyter} to start (the status message says so). */
    static final String JUPYTER_MISSING = io.gpumarket.agent.launcher.JupyterNote.MISSING;
    /** What the init logs when it starts Jupyter for a Jupyter launch. */
    static final String JUPYTER_STARTED = io.gpumarket.agent.launcher.JupyterNote.STARTED;

    /** What the init logs first: a run whose log has it got past the sandbox, whatever happened next. */
    static final String INIT_UP = "] init: up";

    /**
     * Pid 1 of the instance. It ignores SIGTERM (the kernel protects a namespace's init from signals it has no
     * handler for), so stopping means TERM to everything else, then KILL to it. As pid 1 it adopts orphans;
     * bash reaps any child whenever it waits, so they do not pile up as zombies.
     */
    static final String INIT_SH = """
            # gpumarket process launcher: the instance's init (pid 1 of its PID namespace).
            while IFS= read -r -d '' kv; do export "$kv"; done < /run/gpumarket/env
            cd /root 2>/dev/null || cd /
            say() { printf '[gpumarket %s] %s\\n' "$(date -u +%FT%TZ)" "$*"; }
            say "init: up"
            if [ -n "${JUPYTER_TOKEN:-}" ]; then
              if command -v jupyter >/dev/null 2>&1; then
                jmode=notebook; [ "${JUPYTER_TYPE:-}" = lab ] && jmode=lab
                if [ "$jmode" = lab ] && ! jupyter lab --version >/dev/null 2>&1; then
                  jmode=notebook; say "jupyter: the image has no JupyterLab; the classic notebook instead"
                fi
                jdir=${JUPYTER_DIR:-/root}; mkdir -p "$jdir" 2>/dev/null
                say "jupyter: starting jupyter $jmode on port 8080 in $jdir"
                jupyter "$jmode" --ip=0.0.0.0 --port=8080 --no-browser --allow-root --notebook-dir="$jdir" < /dev/null &
              else
                say "jupyter: not started: the image has no jupyter command"
              fi
            fi
            if [ -s /run/gpumarket/onstart.sh ]; then
              say "onstart: running"
              bash /run/gpumarket/onstart.sh < /dev/null &
              wait $!
              say "onstart: exited with code $?"
            fi
            mapfile -d '' -t main < /run/gpumarket/args
            if [ "${#main[@]}" -gt 0 ]; then
              say "main: ${main[*]}"
              "${main[@]}" < /dev/null &
              wait $!
              rc=$?
              say "main: exited with code $rc"
              exit $rc
            fi
            say "ready"
            while :; do sleep 2147483647 & wait $!; done
            """;

    /**
     * What every session command (SSH exec, shell, sftp-server, scp, rsync) is started through: the instance's
     * environment, then the session's own variables given as NAME=VALUE arguments before {@code --}, cwd /root.
     */
    static final String EXEC_SH = """
            # gpumarket process launcher: runs one session command inside the instance.
            while IFS= read -r -d '' kv; do export "$kv"; done < /run/gpumarket/env
            while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do export "$1"; shift; done
            shift
            cd /root 2>/dev/null || cd /
            exec "$@"
            """;

    /**
     * The host-side wrapper: runs the sandbox command ("$@"), then records its exit status in the file named by
     * $0. It lives in its own session, so it outlives the agent, and a restarted agent reads the status from the
     * file instead of from a wait() it can no longer do.
     */
    static final String WRAPPER = "\"$@\"; rc=$?; printf '%s\\n' \"$rc\" > \"$0.tmp\" && mv -f \"$0.tmp\" \"$0\"";

    /** {@code s} as one single-quoted shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The words as a shell command line that runs exactly them. */
    static String quoteAll(Iterable<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (!b.isEmpty()) b.append(' ');
            b.append(quote(w));
        }
        return b.toString();
    }
}
