#!/usr/bin/env bash
# Load benchmark: the same app files served by Deno (one thread and one per CPU), workerd and
# NANO (its default event loops and one), measured with wrk.
# Usage (from the repo root): bench/run.sh [window-seconds]   (default 10)
# Env: BENCH_ROUNDS=rounds of measurement windows (default 5);
#      BENCH_WARMUP=seconds of warm-up load per server and scenario (default 120);
#      BENCH_SKIP_BUILD=1 never runs Maven (NANO is skipped if the jar is missing);
#      BENCH_SCENARIOS="hello fetch-proxy" measures only these scenarios (default: all);
#      BENCH_CHECK_ONLY=1 starts every server, checks that each answers each scenario, and stops.
#
# Every server is started and warmed up first; then each round measures one window of every
# server and scenario in turn. This VM's speed drifts by 20 % and more within minutes, so
# servers measured minutes apart are not comparable: interleaved windows see the same drift,
# and the report gives each server's median window and, per round, NANO's ratio to its peers.
set -euo pipefail

duration="${1:-10}"
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 600 ]; then
  echo "usage: bench/run.sh [window-seconds 1..600]" >&2
  exit 2
fi
rounds="${BENCH_ROUNDS:-5}"
[[ "$rounds" =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] && [ "$rounds" -le 100 ] \
  || { echo "BENCH_ROUNDS must be 1..100" >&2; exit 2; }
# Every server gets the same warm-up. NANO's JIT needs 90 s or more of load on 2 cores before
# its throughput levels off (measured 2026-11-29, successive 8 s windows: 6k, 19k, 31k, 32k, 46k,
# 84k, 73k, 76k, 79k, 85k, 88k, 95k req/s): the Graal compiler is itself Java code that HotSpot
# compiles first, and hello and json-api load different code.
warmup="${BENCH_WARMUP:-120}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Ports away from NANO's defaults (8080/9000), which a developer may be using right now. NANO
# serves both scenarios on one port (by Host); the others run one process per scenario.
declare -A peer_port=([deno/hello]=18181 [deno/json-api]=18182 [workerd/hello]=18183 [workerd/json-api]=18184
  [deno-parallel/hello]=18186 [deno-parallel/json-api]=18187
  [deno/fetch-proxy]=18188 [deno-parallel/fetch-proxy]=18189 [workerd/fetch-proxy]=18191)
# fetch-proxy: every proxy fetches from this one upstream (`deno serve bench/upstream/index.js`).
upstream_port=18190
upstream_url="http://127.0.0.1:$upstream_port/"

read -r -a scenarios <<<"${BENCH_SCENARIOS:-hello json-api fetch-proxy}"
for scenario in "${scenarios[@]}"; do
  [[ "$scenario" =~ ^(hello|json-api|fetch-proxy)$ ]] || { echo "unknown scenario $scenario" >&2; exit 2; }
done
# The app folder under apps/ each scenario serves (NANO: at <app>.localhost).
declare -A scenario_app=([hello]=hello [json-api]=json-api [fetch-proxy]=proxy)
# NANO runs twice: as configured by default (one event loop, so one JavaScript thread, per CPU)
# and with one event loop, the JavaScript thread count Deno and workerd use here. Deno runs twice
# too: as `deno serve` does by default (one thread) and with --parallel (one thread per CPU), the
# like-for-like peer of NANO's default.
servers=(deno deno-parallel workerd nano nano-1loop)
# Who is compared with whom, round by round: "NANO peer".
pairs=("nano deno" "nano deno-parallel" "nano-1loop deno")
declare -A scenario_path=([hello]=/ [json-api]=/todos [fetch-proxy]=/)
declare -A scenario_expect=([hello]="from NANO" [json-api]='"title"' [fetch-proxy]="Hello from the upstream")

tmp="$(mktemp -d /tmp/nano-bench.XXXXXX)"
pids=()   # every process this script started, killed on exit
declare -A target_pid target_url target_host target_state   # by server/scenario
windows="$tmp/windows.tsv"   # one line per measured window
: > "$windows"

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

# One measurement window of one target; appends a line to $windows:
# round server scenario rps p50 p99 cpu_us non2xx sockerr other steal
measure_window() {
  local round="$1" server="$2" scenario="$3" key="$2/$3"
  local pid="${target_pid[$key]}" url="${target_url[$key]}" host="${target_host[$key]}"
  local before after out
  before="$(cpu_sample "$pid")"
  out="$(wrk -t2 -c50 -d"${duration}s" --latency -H "Host: $host" "$url")"
  after="$(cpu_sample "$pid")"

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
      (n > 0 ? sprintf("%.1f", (y[3] - x[3]) / hz * 1e6 / n) : "nan") }')

  local rps p50 p99 non2xx sockerr
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  sockerr="$(awk '/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' <<<"$out")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$scenario" "${rps:-0}" "$p50" "$p99" \
    "$cpu_us" "${non2xx:-0}" "${sockerr:-0}" "$other" "$steal" >> "$windows"
  log "round $round $key: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${cpu_us} us CPU/request, other CPU ${other}%, steal ${steal}%"
}

