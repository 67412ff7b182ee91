#!/usr/bin/env bash
# bench/run.sh: builds the benchmark jar and runs it (docs/benchmarks.md explains what it measures).
#   bench/run.sh                      the full run: 100,000 machines, index vs PostgreSQL, HTTP; Markdown on stdout
#   bench/run.sh --machines 20000     any BenchMain option (--help lists them)
#   bench/run.sh jmh -p query=quickstart    JMH on the in-process queries
#   bench/run.sh lifecycle [--runs N]       instance lifecycle latency on a local agent (root needed)
#   bench/run.sh hosts --agents 10000 --seconds 120 --db sqlite|postgresql   simulated agents against a server process
#   bench/run.sh rents --machines 10000 --clients 8,64 --db sqlite|postgresql  committed rentals per second
#   bench/run.sh console --machines 10000 [--runs 50]                          the console's search page render time
#   bench/run.sh wrk --machines 100000 --db sqlite|postgresql                  wrk: quickstart search vs a static route
#   bench/run.sh replicas --replicas 1,2,3 --machines 10000  replicas behind HAProxy on PostgreSQL: search, rents, propagation
# The report is also written to bench/target/benchmark-report.md. Set BENCH_NO_BUILD=1 to reuse the jar.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/bench/target/gpumarket-bench.jar"

# The JDK lookup is the front door's (JAVA_HOME if >= 21, else the newest under /usr/lib/jvm).
export JAVA_HOME=$("$root/gpumarket" jdk)
if [ -z "${BENCH_NO_BUILD:-}" ] || [ ! -f "$jar" ] || [ ! -f "$root/app/target/gpumarket.jar" ]; then
  echo "bench: building (JDK $JAVA_HOME)…" >&2
  # The benchmark needs no test classes: -Dmaven.test.skip also skips compiling them, so a half-edited test elsewhere
  # does not stop a benchmark run (and dependency:analyze, which would see test dependencies unused, is skipped).
  # app too: the load tools (hosts, rents, wrk) run the server as its own process from app/target/gpumarket.jar.
  (cd "$root" && ./mvnw -B -ntp -q -Dmaven.test.skip=true -Dmdep.analyze.skip=true install -pl bench,app -am) >&2
fi

# A fixed heap, so that heap growth during the run does not show up as latency.
jvm=(--enable-native-access=ALL-UNNAMED -Xms4g -Xmx4g)
if [ "${1:-}" = console ]; then
  shift
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$jar" io.gpumarket.bench.console.ConsoleRenderBench "$@"
fi
if [ "${1:-}" = lifecycle ]; then
  shift
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$jar" io.gpumarket.bench.lifecycle.LifecycleBench "$@"
fi
# The load tools: the server runs as a child process (java -jar app/target/gpumarket.jar server), so that its CPU and
# memory are read apart from the load generator's. Each simulated agent holds a connection, and the server holds one
# per agent too: both processes need a file descriptor per connection, so the soft limit is raised to the hard one.
case "${1:-}" in
  hosts|rents|wrk|replicas)
    tool=$1; shift
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 25000 ] && [ "$tool" = hosts ]; then
      echo "bench: open files limited to $(ulimit -n); 10,000 agents need ~10,000 in each process" >&2
    fi
    echo "bench: somaxconn $(cat /proc/sys/net/core/somaxconn 2>/dev/null), ephemeral ports $(tr '\t' - </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null), open files $(ulimit -n)" >&2
    main=io.gpumarket.bench.hosts.HostSimulator
    [ "$tool" = rents ] && main=io.gpumarket.bench.rents.RentLoad
    [ "$tool" = wrk ] && main=io.gpumarket.bench.load.WrkSearch
    [ "$tool" = replicas ] && main=io.gpumarket.bench.replicas.ReplicaLoad
    cd "$root"
    # BENCH_NICE=-10 runs the tool, the server process and a throwaway PostgreSQL (children inherit it) at that priority:
    # on a machine shared with other work the server otherwise gets only its share of the cores (say so with figures).
    # With the kernel's autogroups on (/proc/sys/kernel/sched_autogroup_enabled), nice only ranks processes within one
    # session: every other session still gets an equal share. So the run gets a session of its own whose autogroup
    # carries the same nice value (root, or CAP_SYS_NICE, for a negative one).
    nice=()
    [ -n "${BENCH_NICE:-}" ] && nice=(setsid bash -c 'echo "$0" >/proc/self/autogroup 2>/dev/null \
      || echo "bench: autogroup nice $0 refused" >&2; exec nice -n "$0" "$@"' "$BENCH_NICE")
    # The server process starts with ./gpumarket server's own JVM options (its heap cap among them), then --server-jvm's.
    server_jvm=$("$root/gpumarket" server-jvm | paste -sd' ')
    exec "${nice[@]}" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -Dgpumarket.jar="$root/app/target/gpumarket.jar" \
      -Dgpumarket.serverJvm="$server_jvm" \
      -Dbench.out="$root/bench/target" -Dbench.wrk.script="$root/bench/wrk/search.lua" -cp "$jar" "$main" "$@"
    ;;
esac
if [ "${1:-}" = jmh ]; then
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "$@"
fi
exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" --out "$root/bench/target/benchmark-report.md" "$@"
