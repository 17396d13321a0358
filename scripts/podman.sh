#!/usr/bin/env bash
# npm test's Podman: installs Debian's podman when missing, serves its Docker API on a socket (no systemd needed)
# and loads surge's test image into it, so the Podman engine tests run against what the README promises.
# Idempotent and quick when everything is there. Run after scripts/engine.sh (it saves the image from dockerd).
set -euo pipefail

SOCK=${SURGE_PODMAN_SOCK:-/tmp/podman.sock}
IMAGE=surge-test/busybox:1
LOG=/var/log/surge-podman.log
CONF=/etc/containers/containers.conf
step() { printf 'podman: %s\n' "$*"; }

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
api() { docker -H "unix://$SOCK" "$@"; }

if ! command -v podman >/dev/null 2>&1; then
  step "installing podman (apt)"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
fi

# In a container without CAP_SYS_RESOURCE, Podman's default rlimits cannot be set ("error setting rlimit type 7:
# operation not permitted"): ask for limits any process may set.
if ! grep -qs '^ *default_ulimits' "$CONF"; then
  step "setting default_ulimits in $CONF"
  sudo_ mkdir -p "$(dirname "$CONF")"
  if grep -qs '^\[containers\]' "$CONF"; then
    sudo_ sed -i '/^\[containers\]/a default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]' "$CONF"
  else
    printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n' | sudo_ tee -a "$CONF" >/dev/null
  fi
  restart=1
fi

if [ -n "${restart:-}" ] || ! api version >/dev/null 2>&1; then
  if [ -n "${restart:-}" ] && [ -f /run/surge-podman.pid ]; then sudo_ kill "$(cat /run/surge-podman.pid)" 2>/dev/null || true; sleep 1; fi
  step "starting podman system service on unix://$SOCK (log: $LOG)"
  sudo_ sh -c "setsid nohup podman system service --time=0 unix://$SOCK >$LOG 2>&1 < /dev/null & echo \$! > /run/surge-podman.pid"
  for _ in $(seq 1 30); do
    api version >/dev/null 2>&1 && break
    sleep 1
  done
  if ! api version >/dev/null 2>&1; then
    echo "podman: the service did not answer within 30 s; the end of its log:" >&2
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
fi

# `podman load` names the image localhost/surge-test/busybox:1, as it does any image without a registry: the case
# a client matching repo tags by string gets wrong.
if ! podman image exists "localhost/$IMAGE"; then
  step "loading $IMAGE from dockerd"
  docker save "$IMAGE" | podman load -q >/dev/null
fi

step "ready: Podman $(podman version --format '{{.Server.Version}}' 2>/dev/null || podman version --format '{{.Version}}') on unix://$SOCK, image localhost/$IMAGE"
