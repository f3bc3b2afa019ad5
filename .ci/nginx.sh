#!/usr/bin/env bash
# Installs nginx (Debian's nginx-light) for the NginxIngress adapter's tests, without starting the
# system's nginx: each adapter runs its own nginx in its own prefix directory. Idempotent.
set -euo pipefail

log() { echo "[nginx] $*" >&2; }

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
log "apt-get install nginx-light (the system service is not started)"
# policy-rc.d answering 101 keeps the package's scripts from starting the service; one already
# there is left as it is.
own_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  own_policy=1
fi
status=0
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; } || status=$?
if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
exit "$status"
