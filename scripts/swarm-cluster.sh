#!/usr/bin/env bash
# A real 3-node Docker Swarm on this one machine, for the Swarm driver's engine tests and benchmarks.
#
#   bash scripts/swarm-cluster.sh up            idempotent: network, 3 dockerd, swarm, labels, test image, all Ready
#   bash scripts/swarm-cluster.sh down          removes exactly what `up` made; safe when partly up
#   bash scripts/swarm-cluster.sh status        node table; exits 1 unless 3 nodes are Ready and Active
#   bash scripts/swarm-cluster.sh env           `export …` lines: DOCKER_HOST (node 1) and every node's socket
#   bash scripts/swarm-cluster.sh stop-node N   stops node N's dockerd (SIGTERM, waits); `--kill` sends SIGKILL
#   bash scripts/swarm-cluster.sh start-node N  starts node N's dockerd again; it rejoins with its saved state
#
# Each node is a dockerd in its own network namespace (sswnN) joined to a host bridge (surge-swarm0) by a veth
# pair, with its own data root, exec root, pid file, cgroup parent and socket (/run/surge-swarm/nodeN/). The main
# dockerd (/var/run/docker.sock) is only read from (`docker save`), never changed. `down` leaves behind only the
# daemons' logs (/var/log/surge-swarm/) and the lock file /run/surge-swarm.lock. See docs/swarm-api-notes.md.
#
# Settings (environment). An unset one keeps what the running cluster has (first `up`: the default), so callers
# that do not care never undo another caller's choice; a set one that differs restarts the node whose daemon
# flags changed (GPU) or promotes/demotes nodes 2 and 3 (managers).
#   SWARM_MANAGERS=1|3    node 1 is the only manager (default), or all three are managers
#   SWARM_GPU_NODE=N      node N advertises the generic resource NVIDIA-GPU=$SWARM_GPU_COUNT (default 2);
#                         empty or "none": no node does (default)
#   SWARM_IMAGES="…"      images copied from the main engine to every node (default surge-test/busybox:1)
set -euo pipefail
# (With pipefail, never `… | grep -q`: grep exits at the first match, the writer gets SIGPIPE and the pipe fails.)

# Addresses: 198.18.0.0/15 is reserved for benchmarking (RFC 2544), so it is in none of Docker's default pools
# (172.17–31.0.0/16, 192.168.0.0/16, swarm overlays 10.0.0.0/8) nor on any host network here.
NODES=(1 2 3)
BRIDGE=surge-swarm0
BRIDGE_CIDR=198.18.0.1/24
node_addr() { echo "198.18.0.1$1"; }
node_bip() { echo "198.19.$1.1/24"; }
# Networks a node makes for itself (docker_gwbridge, user bridges) live only in its namespace: one pool for all.
NODE_POOL=base=198.19.128.0/17,size=24
RUN_ROOT=/run/surge-swarm
DATA_ROOT=/var/lib/surge-swarm
LOG_DIR=/var/log/surge-swarm
MAIN_SOCK=unix:///var/run/docker.sock
# iptables rules `up` adds, as "TABLE CHAIN MATCH…" (no argument holds a space); each carries the comment
# surge-swarm. Docker's FORWARD policy is DROP and bridged frames pass through iptables (br_netfilter): without the
# first rule the nodes cannot reach each other and `swarm join` times out. The other two let the nodes out to the
# host's resolver, as Docker's own bridges do: without them every task start waits ~20 s for a DNS timeout in
# its image pull (swarm always tries to pull), where the main engine fails the same lookup in milliseconds.
RULES=(
  "filter FORWARD -i $BRIDGE -j ACCEPT"
  "filter FORWARD -o $BRIDGE -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
  "nat POSTROUTING -s ${BRIDGE_CIDR%.*}.0/24 ! -o $BRIDGE -j MASQUERADE"
)
rule() { local table=$1 op=$2 chain=$3; shift 3; iptables -t "$table" "$op" "$chain" "$@" -m comment --comment surge-swarm; }

SETTINGS=$RUN_ROOT/settings
saved() { sed -n "s/^$1=//p" "$SETTINGS" 2>/dev/null || true; }
MANAGERS=${SWARM_MANAGERS-$(saved MANAGERS)}
MANAGERS=${MANAGERS:-1}
GPU_NODE=${SWARM_GPU_NODE-$(saved GPU_NODE)}
[ "$GPU_NODE" = none ] && GPU_NODE=
GPU_COUNT=${SWARM_GPU_COUNT-$(saved GPU_COUNT)}
GPU_COUNT=${GPU_COUNT:-2}
IMAGES=${SWARM_IMAGES:-surge-test/busybox:1}

