#!/usr/bin/env bash
# Builds local stand-ins for the official images the docker runtime uses (postgres,
# rabbitmq with management, nginx, python 3.11), for machines that reach no container
# registry. The base is a Debian bookworm made with debootstrap from the mirror apt already
# uses; each stand-in keeps its official image's documented contract (images/offline/).
# Prints the four settings that point ecomctl at them.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${ECOMLAB_OFFLINE_PREFIX:-ecomlab-offline}"
BASE="$PREFIX/debian:bookworm"
declare -A IMAGES=([python]="$PREFIX/python:3.11" [postgres]="$PREFIX/postgres:15"
                   [rabbitmq]="$PREFIX/rabbitmq:3.10-management" [nginx]="$PREFIX/nginx:1.22")

die() { echo "$*" >&2; exit 1; }
command -v docker >/dev/null || die "docker is not installed: sudo apt-get install docker.io"
docker info >/dev/null 2>&1 || die "No Docker engine answers: start it (sudo systemctl start docker, or dockerd &)."

debian_mirror() {
    # The first Debian archive apt is configured with, deb822 or one-line format.
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
    [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
    [ -n "$uri" ] || die "Cannot find a Debian mirror in apt's sources; set ECOMLAB_DEBIAN_MIRROR."
    echo "$uri"
}

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "debootstrap needs root: run this script with sudo."
    command -v debootstrap >/dev/null || die "debootstrap is not installed: sudo apt-get install debootstrap"
    mirror="${ECOMLAB_DEBIAN_MIRROR:-$(debian_mirror)}"
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    echo "debootstrap bookworm from $mirror ..."
    debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
    # Packages must not try to start services while an image is built.
    printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
    chmod +x "$root/usr/sbin/policy-rc.d"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
    tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$BASE" >/dev/null
    echo "built $BASE"
fi

for name in python postgres rabbitmq nginx; do
    echo "building ${IMAGES[$name]} ..."
    log=$(mktemp)
    if ! docker build --build-arg "BASE_IMAGE=$BASE" -t "${IMAGES[$name]}" "images/offline/$name" >"$log" 2>&1; then
        cat "$log" >&2
        die "Building ${IMAGES[$name]} failed (its output is above)."
    fi
    rm -f "$log"
done

cat <<SETTINGS
Stand-in images are ready. Point ecomctl at them:
export ECOMLAB_PYTHON_IMAGE=${IMAGES[python]}
export ECOMLAB_POSTGRES_IMAGE=${IMAGES[postgres]}
export ECOMLAB_RABBITMQ_IMAGE=${IMAGES[rabbitmq]}
export ECOMLAB_NGINX_IMAGE=${IMAGES[nginx]}
SETTINGS
