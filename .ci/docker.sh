#!/usr/bin/env bash
# Makes a Docker daemon answer and builds tugboat's local test images (there is no registry).
# Idempotent and fast when everything exists already. Called by .ci/run; safe to run by hand.
#
#   tugboat-test/busybox:1  busybox root filesystem, /etc/tugboat-version = 1, CMD sh
#   tugboat-test/busybox:2  the same with /etc/tugboat-version = 2 (for rolling updates)
#   tugboat/pause:1         sandbox image: sleeps forever, exits at once on SIGTERM
#   tugboat-test/node-ws:1  the busybox filesystem plus the host's node binary (and the shared
#                           libraries ldd names), node_modules/ws and /app/echo.js: HTTP on 8080
#                           (GET / answers the hostname) and a WebSocket echo ("echo:" + message)
set -euo pipefail

log() { echo "[docker.sh] $*" >&2; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

daemon_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# dockerd takes an existing /run/containerd/containerd.sock for a running system containerd and
# waits on it until it gives up ("failed to dial ... context deadline exceeded"). /run can keep the
# socket file of a containerd that is gone (a machine restored from a snapshot): remove it when
# nothing listens on it, so dockerd starts its own containerd (.ci/containerd.sh starts the system one).
clear_stale_containerd_socket() {
  local sock=/run/containerd/containerd.sock
  if [ -S "$sock" ] && [ -z "$(ss -xlHn src "$sock" 2>/dev/null)" ]; then
    log "removing the stale $sock (nothing listens on it)"
    rm -f "$sock" "$sock.ttrpc"
  fi
}

start_daemon() {
  if daemon_answers; then return; fi
  clear_stale_containerd_socket
  log "starting dockerd"
  setsid nohup dockerd >>/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    if daemon_answers; then log "dockerd is up"; return; fi
    sleep 0.5
  done
  log "dockerd did not answer within 30s; last lines of /var/log/dockerd.log:"
  tail -n 30 /var/log/dockerd.log >&2 || true
  exit 1
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# make_rootfs DIR VERSION: a busybox root filesystem with every applet linked in /bin.
make_rootfs() {
  local dir="$1" version="$2"
  mkdir -p "$dir"/{bin,etc,tmp,root,www,var/run}
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  # Relative links, so they resolve inside the image.
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
  echo "$version" >"$dir/etc/tugboat-version"
  echo "tugboat $version" >"$dir/www/index.html"
}

import_image() {
  local ref="$1" version="$2"; shift 2
  if have_image "$ref"; then return; fi
  log "building $ref"
  local dir
  dir="$(mktemp -d)"
  make_rootfs "$dir" "$version"
  tar -C "$dir" -c . | docker import "$@" - "$ref" >/dev/null
  rm -rf "$dir"
}

# The WebSocket echo of tugboat-test/node-ws: ws from the repository's node_modules.
ECHO_JS='const http = require("node:http");
const os = require("node:os");
const { WebSocketServer } = require("ws");
const server = http.createServer((req, res) => res.end(os.hostname() + "\n"));
new WebSocketServer({ server }).on("connection", (ws) => ws.on("message", (m) => ws.send("echo:" + m)));
server.listen(8080);
process.on("SIGTERM", () => process.exit(0));'

import_node_ws_image() {
  local ref=tugboat-test/node-ws:1
  if have_image "$ref"; then return; fi
  local node ws
  node="$(readlink -f "$(command -v node)")"
  ws="$(cd "$(dirname "$0")/.." && pwd)/node_modules/ws"
  if [ ! -x "$node" ] || [ ! -d "$ws" ]; then log "skipping $ref: no node binary or node_modules/ws"; return; fi
  log "building $ref"
  local dir lib
  dir="$(mktemp -d)"
  make_rootfs "$dir" ws
  mkdir -p "$dir/app/node_modules"
  cp "$node" "$dir/bin/node"
  for lib in $(ldd "$node" | grep -oE '/[^ ]+'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  cp -r "$ws" "$dir/app/node_modules/ws"
  printf '%s\n' "$ECHO_JS" >"$dir/app/echo.js"
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/bin' -c 'WORKDIR /app' -c 'CMD ["/bin/node","/app/echo.js"]' - "$ref" >/dev/null
  rm -rf "$dir"
}

install_packages
start_daemon
import_image tugboat-test/busybox:1 1 -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin'
import_image tugboat-test/busybox:2 2 -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin'
import_image tugboat/pause:1 pause -c 'ENV PATH=/bin' \
  -c 'CMD ["/bin/sh","-c","trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]'
import_node_ws_image
log "ready: $(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^tugboat' | tr '\n' ' ')"
