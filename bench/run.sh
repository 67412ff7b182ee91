#!/usr/bin/env bash
# bench/run.sh: builds the benchmark jar and runs it (docs/benchmarks.md explains what it measures).
#   bench/run.sh                      the full run: 100,000 machines, index vs PostgreSQL, HTTP; Markdown on stdout
#   bench/run.sh --machines 20000     any BenchMain option (--help lists them)
#   bench/run.sh jmh -p query=quickstart    JMH on the in-process queries
# The report is also written to bench/target/benchmark-report.md. Set BENCH_NO_BUILD=1 to reuse the jar.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/bench/target/gpumarket-bench.jar"

java_major() { # prints the feature version of the java binary $1
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.[^"]*\)\{0,1\}".*/\1/p' | head -1
}

find_jdk() { # JAVA_HOME if it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm (as ./gpumarket does)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d/bin/java"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$d best_v=$v; fi
  done
  [ -n "$best" ] || { echo "bench: no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2; exit 1; }
  echo "$best"
}

export JAVA_HOME=$(find_jdk)
if [ -z "${BENCH_NO_BUILD:-}" ] || [ ! -f "$jar" ]; then
  echo "bench: building (JDK $JAVA_HOME)…" >&2
  # The benchmark needs no test classes: -Dmaven.test.skip also skips compiling them, so a half-edited test elsewhere
  # does not stop a benchmark run.
  (cd "$root" && ./mvnw -B -ntp -q -Dmaven.test.skip=true install -pl bench -am) >&2
fi

# A fixed heap, so that heap growth during the run does not show up as latency.
jvm=(--enable-native-access=ALL-UNNAMED -Xms4g -Xmx4g)
if [ "${1:-}" = jmh ]; then
  exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "$@"
fi
exec "$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" --out "$root/bench/target/benchmark-report.md" "$@"
