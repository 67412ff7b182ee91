#!/usr/bin/env bash
# Checks the self-contained distribution (issue 22's acceptance; run by .ci/run after `./gpumarket dist`):
#  1. unpacked from its tar.gz into a clean directory, it runs `gpumarket dev` there with no JDK on PATH and no
#     JAVA_HOME, and the demo market answers a search (POST /api/v0/bundles/ with its API key finds offers);
#  2. `systemd-analyze verify` accepts the shipped units and the unit `gpumarket agent install` writes (each with its
#     ExecStart pointing at the unpacked launcher: verify checks that the program exists).
# Usage: check-dist.sh TARBALL. Stops what it started.
set -euo pipefail
tarball=$(readlink -f "$1")
work=$(mktemp -d /tmp/gpumarket-dist-check.XXXXXX)
dev_pid=""
cleanup() {
  if [ -n "$dev_pid" ]; then kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

tar -C "$work" -xzf "$tarball"
home=$(echo "$work"/gpumarket-*/)
home=${home%/}
launcher="$home/bin/gpumarket"

# --- 1. `gpumarket dev` without a JDK -------------------------------------------------------------------
# PATH is one directory of links to every program on this PATH (bash, curl, bwrap, pasta …) but those of a JDK (java,
# javac, jar, keytool …: whatever resolves into /usr/lib/jvm or into a Java home's bin/), so nothing can find a Java but the
# distribution's own.
path="$work/path"
python3 - "$path" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out)
for d in os.environ["PATH"].split(":"):
    if not os.path.isdir(d):
        continue
    for name in sorted(os.listdir(d)):
        f, link = os.path.join(d, name), os.path.join(out, name)
        real = os.path.realpath(f)
        if os.path.lexists(link) or not os.access(f, os.X_OK) or os.path.isdir(f):
            continue
        bindir = os.path.dirname(real)  # a JDK's or JRE's bin/ has the `release` file beside it
        if real.startswith("/usr/lib/jvm/") or os.path.exists(os.path.join(os.path.dirname(bindir), "release")):
            continue
        os.symlink(f, link)
PY
if env -u JAVA_HOME PATH="$path" bash -c 'command -v java'; then echo "check-dist: a java is still on PATH"; exit 1; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$work/clean"
(cd "$work/clean" && exec env -u JAVA_HOME PATH="$path" GPUMARKET_HOME="$work/clean/data" \
  "$launcher" dev --listen "127.0.0.1:$port" >"$work/dev.log" 2>&1) &
dev_pid=$!
for _ in $(seq 1 240); do
  [ -f "$work/clean/data/dev.env" ] && break
  kill -0 "$dev_pid" 2>/dev/null || break
  sleep 0.5
done
[ -f "$work/clean/data/dev.env" ] || { cat "$work/dev.log"; echo "check-dist: gpumarket dev did not start from the distribution"; exit 1; }
# shellcheck disable=SC1091
(set -a; . "$work/clean/data/dev.env"; set +a
 offers=$(curl -fsS -X POST -H "Authorization: Bearer $GPUMARKET_API_KEY" -H 'Content-Type: application/json' \
   -d '{"verified": {"eq": true}, "rentable": {"eq": true}, "type": "on-demand"}' "$GPUMARKET_URL/api/v0/bundles/" \
   | jq '.offers | length')
 echo "check-dist: gpumarket dev (no JDK on PATH, JAVA_HOME unset) answered a search with $offers offers"
 [ "$offers" -gt 0 ]) || { tail -50 "$work/dev.log"; echo "check-dist: the distribution's dev market answered no offers"; exit 1; }
kill "$dev_pid"; wait "$dev_pid" 2>/dev/null || true; dev_pid=""

# --- 2. the units -------------------------------------------------------------------------------------
mkdir "$work/units"
for u in "$home"/lib/systemd/*.service; do
  sed "s#/opt/gpumarket/bin/gpumarket#$launcher#" "$u" >"$work/units/$(basename "$u")"
done
env -u JAVA_HOME PATH="$path" "$launcher" agent install --server http://127.0.0.1:8080 --token check-token \
  --location 'Oslo, NO' --prefix "$work/root" --launcher "$launcher" >/dev/null
cp "$work/root/etc/systemd/system/gpumarket-agent.service" "$work/units/gpumarket-agent-installed.service"
# verify exits 0 on an unknown key or a value it cannot parse (it only warns, and systemd would ignore the line: a
# hardening option silently lost), so any line it says about our units fails the check too.
said=$(systemd-analyze verify "$work"/units/*.service 2>&1) || { echo "$said"; echo "check-dist: systemd-analyze verify refused the units"; exit 1; }
if grep -i gpumarket <<<"$said"; then echo "check-dist: systemd-analyze verify warned about the units"; exit 1; fi
echo "check-dist: systemd-analyze verify accepts $(cd "$work/units" && echo *.service)"
