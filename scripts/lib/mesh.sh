#!/usr/bin/env bash
# A local wgmesh cluster in network namespaces: the one tool behind `make demo`
# and the end-to-end suites (Tests/WGMeshE2ETests), so both exercise the same
# wiring.
#
#   mesh.sh [--dir DIR] COMMAND [ARGS...]        (run as root; --help lists commands)
#
# Topology (P = $MESH_PREFIX, default wgm; I = node number 1..N; J = pod number):
#   ${P}-ul       the underlay: bridge br0 with 10.99.0.254/24 and fd99::fe/64;
#                 etcd listens here on 10.99.0.254:2379 when --datastore etcd
#   ${P}-nI       node I: eth0 on the bridge (10.99.0.I/24, fd99::I/64, default
#                 routes via the bridge, so wgmeshd finds its address itself),
#                 wgmeshd with WireGuard interface ${P}wI
#   ${P}-nIpJ     pod J of node I, wired by `wgmesh endpoint add`
# Nothing is created in the caller's own namespace. The underlay also routes
# every node's pod blocks to that node in plaintext, as a cluster's routing
# would: wgmesh decides what is encrypted, it does not route the rest.
#
# State (pid files, logs, the SQLite file, etcd's data) lives in --dir
# (default /tmp/wgmesh-mesh). BUILD=release uses .build/release binaries.
set -euo pipefail

# A caller's thread may have most signals blocked (Swift's worker threads
# do, and posix_spawn hands the mask on). Every process started here would
# inherit it, and tcpdump or wgmeshd could then never be stopped: start
# again with nothing blocked.
# Debian's python3: a pyenv shim on PATH costs 0.4 s a call, and the guest
# of scripts/vmtest may not run it at all.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
if grep -q '^SigBlk:[[:space:]]*0*[1-9a-f]' /proc/$$/status 2>/dev/null && [ -z "${MESH_UNBLOCKED:-}" ]; then
    export MESH_UNBLOCKED=1
    exec "$PYTHON" -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_SETMASK, [])
os.execv(sys.argv[1], sys.argv[1:])' "$BASH" "$0" "$@"
fi

MESH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
    cat <<'EOF'
usage: mesh.sh [--dir DIR] COMMAND [ARGS...]

  up --nodes N --pods P --datastore sqlite|etcd [--backend auto|kernel|userspace]
                          start a mesh (tears down any mesh left in DIR first)
  down                    stop everything and delete every namespace (idempotent,
                          also after a crash)
  start-node I            start node I's wgmeshd and wait until it has its peers
  stop-node I [--signal TERM|KILL]
                          stop node I's wgmeshd (the dataplane stays)
  add-node I              create node I with its pods, start it, wait for the mesh
  remove-node I           stop node I, wgmeshd --cleanup, wgmesh delete node nI,
                          delete its namespaces, wait for the mesh
  set-address I ADDR      give node I underlay address ADDR (IPv4, in
                          10.99.0.0/24) instead of its current one and restart it
  new-key I               stop node I, delete its private key, start it again
  stop-datastore          kill etcd (SIGKILL); etcd meshes only
  start-datastore         start etcd again on its data
  wait-mesh               wait until every running node has all its peers
  cleanup-node I          stop node I's wgmeshd and run wgmeshd --cleanup in it
                          (the namespace and pods stay, for checking what is left)
  traffic-start I J DST [INTERVAL]
                          ping DST from pod J of node I in the background
                          (every INTERVAL seconds, default 0.01)
  traffic-stop            stop it and print "transmitted=N received=M"
  node-exec I CMD...      run CMD in node I's namespace
  pod-exec I J CMD...     run CMD in pod J of node I
  pod-ip I J [4|6]        print the pod's address (IPv4 by default)
  pods                    print every pod: "I J IPV4 IPV6" ("-" when it has none)
  wgmesh ARGS...          run the wgmesh CLI against the mesh's datastore
  nodes                   print one line per node from the datastore:
                          NAME KEY ADDRESSES PORT TUNNEL4 TUNNEL6 BLOCKS LABELS
                          (lists comma-separated, "-" when empty)
  pools                   print one line per IPPool: NAME CIDR ENCRYPTION SELECTOR
  wg-dump I               `wg show IF dump` of node I (wireguard-tools reads it),
                          the private key replaced by "(hidden)"
  routes I                print node I's wgmesh table, one route a line:
                          "TYPE DST dev=DEV proto=PROTO"
  rules I                 print node I's rules but the 3 defaults: "FAMILY PRIO not=0|1 fwmark=M/MASK table=T"
  capture-start           start tcpdump on the underlay bridge
  capture-stop            stop it and print the counts (key=value lines)
  capture-count FILTER    count the packets of the last capture matching FILTER
  status                  every node's wg show and wgmesh routes

