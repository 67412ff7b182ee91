#!/usr/bin/env bash
# Server CPU per request, measured from outside the JVM: starts `gpumarket server` (the jar given, default the built
# one, with ./gpumarket server's JVM options) on a fresh SQLite database, registers one machine, then runs wrk against
# the agent sync route and the static route (GET /api/v0/gpu_names/unique/) in turn and divides the server process's
# CPU time (utime + stime from /proc) by the requests answered. One warm-up round, then two measured rounds.
#
#   bench/wrk/sync-cost.sh [JAR]            # C=8 connections, D=10 s per run
#   HOLD=1 HC=2000 WAIT=1 bench/wrk/sync-cost.sh   # also held syncs: 2,000 connections each held 1 s
#
# Every connection speaks for the same machine, so held syncs all wait on one machine's revision: that measures the
# hold's own cost, not the 10,000-machine case (bench/run.sh hosts does that). Load of the machine printed per line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${1:-$root/app/target/gpumarket.jar}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v wrk >/dev/null || { echo "sync-cost: needs wrk (Debian package wrk)" >&2; exit 1; }
home=$(mktemp -d); port=$((20000 + RANDOM % 20000))
read -r -a jvm <<<"$("$root/gpumarket" server-jvm | paste -sd' ')"
"$java" "${jvm[@]}" ${SERVER_JVM:-} -jar "$jar" server --db "jdbc:sqlite:$home/market.db" --listen "127.0.0.1:$port" \
  --rate-limit all=off >"$home/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$home"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 120); do curl -sf -o /dev/null "$url/api/v0/gpu_names/unique/" && break; sleep 1; done
key=$(sed -n 's/.*Admin API key (shown once, keep it): //p' "$home/out")
TOKEN=$(curl -sf -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$url/api/v0/host/machines/" \
  -d '{"gpu_name":"RTX 4090","num_gpus":1,"gpu_ram":24000,"cpu_cores":16,"cpu_ram":64000,"disk_space":100,"geolocation":"Oslo, NO"}' \
  | jq -r .machine_token)
REV=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$url/api/v0/agent/sync/" \
  -d '{"revision":0,"wait_seconds":0,"instances":[],"removed":[]}' | jq -r .revision)
export TOKEN REV
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
for round in warm-up 1 2; do
  for what in sync static ${HOLD:+held}; do
    c0=$(cpu)
    case $what in
      sync) out=$(WAIT=0 wrk -t1 -c"${C:-8}" -d"${D:-10}"s -s "$root/bench/wrk/sync.lua" "$url/api/v0/agent/sync/" 2>&1) ;;
      held) out=$(WAIT=${WAIT:-1} wrk -t2 -c"${HC:-2000}" -d"${D:-10}"s --timeout 30s -s "$root/bench/wrk/sync.lua" "$url/api/v0/agent/sync/" 2>&1) ;;
      static) out=$(wrk -t1 -c"${C:-8}" -d"${D:-10}"s "$url/api/v0/gpu_names/unique/" 2>&1) ;;
    esac
    c1=$(cpu)
    [ "$round" = warm-up ] && continue
    n=$(awk '/requests in/ {print $1}' <<<"$out"); bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    awk -v w="$what" -v r="$round" -v n="$n" -v b="${bad:-0}" -v c=$((c1 - c0)) -v t="$tick" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
      'BEGIN { printf "%-6s round %s: %d requests (%d non-2xx), server CPU %.2f s, %.1f µs per request, load %s\n", w, r, n, b, c / t, c / t * 1e6 / n, l }'
  done
done
