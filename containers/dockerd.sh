#!/usr/bin/env bash
# Start or stop a private Docker engine that leaves the host network alone.
#
#   containers/dockerd.sh start DIR   # dockerd with data, exec root, pidfile and socket under DIR
#   containers/dockerd.sh stop DIR    # stop it by the PID in DIR/dockerd.pid, unmount what it left
#
# After start, use it with DOCKER_HOST=unix://DIR/docker.sock. The engine runs with
# --iptables=false --ip-forward=false --bridge=none: no firewall rules, no forwarding switch, no
# docker0 bridge. Containers must use host networking (`network_mode: host`, `--network host`).
# Never start dockerd here with its default network options: they rewrite iptables.
set -euo pipefail

DEFAULT_START_TIMEOUT_S=60
DEFAULT_STOP_TIMEOUT_S=30

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$2
pidfile="$dir/dockerd.pid"
# Debian's client matches Debian's engine; another one may stand ahead of it in PATH.
docker_cli=${DOCKER:-$([ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker)}
sock="$dir/docker.sock"

start() {
  if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
    echo "dockerd: not installed (apt-get install docker.io)" >&2
    exit 1
  fi
  local dockerd_bin
  dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)
  mkdir -p "$dir/data" "$dir/exec"
  # setsid: its own process group, so a Ctrl-C aimed at the caller does not reach it first.
  setsid "$dockerd_bin" \
    --iptables=false --ip-forward=false --bridge=none --ip-masq=false \
    --data-root "$dir/data" \
    --exec-root "$dir/exec" \
    --pidfile "$pidfile" \
    -H "unix://$sock" \
    </dev/null >"$dir/dockerd.log" 2>&1 &
  local pid=$!
  local waited=0
  until [ -S "$sock" ] && DOCKER_HOST="unix://$sock" "$docker_cli" version >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "dockerd exited during start; its log:" >&2
      tail -n 30 "$dir/dockerd.log" >&2
      exit 1
    fi
    if [ "$waited" -ge $((DEFAULT_START_TIMEOUT_S * 10)) ]; then
      echo "dockerd not answering on $sock after ${DEFAULT_START_TIMEOUT_S}s; its log:" >&2
      tail -n 30 "$dir/dockerd.log" >&2
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "dockerd $pid on unix://$sock (log $dir/dockerd.log)"
}

stop() {
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((DEFAULT_STOP_TIMEOUT_S * 10)) ]; then
      echo "dockerd $pid still running after ${DEFAULT_STOP_TIMEOUT_S}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "dockerd $pid stopped"
}

# dockerd leaves its network namespace handle (DIR/exec/netns/default) mounted; unmount that and
# anything else still mounted under DIR, deepest first, so DIR can be removed.
unmount_leftovers() {
  local real
  real=$(readlink -f "$dir")
  awk -v d="$real/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mountpoint; do
      umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" 2>/dev/null || true
    done
}

case "$action" in
  start) start ;;
  stop)
    stop
    unmount_leftovers
    ;;
  *) usage ;;
esac