Environment: MESH_PREFIX (default wgm), MESH_DIR (default /tmp/wgmesh-mesh),
BUILD=release, MESH_LABELS_nI="k=v,k=v" (labels of node I, read when it is
created), MESH_TIMEOUT (seconds to wait for readiness, default 60), MESH_LOG
(a file that also gets every step line).
EOF
}

# ---- settings ---------------------------------------------------------------

DIR="${MESH_DIR:-/tmp/wgmesh-mesh}"
P="${MESH_PREFIX:-wgm}"
TIMEOUT="${MESH_TIMEOUT:-60}"
if [ "${BUILD:-debug}" = release ]; then BIN="$MESH_ROOT/.build/release"; else BIN="$MESH_ROOT/.build/debug"; fi
WGMESH="$BIN/wgmesh"
WGMESHD="$BIN/wgmeshd"
# The pools' networks, for the capture's plaintext counts.
ENCRYPTED_POD_NETS="net 10.244.0.0/16 or net fd00:10:244::/56"
PLAIN_POD_NET="net 10.245.0.0/16"
WG_PORT=51820

# One line per step on stderr, so a test's failure shows where it stopped.
# MESH_LOG, when set, gets a copy: a caller that reads stderr only when we
# exit (a test, a VM) can still see where a slow run is.
step() {
    printf 'mesh: [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
    [ -z "${MESH_LOG:-}" ] || printf 'mesh: [%s] %s %s\n' "$(date +%H:%M:%S)" "$P" "$*" >>"$MESH_LOG"
}
fail() { printf 'mesh: error: %s\n' "$*" >&2; exit 1; }

UL="$P-ul"
node_ns() { printf '%s-n%s' "$P" "$1"; }
pod_ns() { printf '%s-n%sp%s' "$P" "$1" "$2"; }
node_if() { printf '%sw%s' "$P" "$1"; }
node_dir() { printf '%s/n%s' "$DIR" "$1"; }
node_sock() { printf '%s/n%s/wgmeshd.sock' "$DIR" "$1"; }

# The mesh's settings, written by `up` and read by every other command.
load_state() {
    [ -f "$DIR/mesh.env" ] || fail "no mesh in $DIR: run 'mesh.sh up' first"
    # shellcheck source=/dev/null
    . "$DIR/mesh.env"
    UL="$P-ul"
}

datastore_url() {
    if [ "$DATASTORE" = etcd ]; then echo "etcd://10.99.0.254:2379"; else echo "sqlite://$DIR/datastore.db"; fi
}

# The wgmesh CLI, run in the underlay namespace: etcd is reachable there for
# etcd meshes, and the SQLite file is reachable from every namespace.
cli() { ip netns exec "$UL" "$WGMESH" "$@" --datastore "$(datastore_url)"; }

