#!/usr/bin/env bash
# Monthly settlement at scale (issue 9, "Scale"): AssessPeriod + ClosePeriod of one month of 1,000,000 work orders over
# 1,000 SIs on SQLite, against one hand-written query in the sqlite3 CLI on the same file in the same run.
# See bench/README.md, "Monthly settlement at scale". Knobs: RUNS=3, ORDERS=1000000, SIS=1000, PORT=5710 (and PORT+1),
# WORK=/tmp/px-settlement-bench (the base database is kept there and reused; REGENERATE=1 builds it again).
set -euo pipefail

RUNS=${RUNS:-3}
ORDERS=${ORDERS:-1000000}
SIS=${SIS:-1000}
PORT=${PORT:-5710}
WORK=${WORK:-/tmp/px-settlement-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/settlement-$STAMP"
SERVER_DIR="$ROOT/src/PartnerExchange.Server/bin/Release/net10.0"
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

# time_query DB: seconds the sqlite3 CLI takes for bench/Settlement/month.sql (its result goes to the run's folder).
time_query() {
    local start end
    start=$(date +%s.%N)
    sqlite3 -header -separator ' ' "$1" <"$ROOT/bench/Settlement/month.sql" >"$2"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
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

printf 'run\tsql_before_s\tassess_s\tclose_s\ttotal_s\tsql_after_s\tratio\tpeak_rss_mib\tserver_cpu_s\tload1\tresult\n' >"$OUT/runs.tsv"
for run in $(seq "$RUNS"); do
    db="$WORK/run.db"
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$BASE" "$db"
    # The hand-written query before and after the server, on the same file (the page cache warm for both).
    sql_before=$(time_query "$db" "$OUT/sql-$run-before.txt")
    start_server "$db" "2026-11-05T09:00:00+08:00" "$OUT/server-$run.log"
    ticks=$(getconf CLK_TCK)
    cpu0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    result=$(dotnet "$BENCH" run --grpc "$GRPC" --web "$WEB")
    cpu1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
    rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
    stop_server
    sql_after=$(time_query "$db" "$OUT/sql-$run-after.txt")
    cmp -s "$OUT/sql-$run-before.txt" "$OUT/sql-$run-after.txt" || { echo "the hand-written query's result changed" >&2; exit 1; }
    assess=$(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["assess_s"])')
    close=$(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["close_s"])')
    total=$(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_s"])')
    sql=$(printf '%s\n%s\n' "$sql_before" "$sql_after" | sort -g | head -1)
    ratio=$(echo "scale=2; $total / $sql" | bc)
    cpu=$(echo "scale=2; ($cpu1 - $cpu0) / $ticks" | bc)
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%s\t%.2f\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\n' "$run" "$sql_before" "$assess" "$close" "$total" "$sql_after" "$ratio" "$rss" "$cpu" "$load" "$result" \
        | tee -a "$OUT/runs.tsv"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
cp "$OUT/sql-1-before.txt" "$OUT/sql-result.txt"

python3 - "$OUT/runs.tsv" <<'EOF' | tee "$OUT/table.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = lambda k: statistics.median(float(r[k]) for r in rows)
print("| | median | runs |")
print("| --- | ---: | --- |")
for key, label in [("assess_s", "AssessPeriod s"), ("close_s", "ClosePeriod s"), ("total_s", "AssessPeriod + ClosePeriod s"),
                   ("sql_before_s", "sqlite3 CLI, one query, before the server s"), ("sql_after_s", "sqlite3 CLI, the same query, after s"),
                   ("ratio", "(Assess + Close) / faster sqlite3 run"), ("peak_rss_mib", "server peak RSS (VmHWM) MiB"),
                   ("server_cpu_s", "server CPU (user + system) over the two calls s"), ("load1", "load average (1 min) after the run")]:
    print(f"| {label} | {med(key):g} | {', '.join(r[key] for r in rows)} |")
print(f"| peak RSS, largest run MiB | {max(float(r['peak_rss_mib']) for r in rows):g} | |")
EOF
echo "results in $OUT"