ns() { echo "sswn$1"; }
veth_host() { echo "sswn$1-h"; }
veth_node() { echo "sswn$1-n"; }
node_dir() { echo "$RUN_ROOT/node$1"; }
node_sock() { echo "$RUN_ROOT/node$1/docker.sock"; }
node_pidfile() { echo "$RUN_ROOT/node$1/docker.pid"; }
node_exec_root() { echo "$RUN_ROOT/node$1/exec"; }
node_data_root() { echo "$DATA_ROOT/node$1"; }
node_log() { echo "$LOG_DIR/node$1.log"; }

say() { printf 'swarm-cluster: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
# The script's own docker calls never follow a DOCKER_HOST the caller may have exported (e.g. from `env`).
main_docker() { env -u DOCKER_HOST -u DOCKER_CONTEXT docker -H "$MAIN_SOCK" "$@"; }
node_docker() { local n=$1; shift; env -u DOCKER_HOST -u DOCKER_CONTEXT docker -H "unix://$(node_sock "$n")" "$@"; }

check_node_arg() { [[ "${1:-}" =~ ^[123]$ ]] || die "expected a node number 1, 2 or 3, got '${1:-}'"; }

# ---- network -------------------------------------------------------------------------------------------------

net_up() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr show dev "$BRIDGE" | grep " ${BRIDGE_CIDR} " >/dev/null || ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local r
  for r in "${RULES[@]}"; do
    # shellcheck disable=SC2086 # the rule's words
    set -- $r
    rule "$1" -C "${@:2}" 2>/dev/null || rule "$1" -I "${@:2}"
  done
  local n
  for n in "${NODES[@]}"; do
    local netns; netns=$(ns "$n")
    [ -e "/run/netns/$netns" ] || ip netns add "$netns"
    if ! ip link show "$(veth_host "$n")" >/dev/null 2>&1; then
      ip link add "$(veth_host "$n")" type veth peer name "$(veth_node "$n")"
      ip link set "$(veth_node "$n")" netns "$netns"
    fi
    ip link set "$(veth_host "$n")" master "$BRIDGE" up
    ip -n "$netns" link set lo up
    ip -n "$netns" link set "$(veth_node "$n")" up
    ip -n "$netns" addr show dev "$(veth_node "$n")" | grep " $(node_addr "$n")/24 " >/dev/null ||
      ip -n "$netns" addr add "$(node_addr "$n")/24" dev "$(veth_node "$n")"
    ip -n "$netns" route replace default via "${BRIDGE_CIDR%/*}"
  done
}

net_down() {
  local n
  for n in "${NODES[@]}"; do
    [ ! -e "/run/netns/$(ns "$n")" ] || ip netns del "$(ns "$n")"
    # Deleting the namespace destroys the veth pair, but not at once: the host end may vanish between a check and
    # `ip link del`, so a failure here is only an error if the link is still there afterwards (checked below).
    ip link del "$(veth_host "$n")" 2>/dev/null || true
  done
  [ ! -e /run/netns/sswn-probe ] || ip netns del sswn-probe
  ip link del "$BRIDGE" 2>/dev/null || true
  local r
  for r in "${RULES[@]}"; do
    # shellcheck disable=SC2086 # the rule's words
    set -- $r
    while rule "$1" -C "${@:2}" 2>/dev/null; do rule "$1" -D "${@:2}"; done
  done
  return 0
}

# ---- daemons -------------------------------------------------------------------------------------------------

daemon_args() {
  local n=$1
  local args=(--config-file "$(node_dir "$n")/daemon.json" --data-root "$(node_data_root "$n")"
    --exec-root "$(node_exec_root "$n")" --pidfile "$(node_pidfile "$n")" -H "unix://$(node_sock "$n")"
    --bip "$(node_bip "$n")" --default-address-pool "$NODE_POOL" --cgroup-parent "surge-swarm-node$n"
    --containerd-namespace "sswn$n" --containerd-plugins-namespace "sswn$n-plugins"
    --swarm-default-advertise-addr "$(node_addr "$n")" --storage-driver overlay2)
  [ "$GPU_NODE" = "$n" ] && args+=(--node-generic-resource "NVIDIA-GPU=$GPU_COUNT")
  printf '%s\n' "${args[@]}"
}

