#!/usr/bin/env bash
# A Docker-compatible engine for the container launcher's tests, CI and `gpumarket dev --runtime docker`:
# Podman's Engine API service on a private socket, plus a small local test image (no registry is reachable
# from these machines). Used by .ci/run and by the testkit (PodmanService), so both get the same set-up.
#
#   .ci/podman-service.sh start DIR   # writes DIR/containers.conf, starts the service on DIR/podman.sock,
#                                     # builds the image, prints "unix://DIR/podman.sock"
#   .ci/podman-service.sh helpers DIR # lists (pid, command line) the engine processes the service in DIR left
#                                     # running: conmons and what they run; nothing when all is clean
#   .ci/podman-service.sh stop DIR    # stops the service started in DIR, and removes what it left running
#   .ci/podman-service.sh image       # builds the test image only (needs podman)
#
# Why these settings (docs/architecture.md §6): crun fails on these VMs, so Podman is told to use runc; the default
# ulimits Podman asks for exceed what the VM allows, so they are lowered.
# The test image, localhost/gpumarket-test:latest, is busybox-static (sh, cat, sha256sum …) plus rsync and
# the libraries it links against: small, and enough for ssh, scp (SFTP) and rsync into a container.
set -euo pipefail
IMAGE=${GPUMARKET_TEST_IMAGE:-localhost/gpumarket-test:latest}

install_packages() {
  local need=()
  command -v podman >/dev/null || need+=(podman)
  command -v runc >/dev/null || need+=(runc)
  dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)     # static: runs in an image without libc
  command -v rsync >/dev/null || need+=(rsync)
  if [ ${#need[@]} -gt 0 ]; then
    [ "${PODMAN_SERVICE_INSTALL:-}" = 1 ] || { echo "podman-service: missing ${need[*]} (set PODMAN_SERVICE_INSTALL=1 to apt-get them)" >&2; exit 3; }
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq "${need[@]}") >/dev/null
  fi
}

write_conf() {
  local dir=$1
  cat > "$dir/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]
[engine]
runtime = "runc"
EOF
}

build_image() {
  podman image exists "$IMAGE" && return 0
  local root; root=$(mktemp -d)
  mkdir -p "$root"/{bin,usr/bin,root,tmp,etc,proc,sys,dev,workspace}
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
  cp "$(command -v rsync)" "$root/usr/bin/rsync"
  # rsync's shared libraries and the loader, at the paths it was linked with
  ldd "$(command -v rsync)" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -cf "$root.tar" .
  podman import -q -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$root.tar" "$IMAGE" >/dev/null
  rm -rf "$root" "$root.tar"
}

# The processes the service in DIR started, itself excluded: they (conmon, its clean-up runs) inherit the
# service's CONTAINERS_CONF, which names DIR, so they are told apart from other engines' on a shared host.
# Containers' own processes get their environment from the image, not from conmon, and are not listed.
helpers() {
  local dir=$1 service want pid cmd
  service=$(cat "$dir/podman.pid" 2>/dev/null || echo 0)
  want="CONTAINERS_CONF=$dir/containers.conf"
  # one grep over every process's environment (NUL-separated entries, -z): a fork per process is slow
  for env in $(grep -lzxF "$want" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$service" ] && continue
    if [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ]; then continue; fi
    cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || continue   # gone meanwhile
    if [ -n "$cmd" ]; then echo "$pid $cmd"; fi
  done
}

# After the service stopped: removes the containers whose conmons are still running (what a run left behind),
# then ends whatever of the engine's is left, so nothing outlives the service.
reap() {
  local dir=$1 left cids
  left=$(helpers "$dir")
  [ -z "$left" ] && return 0
  cids=$(awk '$2 ~ /conmon$/ { for (i = 3; i < NF; i++) if ($i == "-c") print $(i + 1) }' <<<"$left" | sort -u)
  for c in $cids; do CONTAINERS_CONF="$dir/containers.conf" podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  for _ in $(seq 1 50); do
    left=$(helpers "$dir")
    [ -z "$left" ] && return 0
    # SIGTERM makes a conmon waiting out Podman's exit delay run its clean-up now
    awk '{ print $1 }' <<<"$left" | xargs -r kill 2>/dev/null || true
    sleep 0.1
  done
  awk '{ print $1 }' <<<"$(helpers "$dir")" | xargs -r kill -9 2>/dev/null || true
}

case "${1:-}" in
  start)
    dir=$(cd "${2:?usage: $0 start DIR}" && pwd)
    install_packages
    write_conf "$dir"
    export CONTAINERS_CONF="$dir/containers.conf"
    sock="$dir/podman.sock"
    rm -f "$sock"
    # --time=0: serve until stopped. setsid: the service outlives the shell that started it.
    setsid podman system service --time=0 "unix://$sock" >"$dir/podman.log" 2>&1 < /dev/null &
    echo $! > "$dir/podman.pid"
    for _ in $(seq 1 100); do
      curl -sf --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    curl -sf --unix-socket "$sock" http://d/_ping >/dev/null || { cat "$dir/podman.log" >&2; echo "podman-service: the service did not answer on $sock" >&2; exit 1; }
    build_image
    echo "unix://$sock"
    ;;
  helpers)
    helpers "${2:?usage: $0 helpers DIR}"
    ;;
  stop)
    dir=${2:?usage: $0 stop DIR}
    if [ -f "$dir/podman.pid" ]; then
      pid=$(cat "$dir/podman.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/podman.pid"
    fi
    [ -f "$dir/containers.conf" ] && reap "$dir"
    ;;
  image)
    install_packages
    build_image
    echo "$IMAGE"
    ;;
  *) echo "usage: $0 start DIR | helpers DIR | stop DIR | image" >&2; exit 2 ;;
esac
