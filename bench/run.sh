#!/usr/bin/env bash
# Unary echo over h2c, loaded with h2load: (a) bare Kestrel HTTP/2, (b) Grpc.AspNetCore in the product's host
# configuration, (c) @grpc/grpc-js, (d) grpcio.
# Usage: bash bench/run.sh
# Environment (defaults): RUNS=3 SECONDS_PER_RUN=10 WARMUP_SECONDS=3 WARMUP_MAX_SECONDS=30 SERVERS="bare grpc node python"
#   A server grpc+NAME=VALUE[+NAME=VALUE...] is (b) with host settings changed, for A/B runs next to grpc, e.g.
#   SERVERS="bare grpc grpc+hosting-logs=off" (settings: PartnerExchange.Bench/GrpcHostSettings.cs)
#   BENCH_NICE=N   run servers and h2load under `nice -n N` (e.g. -5 as root on a busy shared machine); unset = as is
#   KEEP_REQUEST_LOGS=1   keep h2load's per-request logs (about 30 bytes a request)
# Results go to bench/results/<UTC stamp>/ (git-ignored); the markdown table is printed at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
WARMUP_MAX_SECONDS=${WARMUP_MAX_SECONDS:-30}
SERVERS=${SERVERS:-"bare grpc node python"}
CONNECTIONS=16
STREAMS=32
PYTHON=/usr/bin/python3 # Debian's python3-grpcio and python3-grpc-tools belong to this interpreter, not to pyenv's.
PYTHON_WORKERS=32
DOTNET_BIN="$BENCH_DIR/PartnerExchange.Bench/bin/Release/net10.0/PartnerExchange.Bench"
URL_PATH=/partnerexchange.bench.Echo/Echo
NICE=()
[[ -z "${BENCH_NICE:-}" ]] || NICE=(nice -n "$BENCH_NICE")

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH_DIR/results/$STAMP"
mkdir -p "$OUT"

# h2load writes its per-request log with one write(2) per request; on tmpfs that costs it about half as much as on disk.
REQUEST_LOG_DIR=$(mktemp -d /dev/shm/partnerexchange-bench.XXXXXX)
SERVER_PID=""
PORT=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    stop_server
    rm -rf "$REQUEST_LOG_DIR"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

