#!/usr/bin/env bash
# ConvViz on one machine as it runs on many: REPLICAS `streamlit run app.py` processes on free
# loopback ports behind HAProxy on 127.0.0.1:PORT (cookie stickiness, websocket tunnels,
# tolerant health checks; see docs/DEPLOY.md).
#
#   deploy/local.sh REPLICAS PORT          e.g. deploy/local.sh 2 8600, then open http://127.0.0.1:8600
#
# Stays in the foreground. SIGTERM or SIGINT (Ctrl-C) stops everything it started, by PID.
# Once every replica answers /_stcore/health and HAProxy routes to all of them it prints one
# line starting with "READY " and writes a state file (JSON) for tests and benchmarks:
#
#   ${TMPDIR:-/tmp}/convviz-deploy-PORT.json
#   {"url", "port", "pid", "haproxy_pid", "stats_url", "stats_socket", "cookie", "secret_shared",
#    "workdir", "replicas": [{"name": "r1", "port", "pid", "log"}, ...]}
#
# Environment (all optional):
#   STREAMLIT_SERVER_COOKIE_SECRET  shared by every replica; a random one is generated if unset
#   PYTHON                          interpreter with requirements.txt installed (default: python3)
#   HAPROXY                         haproxy binary (default: haproxy on PATH or /usr/sbin/haproxy)
#   CONVVIZ_DEPLOY_LOGDIR           keep replica logs and the rendered config here (default: a
#                                   temporary directory removed on exit)
#   CONVVIZ_READY_TIMEOUT           seconds to wait for the replicas (default 90)
set -euo pipefail

usage() { echo "usage: $0 REPLICAS PORT   (REPLICAS >= 1, PORT a free TCP port)" >&2; exit 2; }
[ $# -eq 2 ] || usage
REPLICAS=$1 PORT=$2
[[ "$REPLICAS" =~ ^[1-9][0-9]?$ ]] || usage
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || usage

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$(command -v python3 || command -v python)}
READY_TIMEOUT=${CONVVIZ_READY_TIMEOUT:-90}
log() { echo "local.sh: $*" >&2; }

# ---------------------------------------------------------------- HAProxy (Debian's package)
HAPROXY=${HAPROXY:-$(command -v haproxy || true)}
[ -n "$HAPROXY" ] || { [ -x /usr/sbin/haproxy ] && HAPROXY=/usr/sbin/haproxy; } || true
if [ -z "$HAPROXY" ] || [ ! -x "$HAPROXY" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    log "haproxy not found: installing Debian's package (apt-get install haproxy)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    HAPROXY=/usr/sbin/haproxy
  else
    log "haproxy is not installed. Install it with:  sudo apt-get install -y haproxy"
    log "(or point HAPROXY=/path/to/haproxy at a binary, version 2.2 or newer)"
    exit 3
  fi
fi

# ---------------------------------------------------------------- bookkeeping and cleanup
STATE=${TMPDIR:-/tmp}/convviz-deploy-$PORT.json
if [ -n "${CONVVIZ_DEPLOY_LOGDIR:-}" ]; then
  WORK=$CONVVIZ_DEPLOY_LOGDIR; mkdir -p "$WORK"; KEEP_WORK=1
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/convviz-deploy-$PORT.XXXXXX"); KEEP_WORK=0
fi
PIDS=()          # replicas (each the leader of its own session/process group)
HAPROXY_PID=""
STOPPING=0

cleanup() {
  local rc=${1:-0}
  [ "$STOPPING" -eq 1 ] && return
  STOPPING=1
  trap - TERM INT EXIT
  log "stopping (HAProxy ${HAPROXY_PID:-none}, replicas ${PIDS[*]:-none})"
  rm -f "$STATE"
  [ -n "$HAPROXY_PID" ] && kill -TERM "$HAPROXY_PID" 2>/dev/null || true
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 10)) alive
  while :; do
    alive=0
    for pid in $HAPROXY_PID "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] || [ "$SECONDS" -ge "$deadline" ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  [ -n "$HAPROXY_PID" ] && kill -KILL "$HAPROXY_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "$KEEP_WORK" -eq 1 ] || rm -rf "$WORK"
  log "stopped"
  exit "$rc"
}
trap 'cleanup 143' TERM
trap 'cleanup 130' INT
trap 'cleanup $?' EXIT

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_in_use() {
  "$PYTHON" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}
if port_in_use "$PORT"; then log "127.0.0.1:$PORT is already in use"; exit 4; fi

# ---------------------------------------------------------------- replicas
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  # Not on the command line: Streamlit 1.67 exits when --server.cookieSecret is given there.
  STREAMLIT_SERVER_COOKIE_SECRET=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
fi
export STREAMLIT_SERVER_COOKIE_SECRET
RPORTS=()
SERVERS=""
for i in $(seq 1 "$REPLICAS"); do
  p=$(free_port)
  while [ "$p" = "$PORT" ] || [[ " ${RPORTS[*]} " == *" $p "* ]]; do p=$(free_port); done
  RPORTS+=("$p")
  # setsid: each replica leads its own process group, so it (and only it) can be killed by PID.
  ( cd "$ROOT" && exec setsid "$PYTHON" -m streamlit run app.py \
      --server.address 127.0.0.1 --server.port "$p" --server.headless true \
      --browser.gatherUsageStats false ) >"$WORK/r$i.log" 2>&1 </dev/null &
  PIDS+=("$!")
  SERVERS+="    server r$i 127.0.0.1:$p cookie r$i"$'\n'
  log "replica r$i: pid ${PIDS[-1]}, http://127.0.0.1:$p (log $WORK/r$i.log)"
