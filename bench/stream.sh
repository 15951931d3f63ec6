#!/usr/bin/env bash
# Stream benchmark: the same app (bench/apps/stream/index.js, a 10 MiB ReadableStream response
# in 16 KiB chunks) served by NANO, `deno serve` and workerd on 127.0.0.1, measured with wrk:
#   - MiB/s to 1 client (wrk -t1 -c1) and to 20 concurrent clients (wrk -t2 -c20);
#   - server RSS growth while one client asks for 1 GiB and reads nothing (a stalled reader):
#     with backpressure the server stops producing once the socket buffers are full.
# Usage (from the repo root): bench/stream.sh [window-seconds]   (default 5, at most 60)
# Env: BENCH_WARMUP=seconds of warm-up per server (default 10);
#      BENCH_STALL=seconds the stalled client waits before RSS is read again (default 5);
#      BENCH_PORT_BASE=first of the ports (default 18190: NANO 18190, Deno 18191, workerd 18192,
#      NANO management 19190);
#      BENCH_SKIP_BUILD=1 never runs Maven (NANO is skipped if the jar is missing).
set -euo pipefail

duration="${1:-5}"
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 60 ]; then
  echo "usage: bench/stream.sh [window-seconds 1..60]" >&2
  exit 2
fi
warmup="${BENCH_WARMUP:-10}"
stall="${BENCH_STALL:-5}"
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 600 ] || { echo "BENCH_WARMUP must be 0..600" >&2; exit 2; }
[[ "$stall" =~ ^[0-9]+$ ]] && [ "$stall" -ge 1 ] && [ "$stall" -le 120 ] || { echo "BENCH_STALL must be 1..120" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
app=bench/apps/stream/index.js
expected_bytes=$((10 * 1024 * 1024))

# Ports away from NANO's defaults and from bench/run.sh's: BASE (NANO), BASE+1 (Deno), BASE+2
# (workerd) and BASE+1000 (NANO's management interface).
base="${BENCH_PORT_BASE:-18190}"
[[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 60000 ] || { echo "BENCH_PORT_BASE must be 1024..60000" >&2; exit 2; }
declare -A port=([nano]=$base [deno]=$((base + 1)) [workerd]=$((base + 2)))
nano_mgmt_port=$((base + 1000))
servers=(nano deno workerd)

tmp="$(mktemp -d /tmp/nano-stream-bench.XXXXXX)"
pids=()
declare -A server_pid server_state
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[stream-bench] $*" >&2; }

stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# npm may install a node shim that spawns the real binary as a child: measure the child.
real_pid() {
  local pid="$1" child
  if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */node ]]; then
    child="$(cat /proc/"$pid"/task/*/children 2>/dev/null | awk '{print $1; exit}')"
    [ -n "$child" ] && { echo "$child"; return; }
  fi
  echo "$pid"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

host_of() { [ "$1" = nano ] && echo stream.localhost || echo localhost; }
url_of() { echo "http://127.0.0.1:${port[$1]}/"; }

# A whole 10 MiB body of 'x' with status 200, within the timeout: the server answers correctly.
answers() {
  local server="$1" timeout="$2" out
  out="$(curl -s -m "$timeout" -H "Host: $(host_of "$server")" -o "$tmp/body" -w '%{http_code} %{size_download}' \
    "$(url_of "$server")" 2>/dev/null)" || return 1
  [ "$out" = "200 $expected_bytes" ] && [ "$(head -c 4 "$tmp/body")" = xxxx ] && [ "$(tail -c 4 "$tmp/body")" = xxxx ]
}

wait_until_answers() {
  local server="$1" pid="$2" seconds="$3" i
  for i in $(seq "$seconds"); do
    kill -0 "$pid" 2>/dev/null || return 1
    answers "$server" 10 && return 0
    sleep 1
  done
  return 1
}

start_server() {
  local server="$1" seconds="$2"; shift 2
  "$@" >"$tmp/$server.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  if wait_until_answers "$server" "$pid" "$seconds"; then
    local real
    real="$(real_pid "$pid")"
    [ "$real" = "$pid" ] || pids+=("$real")
    server_pid[$server]="$real" server_state[$server]=ready
  else
    log "$server did not answer a correct 10 MiB body within ${seconds}s; last log lines:"
    tail -n 20 "$tmp/$server.log" >&2 || true
    stop_pid "$pid"
    server_state[$server]="failed to start"
  fi
}

# ---------------------------------------------------------------- servers

log "installing deno and workerd from npm into $tmp"
npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error deno workerd >/dev/null
deno_bin="$tmp/node_modules/.bin/deno"
workerd_bin="$tmp/node_modules/.bin/workerd"
export DENO_DIR="$tmp/deno-dir" DENO_NO_UPDATE_CHECK=1
deno_version="$("$deno_bin" --version | head -n 1)"
workerd_version="$("$workerd_bin" --version | head -n 1)"

nano_skip=""
if java_home="$(bash -c '. .mvn/find-jdk.sh >&2 && printf %s "$JAVA_HOME"')"; then
  java_version="$("$java_home/bin/java" -version 2>&1 | head -n 1)"
  if [ ! -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building NANO (./mvnw -B -q package -DskipTests)"
    ./mvnw -B -q package -DskipTests >"$tmp/build.log" 2>&1 || tail -n 20 "$tmp/build.log" >&2
  fi
  [ -f target/quarkus-app/quarkus-run.jar ] || nano_skip="jar not built"
else
  nano_skip="no JDK 25"
fi

if [ -z "$nano_skip" ]; then
  # NANO serves the bench app beside application.yaml's apps, chosen by Host.
  JAVA_HOME="$java_home" start_server nano 240 ./nano serve -Dnano.access-log=false \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="${port[nano]}" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$nano_mgmt_port" \
    -Dnano.apps.stream.module="$app" -Dnano.apps.stream.hostnames=stream.localhost
else
  server_state[nano]="skipped ($nano_skip)"
fi

start_server deno 30 "$deno_bin" serve --host 127.0.0.1 --port "${port[deno]}" "$app"

mkdir -p "$tmp/workerd"
cp "$app" "$tmp/workerd/index.js"
compat="${workerd_version#workerd }"
[[ "$compat" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || compat="2025-01-01"
cat > "$tmp/workerd/config.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "app", worker = .app)],
  sockets = [(name = "http", address = "127.0.0.1:${port[workerd]}", http = (), service = "app")],
);
const app :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed "index.js")],
  compatibilityDate = "$compat",
);
EOF
start_server workerd 30 "$workerd_bin" serve "$tmp/workerd/config.capnp"

