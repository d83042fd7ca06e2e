#!/usr/bin/env bash
# Monthly settlement at scale (issue 9, "Scale"): AssessPeriod + ClosePeriod of one month of 1,000,000 work orders over
# 1,000 SIs on SQLite, against one hand-written query in the sqlite3 CLI on the same file in the same run.
# See bench/README.md, "Monthly settlement at scale". Knobs: RUNS=3, ORDERS=1000000, SIS=1000, PORT=5710 (and PORT+1),
# WORK=/tmp/px-settlement-bench (the base database is kept there and reused; REGENERATE=1 builds it again),
# SERVERS="product" (A/B: "before=/dir/of/another/build product"; each round runs every server on a fresh copy, interleaved).
set -euo pipefail

RUNS=${RUNS:-3}
ORDERS=${ORDERS:-1000000}
SIS=${SIS:-1000}
PORT=${PORT:-5710}
WORK=${WORK:-/tmp/px-settlement-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/settlement-$STAMP"
SERVERS=${SERVERS:-product}
PRODUCT_DIR="$ROOT/src/PartnerExchange.Server/bin/Release/net10.0"
SERVER_DIR="$PRODUCT_DIR"
BENCH="$ROOT/bench/Settlement/PartnerExchange.SettlementBench/bin/Release/net10.0/PartnerExchange.SettlementBench.dll"
BASE="$WORK/base-$ORDERS-$SIS.db"
GRPC="http://127.0.0.1:$PORT"
WEB="http://127.0.0.1:$((PORT + 1))"
mkdir -p "$OUT" "$WORK"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI (apt-get install -y sqlite3)" >&2; exit 1; }

SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT INT TERM

# start_server DB CLOCK LOG: the real server (Release build) on DB with the sandbox clock at CLOCK.
start_server() {
    ( cd "$SERVER_DIR" && exec env ASPNETCORE_ENVIRONMENT=Development dotnet PartnerExchange.Server.dll \
        --ConnectionStrings:PartnerExchange="Data Source=$1" --Sandbox:Clock="$2" \
        --Kestrel:Endpoints:Grpc:Url="$GRPC" --Kestrel:Endpoints:Web:Url="$WEB" --Identity:Issuer="$WEB/" \
        --RateLimiting:PermitsPerMinute=100000 --RateLimiting:Burst=10000 ) >"$3" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        curl -s -o /dev/null "$WEB/healthz" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; see $3" >&2; tail -5 "$3" >&2; exit 1; }
        sleep 0.5
    done
    echo "server did not answer /healthz; see $3" >&2; exit 1
}

# time_query DB OUT: "wall user+system" seconds of the sqlite3 CLI running bench/Settlement/month.sql (result to OUT).
time_query() {
    /usr/bin/time -f '%e %U %S' -o "$2.time" sqlite3 -header -separator ' ' "$1" <"$ROOT/bench/Settlement/month.sql" >"$2"
    awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$2.time"
}

echo "building (Release)"
dotnet build "$ROOT/src/PartnerExchange.Server" -c Release -v q -nologo >"$OUT/build.log" 2>&1
dotnet build "$ROOT/bench/Settlement/PartnerExchange.SettlementBench" -c Release -v q -nologo >>"$OUT/build.log" 2>&1

if [[ ! -f "$BASE" || -n "${REGENERATE:-}" ]]; then
    echo "generating $BASE: migrations and seeds, samples through the API, then $ORDERS orders over $SIS SIs"
    rm -f "$BASE" "$BASE-wal" "$BASE-shm"
    start_server "$BASE" "2026-10-15T09:00:00+08:00" "$OUT/server-sample.log"
    dotnet "$BENCH" sample --grpc "$GRPC" --web "$WEB" | tee "$OUT/sample.txt"
    stop_server
    dotnet "$BENCH" generate --db "$BASE" --orders "$ORDERS" --sis "$SIS" | tee "$OUT/generate.txt"
fi

{
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD) ($(git -C "$ROOT" rev-parse --abbrev-ref HEAD))"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
    echo "memory: $(free -m | awk '/Mem:/ {print $2 " MiB total, " $7 " MiB available"}')"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
    echo "dotnet: $(dotnet --version)"
    echo "database: $BASE, $(du -m "$BASE" | cut -f1) MiB"
} | tee "$OUT/machine.txt"

printf 'run\tserver\tsql_s\tsql_cpu_s\tassess_s\tclose_s\ttotal_s\tratio\tcpu_ratio\tpeak_rss_mib\tserver_cpu_s\tload1\tresult\n' >"$OUT/runs.tsv"
first=""
for run in $(seq "$RUNS"); do
    for server in $SERVERS; do
        label=${server%%=*}
        SERVER_DIR=${server#*=}
        [[ "$server" == *=* ]] || SERVER_DIR="$PRODUCT_DIR"
        db="$WORK/run.db"
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$BASE" "$db"
        # The hand-written query on the same fresh copy just before the server (the page cache is as warm for both).
        read -r sql sql_cpu < <(time_query "$db" "$OUT/sql-$run-$label.txt")
        first=${first:-$OUT/sql-$run-$label.txt}
        cmp -s "$first" "$OUT/sql-$run-$label.txt" || { echo "the hand-written query's result differs between runs" >&2; exit 1; }
        start_server "$db" "2026-11-05T09:00:00+08:00" "$OUT/server-$run-$label.log"
        ticks=$(getconf CLK_TCK)
        cpu0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
        result=$(dotnet "$BENCH" run --grpc "$GRPC" --web "$WEB")
        cpu1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
        rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
        stop_server
        field() { echo "$result" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
        total=$(field total_s)
        cpu=$(echo "scale=2; ($cpu1 - $cpu0) / $ticks" | bc)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\t%s\t%s\n' "$run" "$label" "$sql" "$sql_cpu" "$(field assess_s)" "$(field close_s)" "$total" \
            "$(echo "$total / $sql" | bc -l)" "$(echo "$cpu / $sql_cpu" | bc -l)" "$rss" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)" "$result" | tee -a "$OUT/runs.tsv"
    done
done
cp "$first" "$OUT/sql-result.txt"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

python3 - "$OUT/runs.tsv" <<'EOF' | tee "$OUT/table.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
servers = list(dict.fromkeys(r["server"] for r in rows))
keys = [("assess_s", "AssessPeriod s"), ("close_s", "ClosePeriod s"), ("total_s", "**AssessPeriod + ClosePeriod s**"),
        ("sql_s", "sqlite3 CLI, one query, s"), ("ratio", "**(Assess + Close) / sqlite3 (wall)**"),
        ("server_cpu_s", "server CPU (user + system) over the two calls s"), ("sql_cpu_s", "sqlite3 CPU (user + system) s"),
        ("cpu_ratio", "server CPU / sqlite3 CPU"), ("peak_rss_mib", "**server peak RSS (VmHWM) MiB**"), ("load1", "load average (1 min) after the call")]
for server in servers:
    mine = [r for r in rows if r["server"] == server]
    print(f"\n{server}: median of {len(mine)} runs\n")
    print("| | median | runs |")
    print("| --- | ---: | --- |")
    for key, label in keys:
        print(f"| {label} | {statistics.median(float(r[key]) for r in mine):g} | {', '.join(r[key] for r in mine)} |")
    print(f"| server peak RSS, largest run MiB | {max(float(r['peak_rss_mib']) for r in mine):g} | |")
EOF
echo "results in $OUT"