is_number() { case "$1" in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }
check_node() { is_number "$1" && [ "$1" -ge 1 ] && [ "$1" -le 250 ] || fail "node number '$1' must be 1-250"; }
node_exists() { [ -f "$(node_dir "$1")/exists" ]; }
existing_nodes() {
    local dir
    for dir in "$DIR"/n*/; do
        [ -f "$dir/exists" ] && basename "$dir" | cut -c2-
    done | sort -n
}
pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# Sends SIGNAL to PID and waits for it to exit; SIGKILL after 10 s.
stop_pid() {
    local pid="$1" signal="$2" waited=0
    pid_alive "$pid" || return 0
    kill "-$signal" "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do
        waited=$((waited + 1))
        [ "$waited" -lt 200 ] || { step "pid $pid ignored SIG$signal for 10 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; }
        sleep 0.05
    done
}
daemon_pid() { cat "$(node_dir "$1")/wgmeshd.pid" 2>/dev/null || true; }
node_running() { pid_alive "$(daemon_pid "$1")"; }

# ---- the underlay -----------------------------------------------------------

make_underlay() {
    step "underlay namespace $UL with bridge br0 (10.99.0.254/24, fd99::fe/64)"
    ip netns add "$UL"
    ip -n "$UL" link set lo up
    ip -n "$UL" link add br0 type bridge
    ip -n "$UL" addr add 10.99.0.254/24 dev br0
    ip -n "$UL" addr add fd99::fe/64 dev br0 nodad
    ip -n "$UL" link set br0 up
}

# Node I's namespace, its eth0 on the bridge and the sysctls a node has.
make_node_netns() {
    local i="$1" ns addr
    ns="$(node_ns "$i")"
    addr="$(cat "$(node_dir "$i")/address")"
    step "node namespace $ns: eth0 $addr/24, fd99::$i/64 on the bridge, default routes via it"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$UL" link add "n$i" type veth peer name eth0 netns "$ns"
    ip -n "$UL" link set "n$i" master br0 up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" addr add "fd99::$i/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via 10.99.0.254
    ip -n "$ns" -6 route add default via fd99::fe
    # A node forwards for its pods; loose reverse-path checks, since a reply
    # may come back over the tunnel while the request left in plaintext.
    ip netns exec "$ns" sh -c '
        sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
        sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
        sysctl -qw net.ipv4.conf.all.promote_secondaries=1 net.ipv4.conf.eth0.promote_secondaries=1'
}

# ---- datastore --------------------------------------------------------------

start_etcd() {
    step "etcd in $UL on 10.99.0.254:2379 (data in $DIR/etcd)"
    ip netns exec "$UL" ip link set lo up
    ip netns exec "$UL" /usr/bin/etcd --name mesh --data-dir "$DIR/etcd" \
        --listen-client-urls http://10.99.0.254:2379 --advertise-client-urls http://10.99.0.254:2379 \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster mesh=http://127.0.0.1:2380 >>"$DIR/etcd.log" 2>&1 </dev/null &
    echo $! >"$DIR/etcd.pid"
    local deadline=$((SECONDS + TIMEOUT))
    until ip netns exec "$UL" /usr/bin/etcdctl --endpoints http://10.99.0.254:2379 --dial-timeout 1s \
        endpoint health >/dev/null 2>&1; do
        pid_alive "$(cat "$DIR/etcd.pid")" || { tail -n 20 "$DIR/etcd.log" >&2; fail "etcd exited (log above)"; }
        [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$DIR/etcd.log" >&2; fail "etcd not healthy after ${TIMEOUT}s"; }
        sleep 0.2
    done
}

stop_etcd() {
    local pid
    pid="$(cat "$DIR/etcd.pid" 2>/dev/null || true)"
    if pid_alive "$pid"; then
        step "killing etcd (pid $pid)"
        kill -KILL "$pid" 2>/dev/null || true
        while pid_alive "$pid"; do sleep 0.05; done
    fi
    rm -f "$DIR/etcd.pid"
}

# The cluster's settings: dual-stack encrypted pools for every node but those
# labelled plain=true, a plaintext pool for those, and encryption for every
# node without the no-encryption label.
apply_cluster_resources() {
    step "applying IPPools pods, pods-v6, plain and EncryptionConfig default"
    cli apply -f - >/dev/null <<'EOF'
apiVersion: wgmesh.io/v1
kind: IPPool
metadata: {name: pods}
spec: {cidr: 10.244.0.0/16, blockSize: 26, encryption: WireGuard, nodeSelector: "!has(plain)"}
---
apiVersion: wgmesh.io/v1
kind: IPPool
metadata: {name: pods-v6}
spec: {cidr: "fd00:10:244::/56", blockSize: 122, encryption: WireGuard, nodeSelector: "!has(plain)"}
---
apiVersion: wgmesh.io/v1
kind: IPPool
metadata: {name: plain}
spec: {cidr: 10.245.0.0/16, blockSize: 26, encryption: None, nodeSelector: "plain == \"true\""}
---
apiVersion: wgmesh.io/v1
kind: EncryptionConfig
metadata: {name: default}
spec: {enabled: true, nodeSelector: "!has(no-encryption)"}
EOF
}

# ---- nodes ------------------------------------------------------------------

start_daemon() {
    local i="$1" ns dir labels args
    ns="$(node_ns "$i")"
    dir="$(node_dir "$i")"
    node_running "$i" && fail "node $i's wgmeshd is already running (pid $(daemon_pid "$i"))"
    labels="$(cat "$dir/labels" 2>/dev/null || true)"
    args=(--node-name "n$i" --datastore "$(datastore_url)" --state-dir "$dir/state"
          --control-socket "$(node_sock "$i")" --interface "$(node_if "$i")" --wireguard-backend "$BACKEND")
    [ -z "$labels" ] || args+=(--labels "$labels")
    step "starting wgmeshd n$i in $ns (interface $(node_if "$i"), backend $BACKEND${labels:+, labels $labels})"
    # Every descriptor goes to the log: a caller reading our output through
    # a pipe must see it close when we exit, not when the daemon does.
    ip netns exec "$ns" "$WGMESHD" "${args[@]}" >>"$dir/wgmeshd.log" 2>&1 </dev/null &
    echo $! >"$dir/wgmeshd.pid"
}

# Node I takes part in encryption unless labelled no-encryption.
takes_part() { ! grep -q 'no-encryption' "$(node_dir "$1")/labels" 2>/dev/null; }

# The peers node I should have: every other node in the mesh that takes part.
expected_peers() {
    local i="$1" j count=0
    takes_part "$i" || { echo 0; return; }
    for j in $(existing_nodes); do
        [ "$j" != "$i" ] && takes_part "$j" && count=$((count + 1))
    done
    echo "$count"
}

peer_count() {
    ip netns exec "$(node_ns "$1")" "$WGMESH" wg show "$(node_if "$1")" peers 2>/dev/null | grep -c . || true
}

# Waits until node I's daemon answers on its control socket and its device
# has every peer; prints the log's tail when it does not.
wait_node() {
    local i="$1" sock want have deadline=$((SECONDS + TIMEOUT))
    sock="$(node_sock "$i")"
    want="$(expected_peers "$i")"
    while :; do
        node_running "$i" || { tail -n 30 "$(node_dir "$i")/wgmeshd.log" >&2; fail "wgmeshd n$i exited (log above)"; }
        if [ -S "$sock" ] && printf '{"request":"ping"}\n' | nc -U -N -w 2 "$sock" 2>/dev/null | grep -q '"ok"'; then
            have="$(peer_count "$i")"
            [ "$have" != "$want" ] || break
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 30 "$(node_dir "$i")/wgmeshd.log" >&2
            fail "node n$i not ready after ${TIMEOUT}s: control socket $sock, ${have:-?} of $want peers (log above)"
        fi
        sleep 0.2
    done
    step "node n$i ready: $want peers"
}

wait_mesh() {
    local i
    for i in $(existing_nodes); do
        node_running "$i" && wait_node "$i"
    done
    sync_underlay_routes
}

# The plaintext path a cluster's routing provides: in every node, each other
# node's blocks via that node's underlay address (main table; wgmesh's table
# takes what must be encrypted before main is read).
sync_underlay_routes() {
    local lines i name addr4 addr6 blocks block via
    lines="$(mesh_nodes)"
    for i in $(existing_nodes); do
        while read -r name _ addrs _ _ _ blocks _; do
            [ -n "$name" ] && [ "$name" != "n$i" ] || continue
            addr4="$(tr ',' '\n' <<<"$addrs" | grep -v : | head -n 1 || true)"
            addr6="$(tr ',' '\n' <<<"$addrs" | grep : | head -n 1 || true)"
            for block in $(tr ',' ' ' <<<"$blocks"); do
                [ "$block" != - ] || continue
                case "$block" in *:*) via="$addr6" ;; *) via="$addr4" ;; esac
                [ -n "$via" ] || continue
                ip -n "$(node_ns "$i")" route replace "$block" via "$via" proto static
            done
        done <<<"$lines"
    done
}