# Starts "$@" in the background as the server of one target and waits for a 200 with the
# expected body; marks the target ready or failed.
start_target() {
  local server="$1" scenario="$2" port="$3" host="$4" timeout="$5"; shift 5
  local key="$server/$scenario" logf="$tmp/$server-$scenario.log" pid
  local url="http://127.0.0.1:$port${scenario_path[$scenario]}"
  "$@" >"$logf" 2>&1 &
  pid=$!
  pids+=("$pid")
  if wait_for_200 "$url" "$host" "${scenario_expect[$scenario]}" "$timeout" "$pid"; then
    local real
    real="$(real_pid "$pid")"
    [ "$real" = "$pid" ] || pids+=("$real")   # a shim's child must not outlive the run
    target_pid[$key]="$real" target_url[$key]="$url" target_host[$key]="$host" target_state[$key]=ready
    return 0
  fi
  log "$key: server did not answer 200 within ${timeout}s; last log lines:"
  tail -n 20 "$logf" >&2 || true
  stop_pid "$pid"
  target_state[$key]="failed to start"
}

# ---------------------------------------------------------------- servers

# Usage: start_deno SERVER SCENARIO [deno serve flags...]
start_deno() {
  local server="$1" scenario="$2" port="${peer_port[$1/$2]}" module
  shift 2
  module="apps/${scenario_app[$scenario]}/index.js"
  # deno serve runs a module's `export default { fetch }` directly; no --allow-net needed to serve.
  if [ "$scenario" = fetch-proxy ]; then
    # Deno passes no env to fetch(request, info): a two-line module hands the app the same env
    # NANO and workerd give it; fetching the upstream needs --allow-net for that address.
    module="$tmp/deno-proxy.js"
    printf 'import app from "%s";\nexport default { fetch: (request) => app.fetch(request, { UPSTREAM: "%s" }) };\n' \
      "$root/apps/proxy/index.js" "$upstream_url" > "$module"
    set -- "$@" --allow-net="127.0.0.1:$upstream_port"
  fi
  start_target "$server" "$scenario" "$port" localhost 30 \
    "$deno_bin" serve "$@" --host 127.0.0.1 --port "$port" "$module"
}

# The upstream of fetch-proxy, started once before the proxies.
start_upstream() {
  local logf="$tmp/upstream.log" pid
  "$deno_bin" serve --host 127.0.0.1 --port "$upstream_port" bench/upstream/index.js >"$logf" 2>&1 &
  pid=$!
  pids+=("$pid")
  if ! wait_for_200 "$upstream_url" localhost "from the upstream" 30 "$pid"; then
    log "the fetch-proxy upstream did not start; last log lines:"
    tail -n 20 "$logf" >&2 || true
    return 1
  fi
  local real
  real="$(real_pid "$pid")"
  [ "$real" = "$pid" ] || pids+=("$real")
}

