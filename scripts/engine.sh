#!/usr/bin/env bash
# npm run engine: makes a Docker engine and surge's local test image available. Idempotent and quick when
# everything is there. Works from nothing on Debian as root, without systemd; no image registry is needed.
set -euo pipefail

IMAGE=surge-test/busybox:1
LOG=/var/log/surge-dockerd.log
step() { printf 'engine: %s\n' "$*"; }

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# The test image is the host's busybox copied into an empty root: it must be the static build.
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]} (apt)"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  step "starting dockerd (log: $LOG)"
  sudo_ sh -c "cd / && setsid nohup dockerd >$LOG 2>&1 < /dev/null &"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "engine: dockerd did not answer within 60 s; the end of its log:" >&2
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  step "building $IMAGE from /bin/busybox"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
fi

step "ready: Docker $(docker version --format '{{.Server.Version}}') (API $(docker version --format '{{.Server.APIVersion}}')), image $IMAGE"