make_pods() {
    local i="$1" j ns
    for j in $(seq 1 "$PODS"); do
        ns="$(pod_ns "$i" "$j")"
        step "pod $ns: wgmesh endpoint add --name p$j"
        ip netns add "$ns"
        ip netns exec "$(node_ns "$i")" "$WGMESH" endpoint add --name "p$j" --netns "/var/run/netns/$ns" \
            --node-name "n$i" --control-socket "$(node_sock "$i")" --datastore "$(datastore_url)" >&2
    done
}

# Creates node I (namespace, labels, daemon, pods) without waiting for the others.
create_node() {
    local i="$1" dir var
    dir="$(node_dir "$i")"
    [ ! -f "$dir/exists" ] || fail "node $i already exists"
    mkdir -p "$dir"
    echo "10.99.0.$i" >"$dir/address"
    var="MESH_LABELS_n$i"
    printf '%s' "${!var:-}" >"$dir/labels"
    touch "$dir/exists"
    make_node_netns "$i"
    start_daemon "$i"
    wait_node_socket "$i"
    make_pods "$i"
}

# Waits for the control socket only: pods need it, peers come later.
wait_node_socket() {
    local i="$1" deadline=$((SECONDS + TIMEOUT))
    until [ -S "$(node_sock "$i")" ] && printf '{"request":"ping"}\n' | nc -U -N -w 2 "$(node_sock "$i")" 2>/dev/null | grep -q '"ok"'; do
        node_running "$i" || { tail -n 30 "$(node_dir "$i")/wgmeshd.log" >&2; fail "wgmeshd n$i exited (log above)"; }
        [ "$SECONDS" -lt "$deadline" ] ||
            { tail -n 30 "$(node_dir "$i")/wgmeshd.log" >&2; fail "wgmeshd n$i: no answer on $(node_sock "$i") after ${TIMEOUT}s"; }
        sleep 0.2
    done
}