start_workerd() {
  local scenario="$1" port="${peer_port[workerd/$1]}" dir="$tmp/workerd-$1" modules="" f
  local bindings="" outbound="" internet=""
  mkdir -p "$dir"
  cp apps/"${scenario_app[$scenario]}"/*.js "$dir/"
  if [ "$scenario" = fetch-proxy ]; then
    # workerd's default network allows only public addresses, as NANO's does: allow local too.
    bindings="bindings = [(name = \"UPSTREAM\", text = \"$upstream_url\")],"
    outbound='globalOutbound = "internet",'
    internet=', (name = "internet", network = (allow = ["public", "local"]))'
  fi
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
  services = [(name = "app", worker = .app)$internet],
  sockets = [(name = "http", address = "127.0.0.1:$port", http = (), service = "app")],
);
const app :Workerd.Worker = (
  modules = [$modules],
  $bindings
  $outbound
  compatibilityDate = "$compat",
);
EOF
  start_target workerd "$scenario" "$port" localhost 30 "$workerd_bin" serve "$dir/config.capnp"
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
# header, so both scenarios are targets of the same process. Health readiness comes first
# (management port), then each app must answer 200.
# The access log is off because the peers log nothing per request (and it would fill $tmp).
# Usage: start_nano NAME PORT MANAGEMENT-PORT [extra -D flags...]
start_nano() {
  local name="$1" nano_port="$2" nano_mgmt_port="$3" scenario
  shift 3
  if [ "$nano_ok" != 1 ]; then
    for scenario in "${scenarios[@]}"; do target_state[$name/$scenario]="skipped ($nano_skip)"; done
    return
  fi
  # ./nano serve: the built jar with the same JVM flags as ./nano run.
  # Steering by CPU is an opt-in since 2026-12-03; the results below were measured with it.
  local -a cmd=(./nano serve -Dnano.access-log=false -Dnano.connection-steering=cpu
    -Dnano.apps.proxy.env.UPSTREAM="$upstream_url"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$nano_port"
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$nano_mgmt_port" "$@")
  local logf="$tmp/$name.log" pid i ready=0
  JAVA_HOME="$java_home" "${cmd[@]}" >"$logf" 2>&1 &
  pid=$!
  pids+=("$pid")
  for i in $(seq 600); do   # 120 s
    kill -0 "$pid" 2>/dev/null || break
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$nano_mgmt_port/q/health/ready" && { ready=1; break; }
    sleep 0.2
  done
  for scenario in "${scenarios[@]}"; do
    local key="$name/$scenario" host="${scenario_app[$scenario]}.localhost" url="http://127.0.0.1:$nano_port${scenario_path[$scenario]}"
    if [ "$ready" = 1 ] && wait_for_200 "$url" "$host" "${scenario_expect[$scenario]}" 5 "$pid"; then
      target_pid[$key]="$pid" target_url[$key]="$url" target_host[$key]="$host" target_state[$key]=ready
    elif [ "$ready" = 1 ]; then
      log "SKIP $key: ready, but GET $url (Host: $host) did not answer 200"
      target_state[$key]="skipped (no 200)"
    else
      log "SKIP $key: not ready within 120 s; last NANO log lines:"
      tail -n 5 "$logf" | cut -c1-400 >&2 || true
      target_state[$key]="skipped (not ready)"
    fi
  done
}

# ---------------------------------------------------------------- report

median() {
  sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# One column of $windows for one target: 4 rps, 5 p50, 6 p99, 7 cpu, 8 non2xx, 9 sockerr, 10 other, 11 steal.
column_of() { awk -F'\t' -v s="$1" -v c="$2" -v col="$3" '$2 == s && $3 == c {print $col}' "$windows"; }

summary_rows() {
  local scenario server key rps range p50 p99 cpu non2xx sockerr other steal rss
  for scenario in "${scenarios[@]}"; do
    for server in "${servers[@]}"; do
      key="$server/$scenario"
      if [ "${target_state[$key]:-}" != ready ]; then
        echo "| $server | $scenario | ${target_state[$key]:-not run} | | | | | | | | | |"
        continue
      fi
      rps="$(column_of "$server" "$scenario" 4 | median)"
      range="$(column_of "$server" "$scenario" 4 | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%d-%d", lo, hi}')"
      p50="$(column_of "$server" "$scenario" 5 | median)"
      p99="$(column_of "$server" "$scenario" 6 | median)"
      cpu="$(column_of "$server" "$scenario" 7 | median)"
      non2xx="$(column_of "$server" "$scenario" 8 | awk '{n += $1} END {print n + 0}')"
      sockerr="$(column_of "$server" "$scenario" 9 | awk '{n += $1} END {print n + 0}')"
      other="$(column_of "$server" "$scenario" 10 | sort -g | tail -n 1)"
      steal="$(column_of "$server" "$scenario" 11 | sort -g | tail -n 1)"
      rss="$(rss_mib "${target_pid[$key]}")"
      printf '| %s | %s | %.0f | %s | %.2f | %.2f | %.1f | %s | %s | %s | %s | %s |\n' "$server" "$scenario" "$rps" \
        "$range" "$p50" "$p99" "$cpu" "$non2xx" "$sockerr" "$rss" "$other" "$steal"
    done
  done
}

# Per round, each NANO's req/s and p99 against its peers', from windows measured seconds apart.
paired_rows() {
  local scenario pair nano peer
  for scenario in "${scenarios[@]}"; do
   for pair in "${pairs[@]}"; do
    read -r nano peer <<<"$pair"
    [ "${target_state[$nano/$scenario]:-}" = ready ] && [ "${target_state[$peer/$scenario]:-}" = ready ] || continue
    awk -F'\t' -v c="$scenario" -v nano="$nano" -v peer="$peer" '
      $3 == c && $2 == nano {n[$1] = $4; np[$1] = $6}
      $3 == c && $2 == peer {d[$1] = $4; dp[$1] = $6}
      END {
        for (r in n) if ((r in d) && d[r] > 0) {
          k++; ratio[k] = n[r] / d[r]
          if (n[r] >= d[r]) faster++
          if (np[r] <= dp[r]) p99ok++
        }
        if (k == 0) exit
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (ratio[j] < ratio[i]) {t = ratio[i]; ratio[i] = ratio[j]; ratio[j] = t}
        m = k % 2 ? ratio[(k + 1) / 2] : (ratio[k / 2] + ratio[k / 2 + 1]) / 2
        printf "| %s | %s | %s | %.2f | %d of %d | %d of %d |\n", c, nano, peer, m, faster, k, p99ok, k
      }' "$windows"
   done
  done
}

# ---------------------------------------------------------------- main

# Anything else busy on the machine skews the numbers; the report shows the load we started with.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ensure_wrk
ensure_js_runtimes
prepare_nano

if [[ " ${scenarios[*]} " == *" fetch-proxy "* ]] && ! start_upstream; then
  log "dropping the fetch-proxy scenario"
  read -r -a scenarios <<<"$(printf '%s ' "${scenarios[@]}" | sed 's/fetch-proxy//')"
fi
for scenario in "${scenarios[@]}"; do
  start_deno deno "$scenario"
  start_deno deno-parallel "$scenario" --parallel
  start_workerd "$scenario"
done
start_nano nano 18180 19180
start_nano nano-1loop 18185 19185 -Dquarkus.vertx.event-loops-pool-size=1

if [ "${BENCH_CHECK_ONLY:-0}" = 1 ]; then
  for scenario in "${scenarios[@]}"; do
    for server in "${servers[@]}"; do
      key="$server/$scenario"
      if [ "${target_state[$key]:-}" = ready ]; then
        log "$key: $(curl -fs -m 5 -H "Host: ${target_host[$key]}" "${target_url[$key]}" | head -c 80)"
      else
        log "$key: ${target_state[$key]:-not started}"
      fi
    done
  done
  exit 0
fi

# Warm-up, one target at a time; the others sit idle meanwhile.
for scenario in "${scenarios[@]}"; do
  for server in "${servers[@]}"; do
    key="$server/$scenario"
    [ "${target_state[$key]:-}" = ready ] || continue
    log "$key: warm-up ${warmup}s"
    wrk -t2 -c50 -d"${warmup}s" -H "Host: ${target_host[$key]}" "${target_url[$key]}" >/dev/null
  done
done

for round in $(seq "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    for server in "${servers[@]}"; do
      if [ "${target_state[$server/$scenario]:-}" = ready ]; then measure_window "$round" "$server" "$scenario"; fi
    done
  done
done

cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
mem="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
report="$(cat <<EOF
## NANO load benchmark

- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, $(uname -sr)
- Load average before the run: $load_before
- Versions: ${deno_version}; ${workerd_version}; java: ${java_version:-not found}
- Command: \`bench/run.sh $duration\` with BENCH_ROUNDS=$rounds, BENCH_WARMUP=$warmup: every server
  started and warmed up with \`wrk -t2 -c50 -d${warmup}s\` per scenario, then $rounds rounds, each
  measuring every server and scenario in turn with \`wrk -t2 -c50 -d${duration}s --latency\`
  against 127.0.0.1 (wrk on the same 2 cores; the servers not being measured sit idle)
- Each figure is the median of the rounds' windows (Range: slowest and fastest window's req/s);
  errors are summed; RSS is read after the last round
- Server CPU µs/request: the server process's user + system CPU time during a window divided by
  the requests served (kernel networking included)
- Other CPU % / Steal %: the highest share, over the windows, of all CPUs' time used by processes
  other than the server and wrk / taken by the hypervisor; above a few % means a disturbed run

| Server | Scenario | Requests/s | Range | p50 ms | p99 ms | Server CPU µs/request | Non-2xx | Socket errors | RSS MiB | Other CPU % | Steal % |
|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|
$(summary_rows)

NANO against its peers round by round (their windows a few seconds apart); \`nano\` runs NANO's
default one event loop per CPU ($(nproc) here), \`nano-1loop\` one event loop, one JavaScript thread
like \`deno\` (\`deno serve\`); \`deno-parallel\` is \`deno serve --parallel\`, one thread per CPU like \`nano\`:

| Scenario | NANO | Peer | Median NANO/peer req/s | Rounds NANO ≥ peer req/s | Rounds NANO p99 ≤ peer p99 |
|---|---|---|---:|---:|---:|
$(paired_rows)
EOF
)"
mkdir -p bench/results
echo "$report" > bench/results/latest.md
echo "$report"