# ---------------------------------------------------------------- measurement

# wrk's Transfer/sec (KB, MB, GB in powers of 1024) as MiB/s.
mib_per_s() {
  awk '/^Transfer\/sec:/ {v = $2; n = v + 0
    if (v ~ /GB$/) n *= 1024; else if (v ~ /KB$/) n /= 1024; else if (v ~ /B$/ && v !~ /MB$/) n /= 1048576
    printf "%.0f", n}'
}

# Throughput window: prints "MiB/s responses errors".
window() {
  local server="$1" threads="$2" connections="$3" out
  out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 30s -H "Host: $(host_of "$server")" "$(url_of "$server")")"
  printf '%s %s %s\n' "$(mib_per_s <<<"$out")" "$(awk '/ requests in / {print $1}' <<<"$out")" \
    "$(awk '/Socket errors:|Non-2xx/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i} END {print n + 0}' <<<"$out")"
}

# One client asks for 1 GiB and reads nothing for $stall seconds: prints the RSS growth in KiB.
stalled_growth() {
  local server="$1" pid="${server_pid[$1]}" before after
  before="$(rss_kib "$pid")"
  python3 - "${port[$server]}" "$(host_of "$server")" "$stall" <<'EOF' &
import socket, sys, time
port, host, stall = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(f"GET /?mib=1024 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
time.sleep(stall + 1)  # never reads; RSS is sampled before this ends
s.close()
EOF
  local client=$!
  sleep "$stall"
  after="$(rss_kib "$pid")"
  wait "$client" 2>/dev/null || true
  echo $(( after - before ))
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A one twenty growth rss
for server in "${servers[@]}"; do
  [ "${server_state[$server]}" = ready ] || continue
  if [ "$warmup" -gt 0 ]; then
    log "$server: warm-up ${warmup}s"
    wrk -t2 -c20 -d"${warmup}s" --timeout 30s -H "Host: $(host_of "$server")" "$(url_of "$server")" >/dev/null
  fi
  one[$server]="$(window "$server" 1 1)"
  twenty[$server]="$(window "$server" 2 20)"
  rss[$server]="$(rss_kib "${server_pid[$server]}")"
  growth[$server]="$(stalled_growth "$server")"
  log "$server: 1 client ${one[$server]%% *} MiB/s, 20 clients ${twenty[$server]%% *} MiB/s, stalled reader +${growth[$server]} KiB RSS"
  # Still correct after the load and the stalled client.
  answers "$server" 30 || { log "$server: wrong answer after the run"; server_state[$server]="wrong answer after the run"; }
done

rows() {
  local server a b
  for server in "${servers[@]}"; do
    if [ "${server_state[$server]}" != ready ]; then
      echo "| $server | ${server_state[$server]} | | | | | |"
      continue
    fi
    read -r -a a <<<"${one[$server]}"
    read -r -a b <<<"${twenty[$server]}"
    printf '| %s | %s | %s | %s | %s | %.0f | %.1f |\n' "$server" "${a[0]}" "${b[0]}" "$(( a[1] + b[1] ))" \
      "$(( a[2] + b[2] ))" "$(awk -v k="${rss[$server]}" 'BEGIN {print k / 1024}')" \
      "$(awk -v k="${growth[$server]}" 'BEGIN {print k / 1024}')"
  done
}

report="$(cat <<EOF
## NANO stream benchmark

- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $load_before
- Machine: $(nproc) CPUs, $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM
- Versions: ${deno_version}; ${workerd_version}; java: ${java_version:-not found}
- Command: \`bench/stream.sh $duration\` (BENCH_WARMUP=$warmup, BENCH_STALL=$stall): GET of a 10 MiB
  ReadableStream body in 16 KiB chunks (\`$app\`), \`wrk -t1 -c1\` and \`wrk -t2 -c20\` for ${duration} s each
  on 127.0.0.1, after a ${warmup} s warm-up; stalled reader: one client asks for 1 GiB and reads
  nothing for ${stall} s, RSS read before and after

| Server | MiB/s, 1 client | MiB/s, 20 clients | Responses | Errors | RSS MiB | RSS growth, stalled reader MiB |
|---|---:|---:|---:|---:|---:|---:|
$(rows)
EOF
)"
mkdir -p bench/results
echo "$report" > bench/results/stream-latest.md
echo "$report"
