#!/usr/bin/env bash
# Client-thread affinity experiment: why a server with two event loops has a longer p99 than a
# one-thread server in bench/run.sh on a 2-core machine, where wrk shares the cores.
#
# Usage: bench/affinity.sh HOST SHARED-URL URL-A URL-B [rounds]   (default 3 rounds)
#   SHARED-URL  one server with two threads (NANO's default, or deno serve --parallel)
#   URL-A/B     two one-thread servers (NANO with one event loop, or deno serve), same app
# Each round measures two 10 s windows, both with two wrk clients of one thread and 25
# connections each (50 connections in all, as in bench/run.sh):
#   shared   both clients load the shared server: each client's connections are spread over
#            both of its threads, so every client thread waits on both server threads;
#   paired   client 1 loads server A, client 2 server B: each client thread has one partner.
# It prints each client's req/s and latency percentiles. The servers must be running and warm.
set -euo pipefail

[ $# -ge 4 ] || { sed -n '4,6p' "$0" >&2; exit 2; }
host="$1" shared="$2" url_a="$3" url_b="$4" rounds="${5:-3}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

tmp="$(mktemp -d /tmp/nano-affinity.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/percentiles.lua" <<'EOF'
done = function(summary, latency, requests)
  local row = string.format("%6.0f req/s", summary.requests / (summary.duration / 1e6))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    row = row .. string.format("  p%s %5.2f ms", p, latency:percentile(p) / 1000)
  end
  io.write(row, "\n")
end
EOF

client() { wrk -t1 -c25 -d10s -s "$tmp/percentiles.lua" -H "Host: $host" "$1" | tail -n 1; }

for round in $(seq "$rounds"); do
  client "$shared" > "$tmp/1" & client "$shared" > "$tmp/2"; wait
  echo "round $round shared  client 1: $(cat "$tmp/1")"
  echo "round $round shared  client 2: $(cat "$tmp/2")"
  client "$url_a" > "$tmp/1" & client "$url_b" > "$tmp/2"; wait
  echo "round $round paired  client 1: $(cat "$tmp/1")"
  echo "round $round paired  client 2: $(cat "$tmp/2")"
done