done

healthy() { "$PYTHON" - "$@" <<'EOF'
import sys, urllib.request
for url in sys.argv[1:]:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status != 200:
                sys.exit(1)
    except OSError:
        sys.exit(1)
EOF
}

deadline=$((SECONDS + READY_TIMEOUT))
for i in $(seq 1 "$REPLICAS"); do
  pid=${PIDS[$((i - 1))]} p=${RPORTS[$((i - 1))]}
  until healthy "http://127.0.0.1:$p/_stcore/health"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "replica r$i exited before it was healthy; its log:"; tail -n 30 "$WORK/r$i.log" >&2; exit 5
    fi
    [ "$SECONDS" -lt "$deadline" ] || { log "replica r$i not healthy after ${READY_TIMEOUT}s"; exit 5; }
    sleep 0.3
  done
done

# ---------------------------------------------------------------- HAProxy
STATS_PORT=$(free_port)
while [ "$STATS_PORT" = "$PORT" ] || [[ " ${RPORTS[*]} " == *" $STATS_PORT "* ]]; do STATS_PORT=$(free_port); done
SOCKET=$WORK/haproxy.sock
CFG=$WORK/haproxy.cfg
# Render the template (servers are inserted line by line, the rest by plain substitution).
while IFS= read -r line; do
  if [ "$line" = "@SERVERS@" ]; then printf '%s' "$SERVERS"; continue; fi
  line=${line//@PORT@/$PORT}; line=${line//@STATS_PORT@/$STATS_PORT}; line=${line//@SOCKET@/$SOCKET}
  printf '%s\n' "$line"
done <"$ROOT/deploy/haproxy.cfg.tmpl" >"$CFG"
"$HAPROXY" -c -q -f "$CFG" || { log "rendered config $CFG is invalid"; exit 6; }
"$HAPROXY" -db -f "$CFG" >"$WORK/haproxy.log" 2>&1 </dev/null &
HAPROXY_PID=$!

# Ready = the balancer answers and its own health checks see every replica UP.
STATS_URL="http://127.0.0.1:$STATS_PORT/stats"
all_up() { "$PYTHON" - "$STATS_URL;csv" "$REPLICAS" <<'EOF'
import csv, io, sys, urllib.request
try:
    text = urllib.request.urlopen(sys.argv[1], timeout=2).read().decode()
except OSError:
    sys.exit(1)
rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
up = [r for r in rows if r["pxname"] == "replicas" and r["svname"] not in ("FRONTEND", "BACKEND")
      and r["status"].startswith("UP")]
sys.exit(0 if len(up) == int(sys.argv[2]) else 1)
EOF
}
until healthy "http://127.0.0.1:$PORT/_stcore/health" && all_up; do
  if ! kill -0 "$HAPROXY_PID" 2>/dev/null; then
    log "haproxy exited; its log:"; tail -n 30 "$WORK/haproxy.log" >&2; HAPROXY_PID=""; exit 6
  fi
  [ "$SECONDS" -lt "$deadline" ] || { log "balancer not ready after ${READY_TIMEOUT}s"; exit 6; }
  sleep 0.3
done

# ---------------------------------------------------------------- state file, ready line
"$PYTHON" - "$STATE" "$PORT" "$$" "$HAPROXY_PID" "$STATS_URL" "$SOCKET" "$WORK" \
    "${PIDS[*]}" "${RPORTS[*]}" <<'EOF'
import json, os, sys
state, port, pid, hpid, stats, sock, work, pids, ports = sys.argv[1:]
replicas = [{"name": f"r{i + 1}", "port": int(p), "pid": int(q), "log": os.path.join(work, f"r{i + 1}.log")}
            for i, (q, p) in enumerate(zip(pids.split(), ports.split()))]
data = {"url": f"http://127.0.0.1:{port}", "port": int(port), "pid": int(pid), "haproxy_pid": int(hpid),
        "stats_url": stats, "stats_socket": sock, "cookie": "SERVERID", "secret_shared": True,
        "workdir": work, "replicas": replicas}
tmp = state + ".tmp"
with open(tmp, "w") as f:
    json.dump(data, f, indent=1)
os.replace(tmp, state)
EOF
echo "READY http://127.0.0.1:$PORT replicas=$REPLICAS pids=${PIDS[*]} ports=${RPORTS[*]}" \
     "haproxy_pid=$HAPROXY_PID stats=$STATS_URL state=$STATE"

# ---------------------------------------------------------------- foreground
# A trapped signal interrupts `wait` at once. Replicas may die (that is what the kill test
# does): keep serving with the others; only HAProxy exiting ends the script.
set +e
wait "$HAPROXY_PID"
rc=$?
[ "$STOPPING" -eq 1 ] || { log "haproxy exited ($rc); its log:"; tail -n 20 "$WORK/haproxy.log" >&2; HAPROXY_PID=""; cleanup 1; }
