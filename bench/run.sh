#!/usr/bin/env bash
# Load benchmark: the same app files served by Deno, workerd and NANO, measured with wrk.
# Usage (from the repo root): bench/run.sh [duration-seconds]   (default 15)
# Env: BENCH_SKIP_BUILD=1 never runs Maven (NANO is skipped if the jar is missing);
#      BENCH_WARMUP=seconds of warm-up load per server and scenario (default 120).
set -euo pipefail

duration="${1:-15}"
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 600 ]; then
  echo "usage: bench/run.sh [duration-seconds 1..600]" >&2
  exit 2
fi
# Every server gets the same warm-up. NANO's JIT needs 90 s or more of load on 2 cores before
# its throughput levels off (measured 2026-11-29, successive 8 s windows: 6k, 19k, 31k, 32k, 46k,
# 84k, 73k, 76k, 79k, 85k, 88k, 95k req/s): the Graal compiler is itself Java code that HotSpot
# compiles first, and hello and json-api load different code.
# Giving the others the same warm-up keeps the comparison fair. BENCH_WARMUP overrides it (seconds).
warmup="${BENCH_WARMUP:-120}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Ports away from NANO's defaults (8080/9000), which a developer may be using right now.
port=18180
nano_mgmt_port=19180

scenarios=(hello json-api)
declare -A scenario_path=([hello]=/ [json-api]=/todos)
declare -A scenario_expect=([hello]="from NANO" [json-api]='"title"')

tmp="$(mktemp -d /tmp/nano-bench.XXXXXX)"
pids=()   # every process this script started, killed on exit
rows=()   # markdown table rows

cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench] $*" >&2; }

# Stops one process politely, then forcibly; silent if it is already gone.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- tools

ensure_wrk() {
  command -v wrk >/dev/null && return 0
  log "installing wrk with apt-get"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
}

# Deno and workerd come from npm into the temp dir, so nothing is left installed afterwards.
ensure_js_runtimes() {
  log "installing deno and workerd from npm into $tmp"
  npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error deno workerd >/dev/null
  deno_bin="$tmp/node_modules/.bin/deno"
  workerd_bin="$tmp/node_modules/.bin/workerd"
  # Keep Deno's cache in the temp dir and stop it from phoning home during the run.
  export DENO_DIR="$tmp/deno-dir" DENO_NO_UPDATE_CHECK=1
  deno_version="$("$deno_bin" --version | head -n 1)"
  workerd_version="$("$workerd_bin" --version | head -n 1)"
}

# The process to measure: npm may install a node shim that spawns the real binary as a child.
real_pid() {
  local pid="$1" child
  if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */node ]]; then
    child="$(cat /proc/"$pid"/task/*/children 2>/dev/null | awk '{print $1; exit}')"
    [ -n "$child" ] && { echo "$child"; return; }
  fi
  echo "$pid"
}

rss_mib() {
  awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"
}

# ---------------------------------------------------------------- measurement

