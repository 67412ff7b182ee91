#!/usr/bin/env bash
# Builds the self-contained distribution from the runnable jar (docs/hosting.md, "Installing"): a Java runtime made
# by jlink with only the JDK modules the jar needs, the jar, the launcher (bin/gpumarket), the systemd units and the
# hosting guide, as app/target/gpumarket-dist/ and app/target/gpumarket-VERSION-linux-x64.tar.gz (one top folder,
# gpumarket-VERSION/). Run by `./gpumarket dist` after the jar is built, with JAVA_HOME the JDK to take the runtime
# from (a JDK >= 24 links from its own run-time image, no jmods needed).
#
# The modules: jdeps's answer for the jar (every class of every dependency) plus the ones only reflection or a
# service loader reaches (EXTRA below). The runtime is cached by the module list and the JDK's version under
# ${XDG_CACHE_HOME:-~/.cache}/gpumarket/jlink, so a rebuild with the same modules only copies it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
target="$root/app/target"
jar="$target/gpumarket.jar"
: "${JAVA_HOME:?JAVA_HOME must name the JDK to link the runtime from}"
[ -f "$jar" ] || { echo "make-dist: $jar is missing (build first: ./gpumarket build)" >&2; exit 1; }
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")
name="gpumarket-$version"
dist="$target/gpumarket-dist"
tarball="$target/$name-linux-x64.tar.gz"

# Reached by reflection or a service loader, which jdeps cannot see:
#   jdk.management  com.sun.management's process and OS figures (Micrometer's JVM and process metrics)
#   jdk.crypto.ec   the EC provider's module for SSH keys and key exchange on JDKs before its merge into java.base
#   jdk.zipfs       zip file systems (resources read from inside the jar as a FileSystem)
#   jdk.charsets    the encodings a renter's terminal or a file name may come in beyond UTF-8 and Latin-1
# (Not jdk.localedata: nothing here formats for a locale, and java.base's English and root data are the fallback.)
EXTRA=jdk.management,jdk.crypto.ec,jdk.zipfs,jdk.charsets
t0=$SECONDS
found=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')" \
  --print-module-deps "$jar")
modules=$(printf '%s,%s' "$found" "$EXTRA" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd,)
echo "make-dist: modules ($((SECONDS - t0)) s for jdeps): $modules" >&2

jlink_opts=(--strip-debug --no-man-pages --no-header-files --generate-cds-archive)
key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$modules"; echo "${jlink_opts[*]}"; } | sha256sum | cut -c1-16)
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/gpumarket/jlink/$key"
if [ ! -x "$cache/bin/java" ]; then
  t0=$SECONDS
  rm -rf "$cache.tmp"; mkdir -p "$(dirname "$cache")"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" "${jlink_opts[@]}" --output "$cache.tmp" >&2
  rm -rf "$cache"; mv "$cache.tmp" "$cache"
  echo "make-dist: linked the runtime in $((SECONDS - t0)) s ($(du -sh "$cache" | cut -f1))" >&2
else
  echo "make-dist: runtime from the cache ($cache)" >&2
fi

rm -rf "$dist"
mkdir -p "$dist/bin" "$dist/lib/systemd" "$dist/docs"
cp -a "$cache" "$dist/runtime"
cp "$jar" "$dist/lib/gpumarket.jar"
install -m 755 "$root/app/src/dist/bin/gpumarket" "$dist/bin/gpumarket"
cp "$root"/app/src/main/resources/systemd/*.service "$dist/lib/systemd/"
cp "$root/docs/hosting.md" "$dist/docs/"
# The server's JVM options as ./gpumarket writes them (the one place they are written), without this shell's heap.
env -u GPUMARKET_SERVER_HEAP "$root/gpumarket" server-jvm >"$dist/lib/server-jvm.options"
echo "$version" >"$dist/VERSION"

# The runtime must run the jar: a module jdeps missed fails here rather than on a host.
"$dist/bin/gpumarket" --version >/dev/null || { echo "make-dist: the bundled runtime cannot run the jar" >&2; exit 1; }

rm -f "$tarball"
tar -C "$target" --transform "s,^gpumarket-dist,$name," --owner=0 --group=0 -czf "$tarball" gpumarket-dist
echo "make-dist: $dist ($(du -sh "$dist" | cut -f1)), $tarball ($(du -h "$tarball" | cut -f1))" >&2