stop_daemon() {
    local i="$1" signal="${2:-TERM}" pid deadline=$((SECONDS + TIMEOUT))
    pid="$(daemon_pid "$i")"
    if pid_alive "$pid"; then
        step "stopping wgmeshd n$i (pid $pid) with SIG$signal"
        kill "-$signal" "$pid"
        while pid_alive "$pid"; do
            [ "$SECONDS" -lt "$deadline" ] || { kill -KILL "$pid" 2>/dev/null || true; fail "wgmeshd n$i ignored SIG$signal for ${TIMEOUT}s; killed"; }
            sleep 0.05
        done
    fi
    rm -f "$(node_dir "$i")/wgmeshd.pid"
}

# wireguard-go processes whose network namespace is NS (by PID, never by name alone).
wireguard_go_pids() {
    local ns="$1" want dir
    want="$(stat -L -c %i "/var/run/netns/$ns" 2>/dev/null)" || return 0
    for dir in /proc/[0-9]*; do
        [ "$(cat "$dir/comm" 2>/dev/null)" = wireguard-go ] || continue
        [ "$(stat -L -c %i "$dir/ns/net" 2>/dev/null)" = "$want" ] && echo "${dir#/proc/}"
    done
    return 0
}

# `wgmeshd --cleanup` in node I: removes what wgmesh made there.
run_cleanup() {
    local i="$1" ns
    ns="$(node_ns "$i")"
    [ -e "/var/run/netns/$ns" ] && [ -x "$WGMESHD" ] || return 0
    step "wgmeshd --cleanup in $ns"
    ip netns exec "$ns" "$WGMESHD" --cleanup --node-name "n$i" --datastore "${URL:-sqlite://$DIR/datastore.db}" \
        --state-dir "$(node_dir "$i")/state" --control-socket "$(node_sock "$i")" \
        --interface "$(node_if "$i")" >&2 || { step "wgmeshd --cleanup in $ns failed"; return 1; }
}

# Cleanup, then any wireguard-go left in the namespace, so it can go away.
cleanup_node() {
    local i="$1" pid
    run_cleanup "$i" || true
    for pid in $(wireguard_go_pids "$(node_ns "$i")"); do
        step "stopping wireguard-go (pid $pid) in $(node_ns "$i")"
        kill "$pid" 2>/dev/null || true
    done
}

delete_node_netns() {
    local i="$1" ns
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$(node_ns "$i")(p[0-9]+)?$" || true); do
        step "deleting namespace $ns"
        ip netns del "$ns" 2>/dev/null || true
    done
    ip -n "$UL" link del "n$i" 2>/dev/null || true
    rm -f "/var/run/wireguard/$(node_if "$i").sock"
}

# ---- commands ---------------------------------------------------------------

cmd_up() {
    local nodes=3 pods=2 datastore=sqlite backend=auto i
    while [ $# -gt 0 ]; do
        case "$1" in
            --nodes) nodes="$2"; shift 2 ;;
            --pods) pods="$2"; shift 2 ;;
            --datastore) datastore="$2"; shift 2 ;;
            --backend) backend="$2"; shift 2 ;;
            *) fail "up: unknown option $1 (see mesh.sh --help)" ;;
        esac
    done
    is_number "$nodes" && [ "$nodes" -ge 1 ] && [ "$nodes" -le 250 ] || fail "--nodes must be 1-250, not '$nodes'"
    is_number "$pods" && [ "$pods" -le 50 ] || fail "--pods must be 0-50, not '$pods'"
    case "$datastore" in sqlite | etcd) ;; *) fail "--datastore must be sqlite or etcd, not '$datastore'" ;; esac
    case "$backend" in auto | kernel | userspace) ;; *) fail "--backend must be auto, kernel or userspace, not '$backend'" ;; esac
    [ "$(id -u)" -eq 0 ] || fail "the mesh creates network namespaces: run as root"
    [ -x "$WGMESHD" ] && [ -x "$WGMESH" ] || fail "$WGMESHD or $WGMESH missing: swift build --product wgmesh --product wgmeshd"
    [ ${#P} -le 11 ] || fail "MESH_PREFIX '$P' is too long: interface names ${P}wNNN must fit 15 characters"
    if [ -f "$DIR/mesh.env" ]; then cmd_down; fi
    ! ip netns list | awk '{print $1}' | grep -qE "^$P-(ul|n[0-9]+)" ||
        fail "namespaces $P-* exist already (another mesh with prefix $P?): 'mesh.sh --dir ITS_DIR down', or set MESH_PREFIX"
    rm -rf "$DIR"
    mkdir -p "$DIR"
    printf 'P=%q\nNODES=%q\nPODS=%q\nDATASTORE=%q\nBACKEND=%q\n' "$P" "$nodes" "$pods" "$datastore" "$backend" >"$DIR/mesh.env"
    load_state
    step "mesh $P: $nodes nodes, $pods pods each, datastore $datastore, backend $backend, state in $DIR"
    make_underlay
    [ "$datastore" != etcd ] || start_etcd
    apply_cluster_resources
    for i in $(seq 1 "$nodes"); do create_node "$i"; done
    wait_mesh
    step "mesh up"
}

cmd_down() {
    local i ns pid
    if [ -f "$DIR/mesh.env" ]; then load_state; fi
    URL="$( [ -n "${DATASTORE:-}" ] && datastore_url || echo "sqlite://$DIR/datastore.db")"
    step "tearing down mesh $P in $DIR"
    stop_capture_quietly
    stop_traffic_quietly
    for dir in "$DIR"/n*/; do
        [ -d "$dir" ] || continue
        i="$(basename "$dir" | cut -c2-)"
        pid="$(daemon_pid "$i")"
        if pid_alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = wgmeshd ]; then
            step "killing wgmeshd n$i (pid $pid)"
            kill -KILL "$pid" 2>/dev/null || true
            while pid_alive "$pid"; do sleep 0.05; done
        fi
        rm -f "$dir/wgmeshd.pid"
    done
    # Namespaces of this prefix, also those a crashed run left without state.
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$P-n[0-9]+$" || true); do
        cleanup_node "${ns#"$P"-n}"
    done
    stop_etcd
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$P-(n[0-9]+(p[0-9]+)?|ul)$" || true); do
        step "deleting namespace $ns"
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -f /var/run/wireguard/"$P"w[0-9]*.sock
    rm -f "$DIR/mesh.env"
    for dir in "$DIR"/n*/; do [ -d "$dir" ] && rm -f "$dir/exists"; done
    step "mesh $P down"
}

