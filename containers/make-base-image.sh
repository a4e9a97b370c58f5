#!/usr/bin/env bash
# Make a Node base image without a registry: a root filesystem holding this machine's `node`, the
# shared libraries it loads, and minimal /etc files, loaded with `docker import`.
#
#   containers/make-base-image.sh [TAG]      # default karoo-base:local
#
# Build the project's image on it with `--build-arg BASE_IMAGE=karoo-base:local`. The image has no
# shell and no npm: only node. Where a registry is reachable, node:20-bookworm-slim does the same job.
# DOCKER (default /usr/bin/docker when present, else docker) names the client to use.
set -euo pipefail

tag=${1:-karoo-base:local}
docker_cli=${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}
node_bin=$(readlink -f "$(command -v node)")

root=$(mktemp -d "${TMPDIR:-/tmp}/karoo-base.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/usr/local/bin" "$root/etc" "$root/app" "$root/tmp"
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/usr/local/bin/node"

# Every library node links against (ldd's "=> /path" lines) and the dynamic loader (a bare path),
# copied as real files at the paths the binary asks for.
ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
karoo:x:10001:10001:karoo:/app:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
karoo:x:10001:
nogroup:x:65534:
EOF
cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF

tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
  "$docker_cli" import \
    -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    -c 'WORKDIR /app' \
    -c 'CMD ["node"]' \
    - "$tag" >/dev/null
echo "base image $tag: $("$node_bin" --version) from $node_bin"