start_server() { # $1 = server name, $2 = log file; sets SERVER_PID and PORT
    local name=$1 logfile=$2
    : >"$logfile" # exists before the background job's own redirection, so the wait loop can read it at once
    case "$name" in
        bare) "${NICE[@]}" "$DOTNET_BIN" --mode bare --port 0 >"$logfile" 2>&1 & ;;
        grpc) "${NICE[@]}" "$DOTNET_BIN" --mode grpc --port 0 >"$logfile" 2>&1 & ;;
        grpc+*)
            local setting parts settings=()
            IFS=+ read -ra parts <<<"${name#grpc+}"
            for setting in "${parts[@]}"; do settings+=("--${setting%%=*}" "${setting#*=}"); done
            "${NICE[@]}" "$DOTNET_BIN" --mode grpc --port 0 "${settings[@]}" >"$logfile" 2>&1 & ;;
        node) "${NICE[@]}" node "$BENCH_DIR/node/echo_server.js" --port 0 >"$logfile" 2>&1 & ;;
        python) "${NICE[@]}" "$PYTHON" "$BENCH_DIR/python/echo_server.py" --port 0 --workers "$PYTHON_WORKERS" >"$logfile" 2>&1 & ;;
        *) echo "unknown server $name" >&2; exit 2 ;;
    esac
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 300); do
        PORT=$(awk '/^LISTENING /{print $2; exit}' "$logfile")
        [[ -n "$PORT" ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "server $name did not start; its output:" >&2
    cat "$logfile" >&2
    exit 1
}

h2load_run() { # $1.. = extra h2load arguments (-n N or -D S, --log-file)
    "${NICE[@]}" h2load "$@" -c "$CONNECTIONS" -m "$STREAMS" -t 1 \
        -H 'content-type: application/grpc' -H 'te: trailers' \
        -d "$OUT/request.bin" "http://127.0.0.1:$PORT$URL_PATH"
}

warm_up() { # $1 = file for the warm-up rates. Loads in WARMUP_SECONDS chunks until two successive chunks agree within 7%
    # (at least 4 chunks, at most WARMUP_MAX_SECONDS): .NET's tiered JIT needs 10-20 s of load on a busy 2-core machine,
    # and a rate that still climbs 10% a chunk is not settled yet.
    local rates=$1 previous=0 rate elapsed=0 chunks=0 output
    : >"$rates"
    WARM_DONE=0
    while (( elapsed < WARMUP_MAX_SECONDS )); do
        output=$(h2load_run -D "$WARMUP_SECONDS")
        rate=$(awk '/^finished in/{gsub(",", "", $4); print $4}' <<<"$output")
        WARM_DONE=$((WARM_DONE + $(awk '/^requests:/{print $6}' <<<"$output")))
        echo "$rate" >>"$rates"
        elapsed=$((elapsed + WARMUP_SECONDS))
        chunks=$((chunks + 1))
        if (( chunks >= 4 )) && awk -v a="$previous" -v b="$rate" 'BEGIN { exit !(a > 0 && b > 0.93 * a && b < 1.07 * a) }'; then
            break
        fi
        previous=$rate
    done
    WARM_RATE=$rate
}

cpu_ticks() { # user + system clock ticks of the server process (all threads)
    awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"
}

log "building (Release)"
dotnet build -c Release "$BENCH_DIR/PartnerExchange.Bench/PartnerExchange.Bench.csproj" -v quiet -nologo >"$OUT/build.log" 2>&1 \
    || { cat "$OUT/build.log" >&2; exit 1; }
if [[ ! -d "$BENCH_DIR/node/node_modules/@grpc/grpc-js" ]]; then
    log "installing node packages (npm ci)"
    (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund >"$OUT/npm.log" 2>&1) || { cat "$OUT/npm.log" >&2; exit 1; }
fi
"$PYTHON" "$BENCH_DIR/python/echo_client.py" frame "$OUT/request.bin"

{
    echo "date_utc=$STAMP"
    echo "cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
    echo "nproc=$(nproc)"
    echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel=$(uname -r)"
    echo "dotnet=$(dotnet --version)"
    echo "grpc_aspnetcore=$(sed -n 's/.*Include="Grpc.AspNetCore" Version="\([^"]*\)".*/\1/p' "$REPO_DIR/Directory.Packages.props")"
    echo "node=$(node --version)"
    echo "grpc_js=$(node -p "require('$BENCH_DIR/node/node_modules/@grpc/grpc-js/package.json').version")"
    echo "grpcio=$("$PYTHON" -c 'import grpc; print(grpc.__version__)')"
    echo "h2load=$(h2load --version | head -1)"
    echo "connections=$CONNECTIONS streams=$STREAMS threads=1 seconds_per_run=$SECONDS_PER_RUN warmup_chunk_seconds=$WARMUP_SECONDS warmup_max_seconds=$WARMUP_MAX_SECONDS runs=$RUNS python_workers=$PYTHON_WORKERS nice=${BENCH_NICE:-none}"
    echo "commit=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- || echo '-dirty')"
} >"$OUT/machine.txt"

# Calibration: start each server, check one call with grpcio, warm up, and size N from the last warm-up chunk's rate
# so that a measured run takes about SECONDS_PER_RUN.
declare -A REQUESTS
for server in $SERVERS; do
    start_server "$server" "$OUT/$server-calibrate.server.log"
    "$PYTHON" "$BENCH_DIR/python/echo_client.py" check "$PORT" >/dev/null \
        || { echo "$server: the grpcio check call failed" >&2; exit 1; }
    warm_up "$OUT/$server-calibrate.warmup.txt"
    rate=$WARM_RATE
    REQUESTS[$server]=$(awk -v r="$rate" -v s="$SECONDS_PER_RUN" 'BEGIN { n = int(r * s / 1000) * 1000; if (n < 5000) n = 5000; print n }')
    log "$server: checked, calibrated at $rate req/s -> n=${REQUESTS[$server]}"
    stop_server
done

# Measured runs, interleaved: a b c d, a b c d, ... Each run is a fresh server process, checked and warmed up first.
for round in $(seq "$RUNS"); do
    for server in $SERVERS; do
        run="$server-$round"
        start_server "$server" "$OUT/$run.server.log"
        "$PYTHON" "$BENCH_DIR/python/echo_client.py" check "$PORT" >/dev/null \
            || { echo "$run: the grpcio check call failed" >&2; exit 1; }
        warm_up "$OUT/$run.warmup.txt"
        ticks_before=$(cpu_ticks)
        h2load_run -n "${REQUESTS[$server]}" --log-file="$REQUEST_LOG_DIR/$run.tsv" >"$OUT/$run.h2load.txt"
        ticks_after=$(cpu_ticks)
        load_after=$(cut -d' ' -f1 /proc/loadavg)
        hwm_kb=$(awk '/^VmHWM:/{print $2}' "/proc/$SERVER_PID/status")
        stop_server
        # The .NET servers print the bytes they allocated over their life; per request over all they served.
        allocated=$(sed -n 's/^GC allocated=\([0-9]*\).*/\1/p' "$OUT/$run.server.log")
        served=$((WARM_DONE + REQUESTS[$server] + 1))
        "$PYTHON" "$BENCH_DIR/python/h2load_stats.py" run "$OUT/$run.h2load.txt" "$REQUEST_LOG_DIR/$run.tsv" \
            "$OUT/request.bin" "$hwm_kb" "$((ticks_after - ticks_before))" "$(getconf CLK_TCK)" "$load_after" \
            "${allocated:+$((allocated / served))}" >"$OUT/$run.json"
        if [[ "${KEEP_REQUEST_LOGS:-0}" == 1 ]]; then
            mv "$REQUEST_LOG_DIR/$run.tsv" "$OUT/$run.requests.tsv"
        else
            rm -f "$REQUEST_LOG_DIR/$run.tsv"
        fi
        log "$run: $("$PYTHON" "$BENCH_DIR/python/h2load_stats.py" line "$OUT/$run.json") (warm-up req/s: $(paste -sd' ' "$OUT/$run.warmup.txt"))"
    done
done

echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
"$PYTHON" "$BENCH_DIR/python/h2load_stats.py" table "$OUT" $SERVERS | tee "$OUT/table.md"
log "results in $OUT"