# The pid of node N's dockerd when it runs (checked against its command line, so a reused pid is never taken).
daemon_pid() {
  local n=$1 pid
  pid=$(cat "$(node_pidfile "$n")" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -x -- "$(node_data_root "$n")" >/dev/null || return 1
  echo "$pid"
}

daemon_answers() { node_docker "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

daemon_start() {
  local n=$1 dir; dir=$(node_dir "$n")
  mkdir -p "$dir" "$(node_exec_root "$n")" "$(node_data_root "$n")" "$LOG_DIR"
  # Its own (empty) config file: a host /etc/docker/daemon.json must not leak in.
  [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
  daemon_args "$n" >"$dir/args"
  mapfile -t args <"$dir/args"
  printf '\n==== %s start: dockerd %s\n' "$(date -Is)" "${args[*]}" >>"$(node_log "$n")"
  # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd then fails ("Devices cgroup isn't
  # mounted"). A UTS namespace gives each node its own hostname, so `docker node ls` tells them apart.
  setsid nsenter --net="/run/netns/$(ns "$n")" unshare --uts sh -c 'hostname "$0" && exec dockerd "$@"' \
    "$(ns "$n")" "${args[@]}" >>"$(node_log "$n")" 2>&1 </dev/null 9>&- &
  local i
  for i in $(seq 1 120); do
    daemon_answers "$n" && return 0
    # The pid file appears only once dockerd is up; before that the background job is what can die.
    if ! kill -0 $! 2>/dev/null && ! daemon_pid "$n" >/dev/null; then break; fi
    sleep 0.5
  done
  say "node $n: dockerd did not answer; the end of $(node_log "$n"):"
  tail -n 20 "$(node_log "$n")" >&2
  exit 1
}

# Stops node N's dockerd and waits for it to exit. A manager takes several seconds (it stops its tasks first).
daemon_stop() {
  local n=$1 signal=${2:-TERM} pid
  pid=$(daemon_pid "$n") || return 0
  kill "-$signal" "$pid"
  local i
  for i in $(seq 1 120); do
    [ -d "/proc/$pid" ] || return 0
    sleep 0.5
  done
  say "node $n: dockerd $pid still runs after 60 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while [ -d "/proc/$pid" ]; do sleep 0.2; done
}

# Whatever a killed daemon left behind: its containerd, shims and the containers in its cgroup parent.
leftovers_kill() {
  local n=$1 exec_root pid
  exec_root=$(node_exec_root "$n")
  # containerd and its shims name a file under the node's exec root on their command lines.
  for pid in $(grep -lsaF -- "$exec_root/containerd/" /proc/[0-9]*/cmdline | cut -d/ -f3); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  local cg
  for cg in /sys/fs/cgroup/pids/surge-swarm-node"$n" /sys/fs/cgroup/unified/surge-swarm-node"$n"; do
    [ -d "$cg" ] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  done
  sleep 0.2
  for cg in /sys/fs/cgroup/*/surge-swarm-node"$n"; do
    if [ -d "$cg" ]; then find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
  return 0
}

# Unmounts everything under a node's roots (container rootfs, netns files, shm) before its folders are removed,
# deepest first; `rm --one-file-system` below is a second guard against reaching through a bind mount.
mounts_release() {
  local n=$1 mp
  awk '{print $5}' /proc/self/mountinfo | { grep -E "^($(node_exec_root "$n")|$(node_data_root "$n"))(/|$)" || true; } |
    sort -r | while read -r mp; do umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true; done
}

# ---- swarm ---------------------------------------------------------------------------------------------------

swarm_state() { node_docker "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown; }
node_id() { node_docker "$1" info --format '{{.Swarm.NodeID}}'; }

swarm_up() {
  if [ "$(swarm_state 1)" != active ]; then
    say "node 1: swarm init"
    node_docker 1 swarm init --advertise-addr "$(node_addr 1)" --listen-addr "$(node_addr 1):2377" >/dev/null
  fi
  local n known
  known=$(node_docker 1 node ls --format '{{.ID}}')
  for n in 2 3; do
    local role=worker
    [ "$MANAGERS" = 3 ] && role=manager
    # A node left in another (older) swarm leaves it first.
    if [ "$(swarm_state "$n")" = active ] && ! grep -qx "$(node_id "$n")" <<<"$known"; then
      node_docker "$n" swarm leave --force >/dev/null
    fi
    if [ "$(swarm_state "$n")" != active ]; then
      say "node $n: swarm join as $role"
      node_docker "$n" swarm join --token "$(node_docker 1 swarm join-token -q "$role")" \
        --advertise-addr "$(node_addr "$n")" --listen-addr "$(node_addr "$n"):2377" "$(node_addr 1):2377" >/dev/null
    else
      local current; current=$(node_docker 1 node inspect --format '{{.Spec.Role}}' "$(node_id "$n")")
      if [ "$current" != "$role" ]; then
        if [ "$role" = manager ]; then node_docker 1 node promote "$(node_id "$n")" >/dev/null
        else node_docker 1 node demote "$(node_id "$n")" >/dev/null; fi
      fi
    fi
  done
  # Entries of nodes that are no longer any of ours (an earlier join of a wiped node) only confuse tests.
  local ids=() id
  for n in "${NODES[@]}"; do ids+=("$(node_id "$n")"); done
  for id in $(node_docker 1 node ls --format '{{.ID}}'); do
    printf '%s\n' "${ids[@]}" | grep -x "$id" >/dev/null || node_docker 1 node rm --force "$id" >/dev/null
  done
  for n in "${NODES[@]}"; do
    local gpu=false
    [ "$GPU_NODE" = "$n" ] && gpu=true
    node_docker 1 node update --label-add "surge-swarm.node=$n" --label-add "surge-swarm.gpu=$gpu" \
      "${ids[$((n - 1))]}" >/dev/null
  done
}

wait_ready() {
  local i ready
  for i in $(seq 1 120); do
    ready=$(node_docker 1 node ls --format '{{.Status}} {{.Availability}}' 2>/dev/null | grep -c '^Ready Active$' || true)
    [ "$ready" = "${#NODES[@]}" ] && return 0
    sleep 0.5
  done
  node_docker 1 node ls >&2 || true
  die "the nodes did not all become Ready within 60 s"
}

images_load() {
  local image n
  for image in $IMAGES; do
    if ! main_docker image inspect "$image" >/dev/null 2>&1; then
      [ "$image" = surge-test/busybox:1 ] || die "image $image is not in the main engine"
      bash "$(dirname "$0")/engine.sh" >&2
    fi
    local want; want=$(main_docker image inspect --format '{{.Id}}' "$image")
    for n in "${NODES[@]}"; do
      [ "$(node_docker "$n" image inspect --format '{{.Id}}' "$image" 2>/dev/null)" = "$want" ] && continue
      main_docker save "$image" | node_docker "$n" load -q >/dev/null
    done
  done
}

# ---- commands ------------------------------------------------------------------------------------------------

cmd_up() {
  [ "$MANAGERS" = 1 ] || [ "$MANAGERS" = 3 ] || die "SWARM_MANAGERS must be 1 or 3"
  [ -z "$GPU_NODE" ] || check_node_arg "$GPU_NODE"
  mkdir -p "$RUN_ROOT"
  printf 'MANAGERS=%s\nGPU_NODE=%s\nGPU_COUNT=%s\n' "$MANAGERS" "$GPU_NODE" "$GPU_COUNT" >"$SETTINGS"
  net_up
  local n
  for n in "${NODES[@]}"; do
    if daemon_pid "$n" >/dev/null && [ "$(daemon_args "$n")" != "$(cat "$(node_dir "$n")/args" 2>/dev/null)" ]; then
      say "node $n: daemon flags changed; restarting it"
      daemon_stop "$n"
    fi
    if ! daemon_pid "$n" >/dev/null || ! daemon_answers "$n"; then
      daemon_stop "$n"
      leftovers_kill "$n"
      say "node $n: starting dockerd in $(ns "$n") ($(node_addr "$n"))"
      daemon_start "$n"
    fi
  done
  swarm_up
  images_load
  wait_ready
  cmd_status
}

cmd_down() {
  local n
  # All at once: each dockerd takes seconds to stop its containers.
  for n in "${NODES[@]}"; do
    if daemon_pid "$n" >/dev/null; then say "node $n: stopping dockerd"; fi
    daemon_stop "$n" &
  done
  wait
  for n in "${NODES[@]}"; do
    leftovers_kill "$n"
    mounts_release "$n"
  done
  net_down
  for n in "${NODES[@]}"; do
    rm -rf --one-file-system "$(node_dir "$n")" "$(node_data_root "$n")"
  done
  rm -f "$SETTINGS"
  rmdir "$RUN_ROOT" "$DATA_ROOT" 2>/dev/null || true
  local left i
  for i in $(seq 1 20); do   # veths of deleted namespaces go away asynchronously
    left=$( { ip -br link | grep -E "^(sswn|$BRIDGE)" || true; ip netns | grep '^sswn' || true;
      ls -d "$RUN_ROOT" "$DATA_ROOT" 2>/dev/null || true; } )
    [ -n "$left" ] || break
    sleep 0.2
  done
  [ -z "$left" ] || die "down left these behind: $left"
  say "down"
}

cmd_status() {
  local n healthy=0
  for n in "${NODES[@]}"; do
    if daemon_answers "$n"; then
      printf 'node %s  %-14s %s  pid %s  %s\n' "$n" "$(ns "$n")" "$(node_addr "$n")" "$(daemon_pid "$n" || echo '?')" "$(node_sock "$n")"
    else
      printf 'node %s  %-14s %s  dockerd not answering\n' "$n" "$(ns "$n")" "$(node_addr "$n")"
      healthy=1
    fi
  done
  kernel_notes
  # Any manager that answers: with SWARM_MANAGERS=3, node 1 may be the one a test stopped.
  local manager=1
  for n in "${NODES[@]}"; do
    if [ "$(node_docker "$n" info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then manager=$n; break; fi
  done
  local table
  if table=$(node_docker "$manager" node ls --format '{{.Hostname}}\t{{.ID}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}' 2>&1); then
    printf '%s\n' "$table"
    [ "$(grep -c $'\tReady\tActive' <<<"$table")" = "${#NODES[@]}" ] || healthy=1
  else
    printf 'swarm: %s\n' "$table"
    healthy=1
  fi
  return $healthy
}

# What this kernel cannot do for a swarm, found from the host (a Docker client sees none of it; see
# docs/swarm-api-notes.md). Informational: `status` stays healthy.
kernel_notes() {
  if [ ! -e /proc/net/ip_vs ] && [ ! -d /sys/module/ip_vs ]; then
    echo "kernel: no IPVS: service VIPs and the ingress routing mesh carry no traffic (use endpoint mode dnsrr, mode=host ports)"
  fi
  local probe=sswn-probe
  ip netns add "$probe" 2>/dev/null || return 0
  if ! ip -n "$probe" xfrm state add src 198.18.255.1 dst 198.18.255.2 proto esp spi 0x100 mode transport \
    enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f >/dev/null 2>&1; then
    echo "kernel: no ESP: encrypted overlays carry no traffic between nodes"
  fi
  ip netns del "$probe"
}

cmd_env() {
  local n
  echo "export DOCKER_HOST=unix://$(node_sock 1)"
  for n in "${NODES[@]}"; do
    echo "export SURGE_SWARM_NODE${n}_SOCK=$(node_sock "$n")"
    echo "export SURGE_SWARM_NODE${n}_ADDR=$(node_addr "$n")"
  done
}

cmd_stop_node() {
  check_node_arg "${1:-}"
  local signal=TERM
  [ "${2:-}" = --kill ] && signal=KILL
  daemon_stop "$1" "$signal"
  say "node $1: dockerd stopped (SIG$signal)"
}

cmd_start_node() {
  check_node_arg "${1:-}"
  daemon_pid "$1" >/dev/null && daemon_answers "$1" && return 0
  [ -e "/run/netns/$(ns "$1")" ] || die "the cluster's network is not up; run: $0 up"
  # Containers a killed daemon left running are not touched: the restarted dockerd restores (stops) them itself,
  # as it would after an engine crash on a real node.
  daemon_start "$1"
  say "node $1: dockerd started"
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates network namespaces and starts dockerd)"
command=${1:-}
shift || true
mkdir -p "$(dirname "$RUN_ROOT")"
# One command at a time: test files and a bench may all call `up`.
# (fd 9 is closed for the daemons it starts, or they would hold the lock for ever)
exec 9>"/run/surge-swarm.lock"
flock 9
case "$command" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  stop-node) cmd_stop_node "$@" ;;
  start-node) cmd_start_node "$@" ;;
  *) die "usage: $0 up|down|status|env|stop-node N [--kill]|start-node N" ;;
esac
