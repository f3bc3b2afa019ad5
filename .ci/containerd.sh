#!/usr/bin/env bash
# Makes a containerd daemon answer on /run/containerd/containerd.sock, installs the CNI plugins
# and tugboat's CNI network, and imports tugboat's test images into the containerd namespace the
# tests use. Idempotent and fast when everything is there. Called by .ci/setup after
# .ci/docker.sh (the images come from dockerd: `docker save | ctr images import`).
#
#   containerd                   Debian 12's package (1.6); often there already as a docker.io
#                                dependency. A daemon already answering (dockerd's, namespace
#                                moby, or a system one) is used as it is: never restarted.
#   containernetworking-plugins  bridge, host-local, loopback, portmap in /usr/lib/cni
#   /etc/tugboat/cni/tugboat.conflist
#                                the pod network (bridge tugboat0, 10.213.0.0/16), in its own
#                                folder so containerd's CRI plugin (which reads /etc/cni/net.d)
#                                does not take it for its own
#   docker-registry              a local OCI registry on 127.0.0.1:5000 (pull tests), started
#                                here with its data under /var/lib/tugboat-registry, holding
#                                127.0.0.1:5000/tugboat-test/busybox:1
#
# Environment: TUGBOAT_CONTAINERD_NAMESPACE (default tugboat) is where the images go.
set -euo pipefail

log() { echo "[containerd.sh] $*" >&2; }

SOCK=/run/containerd/containerd.sock
NS="${TUGBOAT_CONTAINERD_NAMESPACE:-tugboat}"
CNI_DIR=/etc/tugboat/cni
REGISTRY_ADDR=127.0.0.1:5000

install_packages() {
  local missing=()
  command -v containerd >/dev/null 2>&1 || missing+=(containerd)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # No service is started by the packages here (no systemd): this script starts what it needs.
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

daemon_answers() { ctr --address "$SOCK" version >/dev/null 2>&1; }

start_daemon() {
  if daemon_answers; then return; fi
  if [ -S "$SOCK" ] && [ -n "$(ss -xlHn src "$SOCK" 2>/dev/null)" ]; then
    # A daemon listens on the socket but does not answer yet (starting up): wait, never restart it.
    # (Not `pgrep containerd`: dockerd's own containerd has that name and listens elsewhere.)
    log "waiting for the running containerd"
  else
    # A socket file nothing listens on is left from a containerd that is gone.
    rm -f "$SOCK" "$SOCK.ttrpc"
    log "starting containerd"
    modprobe overlay 2>/dev/null || true
    setsid nohup containerd >>/var/log/containerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    if daemon_answers; then log "containerd is up"; return; fi
    sleep 0.5
  done
  log "containerd did not answer on $SOCK within 30s; last lines of /var/log/containerd.log:"
  tail -n 30 /var/log/containerd.log >&2 || true
  exit 1
}

write_cni_config() {
  mkdir -p "$CNI_DIR"
  local conf="$CNI_DIR/tugboat.conflist"
  local want
  want=$(cat <<'EOF'
{
  "cniVersion": "1.0.0",
  "name": "tugboat",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "tugboat0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "10.213.0.0/16" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
)
  if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
    log "writing $conf"
    printf '%s\n' "$want" >"$conf.tmp"
    mv "$conf.tmp" "$conf"
  fi
}

# (The list is read whole first: grep -q closing the pipe early would fail it under pipefail.)
have_image() {
  local names
  names="$(ctr --address "$SOCK" -n "$NS" images ls -q 2>/dev/null)" || return 1
  grep -qx "docker.io/$1" <<<"$names"
}

# import_image REF: from dockerd (built by .ci/docker.sh) into the namespace, unpacked for overlayfs.
import_image() {
  local ref="$1"
  if have_image "$ref"; then return; fi
  log "importing $ref into containerd namespace $NS"
  docker save "$ref" | ctr --address "$SOCK" -n "$NS" images import --snapshotter overlayfs - >/dev/null
}

registry_answers() { curl -fsS -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }

start_registry() {
  if registry_answers; then return; fi
  mkdir -p /var/lib/tugboat-registry /etc/tugboat
  cat >/etc/tugboat/registry.yml <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/tugboat-registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  log "starting docker-registry on $REGISTRY_ADDR"
  setsid nohup docker-registry serve /etc/tugboat/registry.yml >>/var/log/tugboat-registry.log 2>&1 </dev/null &
  for _ in $(seq 1 40); do
    if registry_answers; then return; fi
    sleep 0.25
  done
  log "docker-registry did not answer on $REGISTRY_ADDR; last lines of /var/log/tugboat-registry.log:"
  tail -n 30 /var/log/tugboat-registry.log >&2 || true
  exit 1
}

# push_to_registry REF: the dockerd image into the local registry as 127.0.0.1:5000/REF (pull tests).
push_to_registry() {
  local ref="$1" name="${1%%:*}" tag="${1##*:}"
  if curl -fsS -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$name/manifests/$tag" 2>/dev/null; then return; fi
  log "pushing $ref to $REGISTRY_ADDR"
  docker tag "$ref" "$REGISTRY_ADDR/$ref"
  docker push -q "$REGISTRY_ADDR/$ref" >/dev/null
  docker rmi "$REGISTRY_ADDR/$ref" >/dev/null
}

install_packages
start_daemon
write_cni_config
import_image tugboat-test/busybox:1
import_image tugboat-test/busybox:2
import_image tugboat/pause:1
start_registry
push_to_registry tugboat-test/busybox:1
log "ready: $(ctr --address "$SOCK" -n "$NS" images ls -q | tr '\n' ' ')"
