#!/usr/bin/env bash
# Work orders on the real server (SQLite file), next to the echo of bench/run.sh, interleaved in one run:
#   echo      Grpc.AspNetCore echo in the product's host (PartnerExchange.Bench --mode grpc), h2load
#   get       GetWorkOrder on the real server holding ORDERS orders, h2load with the same load shape (one order's name)
#   get-rand  GetWorkOrder on random names of the ORDERS, with the .NET load client (a second view; not the target's figure)
#   create-C  CreateWorkOrder, C concurrent callers (.NET load client, a fresh request id per call)
#   raw       single-row SQLite commits, WAL + synchronous=FULL, one connection, same directory (disk) as the database
# then the sweeper's empty pass on a database of SWEEP_ORDERS orders.
# Usage: bash bench/workorders.sh
# Environment (defaults): RUNS=5 SECONDS_PER_RUN=10 ORDERS=100000 SWEEP_ORDERS=1000000 SWEEP_RUNS=1000
#   WARMUP_SECONDS=3 WARMUP_MAX_SECONDS=30   h2load warm-up chunks: until two agree within 7% (at least 4)
#   CLIENT_WARMUP_SECONDS=8     warm-up of each .NET-client run (not counted)
#   CREATE_CONCURRENCY="1 16"   callers per create run (each value is its own row)
#   RAW_SECONDS=5               length of a raw commit run
#   DB_DIR=bench/results/<stamp>/db   where the SQLite files live (the disk under test)
#   SKIP_SWEEP=1                leave out the 1,000,000-order sweep part
# Results go to bench/results/<UTC stamp>-workorders/ (git-ignored); the table is printed at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
RUNS=${RUNS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
WARMUP_MAX_SECONDS=${WARMUP_MAX_SECONDS:-30}
CLIENT_WARMUP_SECONDS=${CLIENT_WARMUP_SECONDS:-8}
ORDERS=${ORDERS:-100000}
SWEEP_ORDERS=${SWEEP_ORDERS:-1000000}
SWEEP_RUNS=${SWEEP_RUNS:-1000}
CREATE_CONCURRENCY=${CREATE_CONCURRENCY:-"1 16"}
RAW_SECONDS=${RAW_SECONDS:-5}
CONNECTIONS=16
STREAMS=32
PYTHON=/usr/bin/python3
ECHO_BIN="$BENCH_DIR/PartnerExchange.Bench/bin/Release/net10.0/PartnerExchange.Bench"
TOOL="$BENCH_DIR/PartnerExchange.WorkOrderBench/bin/Release/net10.0/PartnerExchange.WorkOrderBench"
SERVER_BIN="$REPO_DIR/src/PartnerExchange.Server/bin/Release/net10.0/PartnerExchange.Server"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH_DIR/results/$STAMP-workorders"
DB_DIR=${DB_DIR:-$OUT/db}
mkdir -p "$OUT" "$DB_DIR"
REQUEST_LOG_DIR=$(mktemp -d /dev/shm/partnerexchange-wo.XXXXXX)
SERVER_PID=""
PORT=""
WEB_PORT=""

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do
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

free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_echo() { # $1 = log file
    : >"$1"
    "$ECHO_BIN" --mode grpc --port 0 >"$1" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        PORT=$(awk '/^LISTENING /{print $2; exit}' "$1")
        [[ -n "$PORT" ]] && return 0
        sleep 0.1
    done
    cat "$1" >&2
    exit 1
}

start_product() { # $1 = database file, $2 = log file. Development: the demo clients load and tokens are signed with a development key.
    PORT=$(free_port)
    WEB_PORT=$(free_port)
    : >"$2"
    ASPNETCORE_ENVIRONMENT=Development "$SERVER_BIN" \
        "--ConnectionStrings:PartnerExchange=Data Source=$1" \
        "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$PORT" "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:$WEB_PORT" \
        --RateLimiting:PermitsPerMinute=1000000000 --RateLimiting:Burst=100000000 >"$2" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 600); do
        grep -q "is listening on http://127.0.0.1:$PORT" "$2" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the server did not start; its output:" >&2
    cat "$2" >&2
    exit 1
}

token() { "$TOOL" token --token-url "http://127.0.0.1:$WEB_PORT/connect/token" --client demo-carrier-desk --secret demo-secret-carrier-desk; }

