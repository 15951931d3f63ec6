#!/usr/bin/env bash
# Drain benchmark: N requests that each take 2 s are in flight when the server gets SIGTERM.
# Reports, for NANO, `deno serve` and workerd: how many of them answered 200, and how long the
# process took to exit after SIGTERM. For NANO also: the time from an admin `add` of a new app
# to its first 200 (a new app in a running process).
# Usage (from the repo root): bench/drain.sh [requests]   (default 20)
# Env: DRAIN_SERVERS="nano deno workerd" (a subset to run); BENCH_SKIP_BUILD=1.
set -euo pipefail

count="${1:-20}"
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 1000 ] \
  || { echo "usage: bench/drain.sh [requests 1..1000]" >&2; exit 2; }
servers=(${DRAIN_SERVERS:-nano deno workerd})
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
app="src/test/resources/apps/slow/index.js"   # /sleep?ms=N answers after N ms
port=18281 mgmt=19281
tmp="$(mktemp -d /tmp/nano-drain.XXXXXX)"
pids=()
log() { echo "[drain] $*" >&2; }
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

wait_200() {   # url host timeout-seconds pid
  local i
  for i in $(seq $(( $3 * 5 ))); do
    kill -0 "$4" 2>/dev/null || return 1
    curl -fs -m 2 -o /dev/null -H "Host: $2" "$1" && return 0
    sleep 0.2
  done
  return 1
}

# The process that must get the signal: npm may install a node shim that spawns the real binary.
real_pid() {
  local child
  if [[ "$(readlink "/proc/$1/exe" 2>/dev/null)" == */node ]]; then
    child="$(cat /proc/"$1"/task/*/children 2>/dev/null | awk '{print $1; exit}')"
    [ -n "$child" ] && { echo "$child"; return; }
  fi
  echo "$1"
}

# Fires $count slow requests, sends SIGTERM to $1 after 300 ms, and prints one result line.
drain_run() {
  local name="$1" pid="$2" host="$3" i sigterm exited ok
  rm -f "$tmp"/status.*
  for i in $(seq "$count"); do
    curl -s -m 60 -o /dev/null -w '%{http_code}\n' -H "Host: $host" "http://127.0.0.1:$port/sleep?ms=2000" \
      > "$tmp/status.$i" 2>/dev/null &
  done
  sleep 0.3
  sigterm="$(now_ms)"
  kill -TERM "$pid"
  for i in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  exited="$(now_ms)"
  kill -0 "$pid" 2>/dev/null && { log "$name did not exit within 30 s"; kill -9 "$pid" || true; }
  wait 2>/dev/null || true   # the curls (this runs in a subshell: the server is not its child)
  ok="$(cat "$tmp"/status.* | grep -c '^200$' || true)"
  printf '| %s | %d of %d | %d ms |\n' "$name" "$ok" "$count" "$(( exited - sigterm ))"
}

results=()
for server in "${servers[@]}"; do
  case "$server" in
    nano)
      if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
        [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && { log "SKIP nano: jar not built"; continue; }
        ./mvnw -B -q -o package -DskipTests
      fi
      mkdir -p "$tmp/apps/added"
      cp "$app" "$tmp/apps/added/index.js"
      cat > "$tmp/nano.yaml" <<EOF
quarkus:
  shutdown:
    delay: 1s
nano:
  access-log: false
  admin:
    token: drain-bench
    apps-root: $tmp/apps
  apps:
    # Warm-up only delays the start here: this measures shutdown.
    hello:
      warmup-requests: 0
    json-api:
      warmup-requests: 0
    slow:
      module: $app
      hostnames: [slow.localhost]
EOF
      ./nano serve -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port -Dquarkus.management.port=$mgmt \
        -Dquarkus.config.locations="$tmp/nano.yaml" > "$tmp/nano.log" 2>&1 &
      pid=$!; pids+=("$pid")
      wait_200 "http://127.0.0.1:$port/" slow.localhost 300 "$pid" || { log "nano did not start"; tail "$tmp/nano.log"; continue; }
      # A new app in the running process: admin add, then its first 200.
      start="$(now_ms)"
      curl -fs -m 120 -o /dev/null -H 'Authorization: Bearer drain-bench' -H 'Content-Type: application/json' \
        -d '{"name":"added","module":"added/index.js","hostnames":["added.localhost"]}' \
        "http://127.0.0.1:$mgmt/admin/apps"
      until curl -fs -m 2 -o /dev/null -H 'Host: added.localhost' "http://127.0.0.1:$port/"; do sleep 0.01; done
      log "nano: admin add -> first 200 in $(( $(now_ms) - start )) ms"
      results+=("$(drain_run "nano (shutdown delay 1 s)" "$pid" slow.localhost)")
      grep -o 'shutdown: drained[^"]*' "$tmp/nano.log" >&2 || true
      ;;
    deno|workerd)
      if [ -z "${npm_done:-}" ]; then
        log "installing deno and workerd from npm into $tmp"
        npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error deno workerd >/dev/null
        export DENO_DIR="$tmp/deno-dir" DENO_NO_UPDATE_CHECK=1
        npm_done=1
      fi
      if [ "$server" = deno ]; then
        "$tmp/node_modules/.bin/deno" serve --host 127.0.0.1 --port "$port" "$app" > "$tmp/deno.log" 2>&1 &
      else
        mkdir -p "$tmp/w"; cp "$app" "$tmp/w/index.js"
        cat > "$tmp/w/config.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "app", worker = .app)],
  sockets = [(name = "http", address = "127.0.0.1:$port", http = (), service = "app")],
);
const app :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "index.js")],
  compatibilityDate = "2025-01-01",
);
EOF
        "$tmp/node_modules/.bin/workerd" serve "$tmp/w/config.capnp" > "$tmp/workerd.log" 2>&1 &
      fi
      pid=$!; pids+=("$pid")
      wait_200 "http://127.0.0.1:$port/" localhost 60 "$pid" || { log "$server did not start"; continue; }
      results+=("$(drain_run "$server" "$(real_pid "$pid")" localhost)")
      kill -9 "$pid" 2>/dev/null || true
      ;;
    *) log "unknown server $server"; exit 2 ;;
  esac
done

echo "| server | 2 s requests answered 200 | exit after SIGTERM |"
echo "|---|---|---|"
printf '%s\n' "${results[@]}"
