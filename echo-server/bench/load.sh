#!/usr/bin/env bash
# Load test: the echo server against a plain net/http "ok" server
# (okserver/) with the same timeouts and header limit, both driven by wrk on
# loopback. Prints, for each, requests per second and server CPU time per
# request (utime+stime from /proc/PID/stat), then the echo/net/http ratios,
# then the size of the static release binary.
#
#   bash echo-server/bench/load.sh
#   DURATION=30s ROUNDS=5 bash echo-server/bench/load.sh
#
# Settings (environment): DURATION (10s) of each measured run, WARMUP (2s)
# of the unmeasured run before it, ROUNDS (3) of measuring both servers, in
# alternating order, CONNECTIONS (50), THREADS (2).
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}

module=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
pids=()

cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
	echo "installing wrk" >&2
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq wrk >/dev/null
fi

echo "building in $module" >&2
(cd "$module" && go build -trimpath -o "$work/echo-server" . && go build -trimpath -o "$work/okserver" ./bench/okserver)

# start NAME ARGS...: starts a server on a free loopback port; sets $pid and
# $addr from the address it logs.
start() {
	local name=$1
	shift
	"$@" 2>"$work/$name.log" &
	pid=$!
	pids+=("$pid")
	addr=""
	for _ in $(seq 100); do
		addr=$(grep -Eo '127\.0\.0\.1:[0-9]+' "$work/$name.log" | head -n 1 || true)
		if [ -n "$addr" ]; then return; fi
		sleep 0.1
	done
	echo "$name did not start:" >&2
	cat "$work/$name.log" >&2
	exit 1
}

# cpu_ticks PID: user+system CPU time of the process, in clock ticks.
cpu_ticks() {
	local stat fields
	stat=$(cat "/proc/$1/stat")
	# Fields after the command name, which may contain spaces: state is the
	# 3rd field of the file, utime the 14th and stime the 15th.
	read -r -a fields <<<"${stat##*) }"
	echo $((fields[11] + fields[12]))
}

# Both servers get the same http.Server settings: the echo server's defaults,
# given explicitly so that the baseline cannot drift from them.
settings=(-read-header-timeout 5s -read-timeout 15s -write-timeout 15s -idle-timeout 60s -max-header-bytes 65536)
start base "$work/okserver" -listen 127.0.0.1:0 "${settings[@]}"
base_pid=$pid base_addr=$addr
start echo "$work/echo-server" -listen 127.0.0.1:0 "${settings[@]}"
echo_pid=$pid echo_addr=$addr

declare -A requests=([base]=0 [echo]=0) seconds=([base]=0 [echo]=0) ticks=([base]=0 [echo]=0)

# measure NAME PID ADDR: one warm-up run, then one measured run.
measure() {
	local name=$1 pid=$2 addr=$3 before after out
	wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "http://$addr/" >/dev/null
	before=$(cpu_ticks "$pid")
	out=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" "http://$addr/")
	after=$(cpu_ticks "$pid")
	if grep -Eq 'Non-2xx|Socket errors' <<<"$out"; then
		echo "$name: wrk reported errors:" >&2
		echo "$out" >&2
		exit 1
	fi
	# "  123456 requests in 10.00s, 12.34MB read"
	read -r n s < <(awk '/ requests in / { sub(/s,$/, "", $4); print $1, $4 }' <<<"$out")
	requests[$name]=$((requests[$name] + n))
	seconds[$name]=$(awk -v a="${seconds[$name]}" -v b="$s" 'BEGIN { print a + b }')
	ticks[$name]=$((ticks[$name] + after - before))
	echo "  round $round $name: $n requests in ${s}s, $((after - before)) CPU ticks" >&2
}

echo "wrk -t $THREADS -c $CONNECTIONS -d $DURATION, $ROUNDS rounds, on $(nproc) cores" >&2
for round in $(seq "$ROUNDS"); do
	if ((round % 2)); then
		measure base "$base_pid" "$base_addr"
		measure echo "$echo_pid" "$echo_addr"
	else
		measure echo "$echo_pid" "$echo_addr"
		measure base "$base_pid" "$base_addr"
	fi
done

hz=$(getconf CLK_TCK)
# figures NAME: requests/s and CPU microseconds per request.
figures() {
	awk -v n="${requests[$1]}" -v s="${seconds[$1]}" -v t="${ticks[$1]}" -v hz="$hz" \
		'BEGIN { printf "%.0f %.2f\n", n / s, t / hz * 1e6 / n }'
}
read -r base_rps base_cpu < <(figures base)
read -r echo_rps echo_cpu < <(figures echo)

printf '%-9s %12s %18s\n' server 'requests/s' 'CPU us/request'
printf '%-9s %12s %18s\n' net/http "$base_rps" "$base_cpu"
printf '%-9s %12s %18s\n' echo "$echo_rps" "$echo_cpu"
awk -v er="$echo_rps" -v br="$base_rps" -v ec="$echo_cpu" -v bc="$base_cpu" 'BEGIN {
	r = er / br; c = ec / bc
	printf "echo/net/http requests/s:      %.3f (target >= 0.95: %s)\n", r, (r >= 0.95 ? "met" : "missed")
	printf "echo/net/http CPU per request: %.3f (target <= 1.06: %s)\n", c, (c <= 1.06 ? "met" : "missed")
}'

(cd "$module" && CGO_ENABLED=0 go build -trimpath \
	-ldflags "-s -w -X main.version=bench -X main.commit=unknown -X main.date=unknown" \
	-o "$work/echo-server-static" .)
size=$(stat -c %s "$work/echo-server-static")
awk -v b="$size" 'BEGIN {
	m = b / 1048576
	printf "static binary (CGO_ENABLED=0, -trimpath, -s -w): %d bytes = %.2f MiB (target <= 6.5 MiB: %s)\n", b, m, (m <= 6.5 ? "met" : "missed")
}'
