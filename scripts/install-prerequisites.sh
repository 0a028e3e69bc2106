#!/usr/bin/env bash
# Installs the host programs the local runtime and the tests need (NGINX, PostgreSQL,
# RabbitMQ, Python venv) when they are missing, on Debian or Ubuntu. Elsewhere it says
# what to install; `ecomctl doctor` tells the same, per platform.
set -euo pipefail

needed=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || needed+=(nginx-light)
command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || needed+=(rabbitmq-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || needed+=(postgresql)
python3 -c "import venv, ensurepip" 2>/dev/null || needed+=(python3-venv)
command -v tmux >/dev/null || needed+=(tmux)  # the terminal the dashboard is tested in

if ((${#needed[@]} == 0)); then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "Missing: ${needed[*]}. Install them with your package manager (see: ecomctl doctor)." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing ${needed[*]} ..."
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${needed[@]}" >/dev/null
# Debian starts the packaged servers; ecomlab runs its own private ones on other ports.