cmd_stop_node() {
    local i="$1" signal=TERM
    shift
    [ "${1:-}" != --signal ] || { signal="$2"; shift 2; }
    case "$signal" in TERM | KILL | INT) ;; *) fail "--signal must be TERM or KILL, not '$signal'" ;; esac
    stop_daemon "$i" "$signal"
}

cmd_add_node() {
    local i="$1"
    create_node "$i"
    wait_mesh
}

cmd_remove_node() {
    local i="$1"
    node_exists "$i" || fail "node $i does not exist"
    stop_daemon "$i" TERM
    URL="$(datastore_url)"
    cleanup_node "$i"
    step "wgmesh delete node n$i"
    cli delete node "n$i" >&2
    delete_node_netns "$i"
    rm -f "$(node_dir "$i")/exists"
    wait_mesh
}

cmd_set_address() {
    local i="$1" addr="$2" ns old
    node_exists "$i" || fail "node $i does not exist"
    case "$addr" in 10.99.0.*) ;; *) fail "set-address: '$addr' must be an IPv4 address in 10.99.0.0/24" ;; esac
    ns="$(node_ns "$i")"
    old="$(cat "$(node_dir "$i")/address")"
    stop_daemon "$i" TERM
    step "node n$i: underlay address $old -> $addr"
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" addr del "$old/24" dev eth0
    ip -n "$ns" route replace default via 10.99.0.254
    echo "$addr" >"$(node_dir "$i")/address"
    start_daemon "$i"
    wait_node "$i"
    sync_underlay_routes
}

cmd_new_key() {
    local i="$1"
    node_exists "$i" || fail "node $i does not exist"
    stop_daemon "$i" TERM
    step "node n$i: removing $(node_dir "$i")/state/private.key so wgmeshd makes a new key"
    rm -f "$(node_dir "$i")/state/private.key"
    start_daemon "$i"
    wait_node "$i"
}

cmd_pod_ip() {
    local i="$1" j="$2" family="${3:-4}" ns
    ns="$(pod_ns "$i" "$j")"
    [ -e "/var/run/netns/$ns" ] || fail "pod $j of node $i does not exist"
    ip -n "$ns" -o "-$family" addr show dev eth0 scope global | awk '{print $4}' | cut -d/ -f1 | head -n 1
}

cmd_pods() {
    local i j v4 v6
    for i in $(existing_nodes); do
        for j in $(seq 1 "$PODS"); do
            [ -e "/var/run/netns/$(pod_ns "$i" "$j")" ] || continue
            v4="$(cmd_pod_ip "$i" "$j" 4)"
            v6="$(cmd_pod_ip "$i" "$j" 6)"
            echo "$i $j ${v4:--} ${v6:--}"
        done
    done
}

