#!/usr/bin/env bash
# Makes an etcd answer on 127.0.0.1:2379 for the EtcdStore tests (test/conformance/etcd-store.test.ts
# and the integration tests that run a control plane on etcd). Idempotent and fast when it answers.
# Called by .ci/setup; safe to run by hand.
#
#   etcd-server, etcd-client  Debian 12's packages (etcd 3.4). No service is started by the package
#                             here (no systemd): this script starts the one the tests use.
#   data                      /var/lib/tugboat-etcd (a single member named tugboat)
#   log                       /var/log/tugboat-etcd.log
#   pid                       /run/tugboat-etcd.pid
#
# Tests that restart or compact etcd start their own private etcd on other ports in a temp dir;
# this one is shared by every test (each test keeps its keys under a unique prefix).
set -euo pipefail

log() { echo "[etcd.sh] $*" >&2; }

ENDPOINT=127.0.0.1:2379
PEER=127.0.0.1:2380
DATA=/var/lib/tugboat-etcd
LOG=/var/log/tugboat-etcd.log
PIDFILE=/run/tugboat-etcd.pid

install_packages() {
  local missing=()
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

answers() { ETCDCTL_API=3 etcdctl --endpoints "$ENDPOINT" --dial-timeout=2s --command-timeout=3s endpoint health >/dev/null 2>&1; }

listening() { [ -n "$(ss -ltnH "sport = :${ENDPOINT##*:}" 2>/dev/null)" ]; }

start_daemon() {
  if answers; then return; fi
  if listening; then
    # Something listens on the port but does not answer yet (an etcd starting up): wait, never restart it.
    log "waiting for the etcd listening on $ENDPOINT"
  else
    # A pid file of an etcd that is gone (a machine restored from a snapshot, an earlier boot): drop it.
    if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "removing the stale $PIDFILE"
      rm -f "$PIDFILE"
    fi
    mkdir -p "$DATA"
    chmod 700 "$DATA"
    log "starting etcd on $ENDPOINT (data in $DATA)"
    # Debian's etcd 3.4 reads its settings from ETCD_* variables too: unset any a profile set.
    env -u ETCD_DATA_DIR -u ETCD_NAME setsid nohup etcd \
      --name tugboat \
      --data-dir "$DATA" \
      --listen-client-urls "http://$ENDPOINT" \
      --advertise-client-urls "http://$ENDPOINT" \
      --listen-peer-urls "http://$PEER" \
      --initial-advertise-peer-urls "http://$PEER" \
      --initial-cluster "tugboat=http://$PEER" \
      --initial-cluster-state new \
      --quota-backend-bytes 4294967296 \
      --auto-compaction-mode revision --auto-compaction-retention 100000 \
      >>"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  fi
  for _ in $(seq 1 60); do
    if answers; then log "etcd is up ($(etcd --version 2>/dev/null | head -n 1))"; return; fi
    sleep 0.5
  done
  log "etcd did not answer on $ENDPOINT within 30s; last lines of $LOG:"
  tail -n 30 "$LOG" >&2 || true
  exit 1
}

install_packages
start_daemon