h2load_call() { # $1 = path, $2 = request frame, $3 = token or "", then h2load arguments
    local path=$1 frame=$2 bearer=$3
    shift 3
    local auth=()
    [[ -z "$bearer" ]] || auth=(-H "authorization: Bearer $bearer")
    h2load -c "$CONNECTIONS" -m "$STREAMS" -t 1 -H 'content-type: application/grpc' -H 'te: trailers' "${auth[@]}" \
        -d "$frame" "$@" "http://127.0.0.1:$PORT$path"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

h2load_measured() { # $1 = run name, $2 = path, $3 = frame, $4 = token, $5 = expected DATA bytes per response ("" = the frame's size)
    local run=$1 path=$2 frame=$3 bearer=$4 bytes=${5:-$3} output rate previous=0 elapsed=0 chunks=0 rates="" n before after
    # Warm up in WARMUP_SECONDS chunks until two successive chunks agree within 7% (at least 4 chunks, at most
    # WARMUP_MAX_SECONDS), as bench/run.sh does: .NET's tiered JIT needs 10-20 s of load here, and a server still on
    # tier-0 code spends three times the CPU per GetWorkOrder.
    while (( elapsed < WARMUP_MAX_SECONDS )); do
        output=$(h2load_call "$path" "$frame" "$bearer" -D "$WARMUP_SECONDS")
        rate=$(awk '/^finished in/{gsub(",", "", $4); print $4}' <<<"$output")
        rates="$rates $rate"
        elapsed=$((elapsed + WARMUP_SECONDS))
        chunks=$((chunks + 1))
        if (( chunks >= 4 )) && awk -v a="$previous" -v b="$rate" 'BEGIN { exit !(a > 0 && b > 0.93 * a && b < 1.07 * a) }'; then
            break
        fi
        previous=$rate
    done
    n=$(awk -v r="$rate" -v s="$SECONDS_PER_RUN" 'BEGIN { n = int(r * s / 1000) * 1000; if (n < 2000) n = 2000; print n }')
    before=$(cpu_ticks)
    h2load_call "$path" "$frame" "$bearer" -n "$n" --log-file="$REQUEST_LOG_DIR/$run.tsv" >"$OUT/$run.h2load.txt"
    after=$(cpu_ticks)
    "$PYTHON" "$BENCH_DIR/python/h2load_stats.py" run "$OUT/$run.h2load.txt" "$REQUEST_LOG_DIR/$run.tsv" "$bytes" \
        "$(awk '/^VmHWM:/{print $2}' "/proc/$SERVER_PID/status")" "$((after - before))" "$(getconf CLK_TCK)" \
        "$(cut -d' ' -f1 /proc/loadavg)" "" >"$OUT/$run.json"
    rm -f "$REQUEST_LOG_DIR/$run.tsv"
    log "$run: $("$PYTHON" "$BENCH_DIR/python/h2load_stats.py" line "$OUT/$run.json") (warm-up req/s:$rates)"
}

tool_load() { # $1 = run name, then load arguments
    local run=$1
    shift
    "$TOOL" load --target "http://127.0.0.1:$PORT" --seconds "$SECONDS_PER_RUN" "$@" >"$OUT/$run.json"
    "$PYTHON" -c 'import json, sys; r = json.load(open(sys.argv[1])); r["loadavg_1min_after"] = float(sys.argv[2]); json.dump(r, open(sys.argv[1], "w"))' \
        "$OUT/$run.json" "$(cut -d' ' -f1 /proc/loadavg)"
    log "$run: $(cat "$OUT/$run.json")"
}

log "building (Release)"
{
    dotnet build -c Release "$BENCH_DIR/PartnerExchange.Bench/PartnerExchange.Bench.csproj" -v quiet -nologo
    dotnet build -c Release "$BENCH_DIR/PartnerExchange.WorkOrderBench/PartnerExchange.WorkOrderBench.csproj" -v quiet -nologo
} >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
"$PYTHON" "$BENCH_DIR/python/echo_client.py" frame "$OUT/echo-request.bin"

{
    echo "date_utc=$STAMP"
    echo "cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
    echo "nproc=$(nproc)"
    echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "dotnet=$(dotnet --version)"
    echo "h2load=$(h2load --version | head -1)"
    echo "db_dir=$DB_DIR filesystem=$(df --output=source,fstype "$DB_DIR" | tail -1 | tr -s ' ')"
    echo "orders=$ORDERS sweep_orders=$SWEEP_ORDERS runs=$RUNS seconds_per_run=$SECONDS_PER_RUN warmup_chunk_seconds=$WARMUP_SECONDS warmup_max_seconds=$WARMUP_MAX_SECONDS client_warmup_seconds=$CLIENT_WARMUP_SECONDS create_concurrency=$CREATE_CONCURRENCY connections=$CONNECTIONS streams=$STREAMS"
    echo "commit=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- || echo '-dirty')"
} >"$OUT/machine.txt"

# The template: a fresh database, migrated and seeded by the server, with one order created through the API.
log "creating the template order through the API"
start_product "$DB_DIR/template.db" "$OUT/template.server.log"
"$TOOL" load --target "http://127.0.0.1:$PORT" --method create --token "$(token)" --once 1
stop_server
"$TOOL" pragmas --db "$DB_DIR/template.db" | tee "$OUT/pragmas.txt" >&2

log "seeding $ORDERS orders (with outbox events, audit entries and idempotency records)"
cp "$DB_DIR/template.db" "$DB_DIR/orders.pristine.db"
"$TOOL" seed --db "$DB_DIR/orders.pristine.db" --count "$ORDERS" --history 1 | tee "$OUT/seed.txt" >&2
GET_ID=$((ORDERS / 2))
# GetWorkOrderRequest { name = "workOrders/GET_ID" } in a gRPC frame.
"$PYTHON" -c 'import struct, sys; name = b"workOrders/" + sys.argv[1].encode(); m = b"\x0a" + bytes([len(name)]) + name; open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(m)) + m)' \
    "$GET_ID" "$OUT/get-request.bin"

for round in $(seq "$RUNS"); do
    start_echo "$OUT/echo-$round.server.log"
    h2load_measured "echo-$round" /partnerexchange.bench.Echo/Echo "$OUT/echo-request.bin" ""
    stop_server

    cp "$DB_DIR/orders.pristine.db" "$DB_DIR/orders.db"
    rm -f "$DB_DIR/orders.db-wal" "$DB_DIR/orders.db-shm"
    start_product "$DB_DIR/orders.db" "$OUT/product-$round.server.log"
    bearer=$(token)
    # The DATA bytes of one GetWorkOrder answer, for h2load's check that every call carried the whole order.
    bytes=$(h2load_call /partnerexchange.v1.WorkOrderService/GetWorkOrder "$OUT/get-request.bin" "$bearer" -n 1 -c 1 -m 1 | sed -n 's/.*(\([0-9]*\)) data.*/\1/p')
    [[ "$bytes" -gt 100 ]] || { echo "GetWorkOrder answered $bytes bytes: not an order" >&2; exit 1; }
    h2load_measured "get-$round" /partnerexchange.v1.WorkOrderService/GetWorkOrder "$OUT/get-request.bin" "$bearer" "$bytes"
    tool_load "get-rand-$round" --method get --token "$bearer" --max-id "$ORDERS" --connections 4 --concurrency 64 --warmup "$CLIENT_WARMUP_SECONDS"
    for c in $CREATE_CONCURRENCY; do
        tool_load "create-$c-$round" --method create --token "$bearer" --connections 1 --concurrency "$c" --warmup "$CLIENT_WARMUP_SECONDS"
    done
    stop_server

    "$TOOL" raw-commits --db "$DB_DIR/raw.db" --seconds "$RAW_SECONDS" >"$OUT/raw-$round.json"
    log "raw-$round: $(cat "$OUT/raw-$round.json")"
done

if [[ "${SKIP_SWEEP:-0}" != 1 ]]; then
    log "seeding $SWEEP_ORDERS orders for the sweep"
    cp "$DB_DIR/template.db" "$DB_DIR/sweep.db"
    "$TOOL" seed --db "$DB_DIR/sweep.db" --count "$SWEEP_ORDERS" | tee "$OUT/sweep-seed.txt" >&2
    "$TOOL" sweep --db "$DB_DIR/sweep.db" --runs "$SWEEP_RUNS" | tee "$OUT/sweep.txt" >&2
fi

echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
"$PYTHON" "$BENCH_DIR/python/workorder_table.py" "$OUT" "$CREATE_CONCURRENCY" | tee "$OUT/table.md"
log "results in $OUT"
