#!/usr/bin/env bash
# bench/run.sh: builds the benchmark jar and runs it (docs/benchmarks.md explains what it measures).
#   bench/run.sh                      the full run: 100,000 machines, index vs PostgreSQL, HTTP; Markdown on stdout
#   bench/run.sh --machines 20000     any BenchMain option (--help lists them)
#   bench/run.sh jmh -p query=quickstart    JMH on the in-process queries
#   bench/run.sh lifecycle [--runs N]       instance lifecycle latency on a local agent (root needed)
# The report is also written to bench/target/benchmark-report.md. Set BENCH_NO_BUILD=1 to reuse the jar.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/bench/target/gpumarket-bench.jar"

# The JDK lookup is the front door's (JAVA_HOME if >= 21, else the newest under /usr/lib/jvm).
export JAVA_HOME=$("$root/gpumarket" jdk)
if [ -z "${BENCH_NO_BUILD:-}" ] || [ ! -f "$jar" ]; then
  echo "bench: building (JDK $JAVA_HOME)…" >&2
  # The benchmark needs no test classes: -Dmaven.test.skip also skips compiling them, so a half-edited test elsewhere
  # does not stop a benchmark run.
  (cd "$root" && ./mvnw -B -ntp -q -Dmaven.test.skip=true install -pl bench -am) >&2
fi

# A fixed heap, so that heap growth during the run does not show up as latency.
jvm=(--enable-native-access=ALL-UNNAMED -Xms4g -Xmx4g)
if [ "${1:-}" = lifecycle ]; then
  shift
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$jar" io.gpumarket.bench.lifecycle.LifecycleBench "$@"
fi
if [ "${1:-}" = jmh ]; then
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "$@"
fi
exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" --out "$root/bench/target/benchmark-report.md" "$@"