# Node lines from `wgmesh get nodes -o json`, flattened for bash and tests.
mesh_nodes() {
    cli get nodes -o json | "$PYTHON" -c '
import json, sys
text = sys.stdin.read().strip()
items = json.loads(text).get("items", []) if text else []
def joined(values):
    return ",".join(values) if values else "-"
for item in items:
    spec = item.get("spec", {})
    wg = spec.get("wireguard", {})
    labels = item.get("metadata", {}).get("labels", {})
    print(item["metadata"]["name"], wg.get("publicKey", "-"), joined(spec.get("addresses", [])),
          wg.get("listenPort", "-"), wg.get("interfaceIPv4", "-"), wg.get("interfaceIPv6", "-"),
          joined(spec.get("blocks", [])), joined([k + "=" + v for k, v in sorted(labels.items())]))
'
}

mesh_pools() {
    cli get ippools -o json | "$PYTHON" -c '
import json, sys
for item in json.load(sys.stdin).get("items", []):
    spec = item["spec"]
    print(item["metadata"]["name"], spec["cidr"], spec["encryption"], spec.get("nodeSelector", "all()").replace(" ", ""))
'
}

# Node I's routes in the wgmesh table, one normalised line each (host routes
# get their /32 or /128, which `ip` leaves out).
mesh_routes() {
    local ns family text
    ns="$(node_ns "$1")"
    for family in 4 6; do
        # A family whose table does not exist yet has no routes.
        text="$(ip -n "$ns" "-$family" -j route show table 51821 2>/dev/null)" || text='[]'
        printf '%s\n' "${text:-[]}"
    done | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    for route in json.loads(line.strip() or "[]"):
        dst = route["dst"]
        if "/" not in dst and dst != "default":
            dst += "/128" if ":" in dst else "/32"
        kind = route.get("type", "unicast")
        # The kernel hangs IPv6 throw routes on lo; only a unicast route has a real device.
        dev = route.get("dev", "-") if kind == "unicast" else "-"
        print(kind, dst, "dev=" + dev, "proto=" + str(route.get("protocol", "-")))
'
}

# Node I's rules other than the three defaults, one normalised line each.
mesh_rules() {
    local ns family
    ns="$(node_ns "$1")"
    for family in 4 6; do
        printf '%s ' "$family"
        ip -n "$ns" "-$family" -j rule show
        echo
    done | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    family, _, text = line.strip().partition(" ")
    for rule in json.loads(text or "[]"):
        if rule.get("table") in ("local", "main", "default") and "fwmark" not in rule:
            continue
        mark = rule.get("fwmark", "-") + ("/" + rule["fwmask"] if "fwmask" in rule else "")
        print(family, rule.get("priority"), "not=" + ("1" if "not" in rule else "0"), "fwmark=" + mark,
              "table=" + str(rule.get("table")))
'
}

# tcpdump on br0: the bridge is promiscuous while captured, so it sees what
# it forwards between nodes, not only what is addressed to it.
cmd_capture_start() {
    stop_capture_quietly
    rm -f "$DIR/capture.pcap" "$DIR/capture.log"
    step "tcpdump on $UL br0 -> $DIR/capture.pcap"
    ip netns exec "$UL" tcpdump -i br0 -nn -U --immediate-mode -Z root -w "$DIR/capture.pcap" >"$DIR/capture.log" 2>&1 </dev/null &
    echo $! >"$DIR/capture.pid"
    local deadline=$((SECONDS + 10))
    until grep -q 'listening on' "$DIR/capture.log" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || fail "tcpdump did not start: $(cat "$DIR/capture.log")"
        sleep 0.05
    done
}

stop_capture_quietly() {
    local pid
    pid="$(cat "$DIR/capture.pid" 2>/dev/null || true)"
    # SIGTERM, not SIGINT: a background job may start with SIGINT ignored,
    # and tcpdump then keeps ignoring it. It flushes the file on either.
    stop_pid "$pid" TERM
    rm -f "$DIR/capture.pid"
}

capture_count() {
    [ -f "$DIR/capture.pcap" ] || fail "no capture in $DIR: run capture-start first"
    tcpdump -r "$DIR/capture.pcap" -nn "$1" 2>/dev/null | grep -c . || true
}

cmd_capture_stop() {
    stop_capture_quietly
    echo "wireguard_udp=$(capture_count "udp port $WG_PORT")"
    echo "plaintext_encrypted_pools=$(capture_count "$ENCRYPTED_POD_NETS")"
    echo "plaintext_plain_pool=$(capture_count "$PLAIN_POD_NET")"
    echo "total=$(capture_count "")"
}

