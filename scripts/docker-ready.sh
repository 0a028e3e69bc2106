#!/usr/bin/env bash
# Makes the docker runtime usable on this machine, for `make test` and `make demo`:
#   1. with --install (CI, or a fresh Debian machine): install Debian's docker.io,
#      debootstrap and docker-compose when missing;
#   2. start dockerd when no engine answers and we are root (a laptop's Docker Desktop or
#      systemd unit is left alone);
#   3. when the pinned official images can be neither found nor pulled (no registry
#      reachable), build the local stand-ins (scripts/offline-images.sh) and write the
#      settings that select them to .ecomlab/offline-images.env, which the Makefile loads.
# Without an engine it says so and exits 0: the docker tests then say what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
settings=.ecomlab/offline-images.env

if [ "${1:-}" = --install ] && ! command -v dockerd >/dev/null; then
    echo "Installing docker.io, debootstrap and docker-compose ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker.io debootstrap docker-compose >/dev/null
fi
if ! command -v docker >/dev/null; then
    echo "docker is not installed: the docker runtime and its tests need it (sudo apt-get install docker.io)." >&2
    exit 0
fi
if ! docker info >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null; then
    echo "Starting dockerd ..."
    nohup dockerd >/var/log/ecomlab-dockerd.log 2>&1 &
    for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
fi
if ! docker info >/dev/null 2>&1; then
    echo "No Docker engine answers: start Docker to use the docker runtime and run its tests." >&2
    exit 0
fi

official=$(sed -n '/^images:/,/^[^ ]/p' stack.yaml | awk '/^  [a-z]+:/ {print $2}')
missing=0
for image in $official; do
    docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
    echo "The official images cannot be pulled here: building local stand-ins ..."
    mkdir -p .ecomlab
    scripts/offline-images.sh | grep '^export ' > "$settings.tmp"
    mv "$settings.tmp" "$settings"
    echo "Stand-in images selected in $settings."
else
    rm -f "$settings"
fi