# Waits until the URL answers 200 with the expected body text, or the timeout passes.
wait_for_200() {
  local url="$1" host="$2" expect="$3" timeout="$4" pid="$5" i body
  for i in $(seq $(( timeout * 5 ))); do
    kill -0 "$pid" 2>/dev/null || return 1
    if body="$(curl -fs -m 2 -H "Host: $host" "$url" 2>/dev/null)" && [[ "$body" == *"$expect"* ]]; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# wrk prints latencies as 850.00us / 1.23ms / 1.02s; the table uses milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}

# CPU accounting, in clock ticks, so the report can show whether something besides the server
# and wrk used the CPUs during a measurement (another build, or a noisy VM neighbour = steal).
# Prints: machine-busy steal server-cpu children-cpu (wrk ends up in this shell's children).
cpu_sample() {
  local pid="$1"
  awk '/^cpu / {printf "%d %d ", $2 + $3 + $4 + $7 + $8, $9}' /proc/stat
  sed 's/.*) //' "/proc/$pid/stat" | awk '{printf "%d ", $12 + $13}'
  sed 's/.*) //' "/proc/$$/stat" | awk '{print $14 + $15}'
}

# Warms up, measures, and appends one table row. The server at $pid must already answer.
bench_one() {
  local server="$1" scenario="$2" host="$3" pid="$4"
  local url="http://127.0.0.1:$port${scenario_path[$scenario]}" out
  log "$server/$scenario: warm-up ${warmup}s"
  wrk -t2 -c50 -d"${warmup}s" -H "Host: $host" "$url" >/dev/null
  log "$server/$scenario: measuring ${duration}s"
  local real before after
  real="$(real_pid "$pid")"
  before="$(cpu_sample "$real")"
  out="$(wrk -t2 -c50 -d"${duration}s" --latency -H "Host: $host" "$url")"
  after="$(cpu_sample "$real")"
  echo "$out" > "$tmp/wrk-$server-$scenario.txt"

  # Other = machine busy time minus the server's and wrk's; both as % of all CPUs' time.
  # CPU per request: the server's user + system time over the requests wrk completed, which
  # varies far less between runs on this VM than requests/s.
  local other steal requests cpu_us
  requests="$(awk '/ requests in / {print $1}' <<<"$out")"
  read -r other steal cpu_us < <(awk -v b="$before" -v a="$after" -v n="${requests:-0}" -v hz="$(getconf CLK_TCK)" \
      -v cap="$(( duration * $(nproc) * $(getconf CLK_TCK) ))" 'BEGIN {
    split(b, x); split(a, y)
    o = (y[1] - x[1]) - (y[3] - x[3]) - (y[4] - x[4]); if (o < 0) o = 0
    printf "%.0f %.0f %s\n", 100 * o / cap, 100 * (y[2] - x[2]) / cap,
      (n > 0 ? sprintf("%.1f", (y[3] - x[3]) / hz * 1e6 / n) : "?") }')

  local rps p50 p99 non2xx sockerr rss
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  sockerr="$(awk '/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' <<<"$out")"
  rss="$(rss_mib "$real")"
  rows+=("| $server | $scenario | $rps | $p50 | $p99 | $cpu_us | ${non2xx:-0} | ${sockerr:-0} | $rss | $other | $steal |")
  log "$server/$scenario: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${cpu_us} us CPU/request, RSS ${rss} MiB, other CPU ${other}%, steal ${steal}%"
}

# Runs "$@" as the server in the background, waits for a 200, benchmarks it, stops it.
# Servers run one at a time so they never compete for the 2 cores.
serve_and_bench() {
  local server="$1" scenario="$2" host="$3" timeout="$4"; shift 4
  local logf="$tmp/$server-$scenario.log" pid real
  "$@" >"$logf" 2>&1 &
  pid=$!
  pids+=("$pid")
  if wait_for_200 "http://127.0.0.1:$port${scenario_path[$scenario]}" "$host" "${scenario_expect[$scenario]}" "$timeout" "$pid"; then
    real="$(real_pid "$pid")"
    [ "$real" = "$pid" ] || pids+=("$real")   # a shim's child must not outlive the run
    bench_one "$server" "$scenario" "$host" "$pid"
    stop_pid "$pid"
    stop_pid "$real"
    return 0
  fi
  log "$server/$scenario: server did not answer 200 within ${timeout}s; last log lines:"
  tail -n 20 "$logf" >&2 || true
  stop_pid "$pid"
  return 1
}

# ---------------------------------------------------------------- servers

run_deno() {
  local scenario="$1"
  # deno serve runs a module's `export default { fetch }` directly; no --allow-net needed.
  serve_and_bench deno "$scenario" localhost 30 \
    "$deno_bin" serve --host 127.0.0.1 --port "$port" "apps/$scenario/index.js" \
    || rows+=("| deno | $scenario | failed | | | | | | | | |")
}

run_workerd() {
  local scenario="$1" dir="$tmp/workerd-$scenario" modules="" f
  mkdir -p "$dir"
  cp apps/"$scenario"/*.js "$dir/"
  # index.js first: workerd treats the first module as the main one.
  for f in index.js $(cd "$dir" && ls *.js | grep -vx index.js); do
    modules+="${modules:+, }(name = \"$f\", esModule = embed \"$f\")"
  done
  # workerd's version is its build date, the newest compatibility date it accepts.
  local compat="${workerd_version#workerd }"
  [[ "$compat" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || compat="2025-01-01"
  cat > "$dir/config.capnp" <<EOF
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "app", worker = .app)],
  sockets = [(name = "http", address = "127.0.0.1:$port", http = (), service = "app")],
);
const app :Workerd.Worker = (
  modules = [$modules],
  compatibilityDate = "$compat",
);
EOF
  serve_and_bench workerd "$scenario" localhost 30 "$workerd_bin" serve "$dir/config.capnp" \
    || rows+=("| workerd | $scenario | failed | | | | | | | | |")
}

# Finds JDK 25 and the jar (building it if allowed); sets nano_ok=1 when NANO can run.
prepare_nano() {
  nano_ok=0 nano_skip=""
  if ! java_home="$(bash -c '. .mvn/find-jdk.sh >&2 && printf %s "$JAVA_HOME"')"; then
    nano_skip="no JDK 25"; log "SKIP NANO: $nano_skip"; return
  fi
  java_version="$("$java_home/bin/java" -version 2>&1 | head -n 1)"
  if [ ! -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    log "building NANO (./mvnw -B -q package -DskipTests)"
    ./mvnw -B -q package -DskipTests >"$tmp/build.log" 2>&1 \
      || { log "NANO build failed; last lines:"; tail -n 20 "$tmp/build.log" >&2; }
  fi
  if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    nano_skip="jar not built"; log "SKIP NANO: target/quarkus-app/quarkus-run.jar does not exist"; return
  fi
  nano_ok=1
}

# NANO is multi-tenant: one process serves every app in application.yaml, chosen by the Host
# header. Health readiness comes first (management port), then the app itself must answer 200.
# The access log is off because the peers log nothing per request (and it would fill $tmp).
run_nano() {
  local scenario="$1" host="$1.localhost"
  # ./nano serve: the built jar with the same JVM flags as ./nano run.
  local -a cmd=(./nano serve -Dnano.access-log=false
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port"
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$nano_mgmt_port")
  local logf="$tmp/nano-$scenario.log" pid i ready=0 url="http://127.0.0.1:$port${scenario_path[$scenario]}"
  JAVA_HOME="$java_home" "${cmd[@]}" >"$logf" 2>&1 &
  pid=$!
  pids+=("$pid")
  for i in $(seq 600); do   # 120 s
    kill -0 "$pid" 2>/dev/null || break
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$nano_mgmt_port/q/health/ready" && { ready=1; break; }
    sleep 0.2
  done
  if [ "$ready" = 1 ] && wait_for_200 "$url" "$host" "${scenario_expect[$scenario]}" 5 "$pid"; then
    bench_one nano "$scenario" "$host" "$pid"
  else
    if [ "$ready" = 1 ]; then
      log "SKIP NANO/$scenario: ready, but GET $url (Host: $host) did not answer 200: $(curl -s -m 2 -o /dev/null -w '%{http_code}' -H "Host: $host" "$url")"
      rows+=("| nano | $scenario | skipped (no 200) | | | | | | | | |")
    else
      log "SKIP NANO/$scenario: not ready within 120 s"
      rows+=("| nano | $scenario | skipped (not ready) | | | | | | | | |")
    fi
    log "last NANO log lines:"
    tail -n 5 "$logf" | cut -c1-400 >&2 || true
  fi
  stop_pid "$pid"
}

# ---------------------------------------------------------------- main

# Anything else busy on the machine skews the numbers; the report shows the load we started with.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_wrk
ensure_js_runtimes
prepare_nano

for scenario in "${scenarios[@]}"; do
  run_deno "$scenario"
  run_workerd "$scenario"
  if [ "$nano_ok" = 1 ]; then run_nano "$scenario"; else rows+=("| nano | $scenario | skipped ($nano_skip) | | | | | | | | |"); fi
done

cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
mem="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
report="$(cat <<EOF
## NANO load benchmark

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, $(uname -sr)
- Load average before the run: $load_before
- Versions: ${deno_version}; ${workerd_version}; java: ${java_version:-not found}
- Command: \`bench/run.sh $duration\`, per server and scenario: warm-up \`wrk -t2 -c50 -d${warmup}s\`,
  then \`wrk -t2 -c50 -d${duration}s --latency\` against 127.0.0.1 (wrk on the same 2 cores)
- Server CPU µs/request: the server process's user + system CPU time during the measurement
  divided by the requests served (kernel networking included)
- Other CPU % / Steal %: share of all CPUs' time during the measurement used by processes other
  than the server and wrk / taken by the hypervisor; either above a few % means a disturbed run

| Server | Scenario | Requests/s | p50 ms | p99 ms | Server CPU µs/request | Non-2xx | Socket errors | RSS MiB | Other CPU % | Steal % |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${rows[@]}")
EOF
)"
mkdir -p bench/results
echo "$report" > bench/results/latest.md
echo "$report"