# A background ping whose loss the restart and outage tests measure.
cmd_traffic_start() {
    local i="$1" j="$2" dst="$3" interval="${4:-0.01}" ns
    ns="$(pod_ns "$i" "$j")"
    [ -e "/var/run/netns/$ns" ] || fail "pod $j of node $i does not exist"
    stop_traffic_quietly
    step "traffic: pinger.py $dst every $interval s from $ns"
    # pinger.py, not ping: on the stop it waits for the replies in flight, so
    # every packet it counts as lost was really lost.
    ip netns exec "$ns" python3 "$MESH_ROOT/scripts/lib/pinger.py" "$dst" --interval "$interval" --timeout 1 \
        >"$DIR/traffic.log" 2>&1 </dev/null &
    echo $! >"$DIR/traffic.pid"
}

stop_traffic_quietly() {
    local pid
    pid="$(cat "$DIR/traffic.pid" 2>/dev/null || true)"
    # SIGINT: pinger.py stops sending, waits out the replies and prints its summary.
    stop_pid "$pid" INT
    rm -f "$DIR/traffic.pid"
}

cmd_traffic_stop() {
    [ -f "$DIR/traffic.pid" ] || fail "no traffic running: run traffic-start first"
    stop_traffic_quietly
    # "N packets transmitted, M received" is pinger.py's summary (ping's words).
    sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/transmitted=\1 received=\2/p' "$DIR/traffic.log"
}

cmd_cleanup_node() {
    local i="$1"
    node_exists "$i" || fail "node $i does not exist"
    stop_daemon "$i" TERM
    URL="$(datastore_url)"
    run_cleanup "$i"
}

cmd_status() {
    local i ns
    for i in $(existing_nodes); do
        ns="$(node_ns "$i")"
        printf '\n---- node n%s (%s, wgmeshd %s) ----\n' "$i" "$ns" "$(node_running "$i" && echo running || echo stopped)"
        ip netns exec "$ns" "$WGMESH" wg show "$(node_if "$i")" 2>&1 || true
        echo "routes in table 51821:"
        mesh_routes "$i" | sed 's/^/  /'
    done
}

main() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --dir) DIR="$2"; shift 2 ;;
            -h | --help | help) usage; exit 0 ;;
            *) break ;;
        esac
    done
    [ $# -gt 0 ] || { usage >&2; exit 2; }
    local command="$1"
    shift
    case "$command" in
        up) cmd_up "$@"; return ;;
        down) cmd_down; return ;;
    esac
    load_state
    case "$command" in
        start-node) check_node "$1"; start_daemon "$1"; wait_node "$1" ;;
        stop-node) check_node "$1"; cmd_stop_node "$@" ;;
        add-node) check_node "$1"; cmd_add_node "$1" ;;
        remove-node) check_node "$1"; cmd_remove_node "$1" ;;
        set-address) check_node "$1"; [ $# -eq 2 ] || fail "usage: set-address I ADDR"; cmd_set_address "$1" "$2" ;;
        new-key) check_node "$1"; cmd_new_key "$1" ;;
        stop-datastore) [ "$DATASTORE" = etcd ] || fail "stop-datastore: only etcd meshes have a server to stop"; stop_etcd ;;
        start-datastore) [ "$DATASTORE" = etcd ] || fail "start-datastore: only etcd meshes have a server"; start_etcd ;;
        wait-mesh) wait_mesh ;;
        cleanup-node) check_node "$1"; cmd_cleanup_node "$1" ;;
        traffic-start) check_node "$1"; [ $# -ge 3 ] || fail "usage: traffic-start I J DST [INTERVAL]"; cmd_traffic_start "$@" ;;
        traffic-stop) cmd_traffic_stop ;;
        # The dump's first field is the private key: never print it.
        wg-dump) check_node "$1"; ip netns exec "$(node_ns "$1")" wg show "$(node_if "$1")" dump |
            awk 'BEGIN { FS = OFS = "\t" } NR == 1 { $1 = "(hidden)" } { print }' ;;
        node-exec) check_node "$1"; local ns; ns="$(node_ns "$1")"; shift; exec ip netns exec "$ns" "$@" ;;
        pod-exec) check_node "$1"; local ns; ns="$(pod_ns "$1" "$2")"; shift 2; exec ip netns exec "$ns" "$@" ;;
        pod-ip) check_node "$1"; cmd_pod_ip "$@" ;;
        pods) cmd_pods ;;
        wgmesh) cli "$@" ;;
        nodes) mesh_nodes ;;
        pools) mesh_pools ;;
        routes) check_node "$1"; mesh_routes "$1" ;;
        rules) check_node "$1"; mesh_rules "$1" ;;
        capture-start) cmd_capture_start ;;
        capture-stop) cmd_capture_stop ;;
        capture-count) capture_count "${1:-}" ;;
        status) cmd_status ;;
        *) fail "unknown command '$command' (see mesh.sh --help)" ;;
    esac
}

main "$@"
