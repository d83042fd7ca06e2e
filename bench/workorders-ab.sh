#!/usr/bin/env bash
# CreateWorkOrder A/B: two server builds on copies of one seeded database, interleaved per round, with the raw commit
# rate measured in the same rounds. For a product change to the write path: build the old commit's server into a
# directory, then run this on the new one.
# Usage: BEFORE_BIN=path/to/old/PartnerExchange.Server PRISTINE_DB=path/to/orders.pristine.db bash bench/workorders-ab.sh
# Environment (defaults): RUNS=5 SECONDS_PER_RUN=8 CLIENT_WARMUP_SECONDS=8 CREATE_CONCURRENCY="1 16" RAW_SECONDS=5
#   AFTER_BIN   the new server (src/PartnerExchange.Server/bin/Release/net10.0/PartnerExchange.Server, built Release)
#   PRISTINE_DB a database seeded by bench/workorders.sh (its db/orders.pristine.db)
# Results go to bench/results/<UTC stamp>-create-ab/; the table is printed at the end.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
RUNS=${RUNS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
CLIENT_WARMUP_SECONDS=${CLIENT_WARMUP_SECONDS:-8}
CREATE_CONCURRENCY=${CREATE_CONCURRENCY:-"1 16"}
RAW_SECONDS=${RAW_SECONDS:-5}
BEFORE_BIN=${BEFORE_BIN:?the old server build}
AFTER_BIN=${AFTER_BIN:-$REPO_DIR/src/PartnerExchange.Server/bin/Release/net10.0/PartnerExchange.Server}
PRISTINE_DB=${PRISTINE_DB:?a seeded database}
TOOL="$BENCH_DIR/PartnerExchange.WorkOrderBench/bin/Release/net10.0/PartnerExchange.WorkOrderBench"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)-create-ab"
DB_DIR=$(dirname "$PRISTINE_DB")
mkdir -p "$OUT"
SERVER_PID=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT/machine.txt"
for round in $(seq "$RUNS"); do
    for variant in before after; do
        bin=$BEFORE_BIN
        [[ $variant == after ]] && bin=$AFTER_BIN
        cp "$PRISTINE_DB" "$DB_DIR/ab.db"
        rm -f "$DB_DIR/ab.db-wal" "$DB_DIR/ab.db-shm"
        port=$(free_port)
        web=$(free_port)
        ASPNETCORE_ENVIRONMENT=Development "$bin" "--ConnectionStrings:PartnerExchange=Data Source=$DB_DIR/ab.db" \
            "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$port" "--Kestrel:Endpoints:Web:Url=http://127.0.0.1:$web" \
            --RateLimiting:PermitsPerMinute=1000000000 --RateLimiting:Burst=100000000 >"$OUT/$variant-$round.server.log" 2>&1 &
        SERVER_PID=$!
        for _ in $(seq 600); do grep -q "is listening on http://127.0.0.1:$port" "$OUT/$variant-$round.server.log" && break; sleep 0.1; done
        bearer=$("$TOOL" token --token-url "http://127.0.0.1:$web/connect/token" --client demo-carrier-desk --secret demo-secret-carrier-desk)
        for c in $CREATE_CONCURRENCY; do
            "$TOOL" load --target "http://127.0.0.1:$port" --method create --token "$bearer" --connections 1 --concurrency "$c" \
                --warmup "$CLIENT_WARMUP_SECONDS" --seconds "$SECONDS_PER_RUN" >"$OUT/create-$c-$variant-$round.json"
            log "create-$c-$variant-$round: $(cat "$OUT/create-$c-$variant-$round.json")"
        done
        stop_server
    done
    "$TOOL" raw-commits --db "$DB_DIR/raw.db" --seconds "$RAW_SECONDS" >"$OUT/raw-$round.json"
    log "raw-$round: $(cat "$OUT/raw-$round.json")"
done
echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

python3 - "$OUT" "$CREATE_CONCURRENCY" <<'PY' | tee "$OUT/table.md"
import glob, json, os, statistics, sys
out, levels = sys.argv[1], sys.argv[2].split()
def load(pattern):
    return {int(p.rsplit("-", 1)[1][:-5]): json.load(open(p)) for p in glob.glob(os.path.join(out, pattern))}
raw = load("raw-*.json")
raw_rates = {k: v["commits_per_second"] for k, v in raw.items()}
print("| what | req/s (median) | runs | p50 ms | p99 ms | vs raw (ratio of medians) | vs raw (median of round ratios) |")
print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
for c in levels:
    for variant in ("before", "after"):
        runs = load(f"create-{c}-{variant}-*.json")
        rates = [runs[k]["rps"] for k in sorted(runs)]
        pairs = [runs[k]["rps"] / raw_rates[k] for k in runs if k in raw_rates]
        print(f"| CreateWorkOrder, {c} caller(s), {variant} | {statistics.median(rates):.0f} | {', '.join(f'{r:.0f}' for r in rates)} | "
              f"{statistics.median(r['p50_ms'] for r in runs.values()):.2f} | {statistics.median(r['p99_ms'] for r in runs.values()):.2f} | "
              f"{statistics.median(rates) / statistics.median(raw_rates.values()):.1%} | {statistics.median(pairs):.1%} |")
rates = [raw_rates[k] for k in sorted(raw_rates)]
print(f"| raw single-row commit, WAL + FULL | {statistics.median(rates):.0f} | {', '.join(f'{r:.0f}' for r in rates)} | "
      f"{statistics.median(r['p50_ms'] for r in raw.values()):.2f} | {statistics.median(r['p99_ms'] for r in raw.values()):.2f} | | |")
PY
