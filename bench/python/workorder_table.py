"""Prints the work-order table of bench/workorders.sh: per row the median of the runs, and the ratios to the echo
and to the raw commit rate (the ratio of the medians and the median of each round's own ratio).

  workorder_table.py RESULTS_DIR "CREATE_CONCURRENCY"
"""
import glob
import json
import os
import re
import statistics
import sys


def runs(results_dir, name):
    found = []
    for path in glob.glob(os.path.join(results_dir, f"{name}-[0-9]*.json")):
        round_no = int(re.search(r"-(\d+)\.json$", path).group(1))
        run = json.load(open(path))
        run["rate"] = run.get("rps", run.get("commits_per_second"))
        found.append((round_no, run))
    return dict(sorted(found))


def main():
    results_dir, concurrency = sys.argv[1], sys.argv[2].split()
    echo, raw = runs(results_dir, "echo"), runs(results_dir, "raw")
    rows = [("echo", "Grpc.AspNetCore echo, product host (h2load 16x32)", echo, None),
            ("get", "GetWorkOrder, one order's name (h2load 16x32)", runs(results_dir, "get"), echo),
            ("get-rand", "GetWorkOrder, random names (.NET client 4x64)", runs(results_dir, "get-rand"), echo)]
    rows += [(f"create-{c}", f"CreateWorkOrder, {c} caller(s) (.NET client)", runs(results_dir, f"create-{c}"), raw)
             for c in concurrency]
    rows.append(("raw", "raw single-row commit, WAL + synchronous=FULL", raw, None))
    print("| what | req/s (median) | runs | p50 ms | p99 ms | vs | ratio of medians | median of round ratios | server CPU µs/req | load (1 min) |")
    print("| --- | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |")
    for key, label, found, base in rows:
        if not found:
            continue
        rates = [r["rate"] for r in found.values()]
        median = statistics.median(rates)
        ratio = paired = "" if base is None else None
        against = ""
        if base:
            against = "echo" if base is echo else "raw"
            ratio = f"{median / statistics.median(r['rate'] for r in base.values()):.1%}"
            pairs = [found[k]["rate"] / base[k]["rate"] for k in found if k in base]
            paired = f"{statistics.median(pairs):.1%}" if pairs else "n/a"
        cpu = [r["server_cpu_us_per_request"] for r in found.values() if "server_cpu_us_per_request" in r]
        loads = [r["loadavg_1min_after"] for r in found.values() if "loadavg_1min_after" in r]
        cells = [label, f"{median:.0f}", ", ".join(f"{v:.0f}" for v in rates),
                 f"{statistics.median(r['p50_ms'] for r in found.values()):.2f}",
                 f"{statistics.median(r['p99_ms'] for r in found.values()):.2f}",
                 against, ratio, paired,
                 f"{statistics.median(cpu):.1f}" if cpu else "",
                 f"{min(loads):.1f}-{max(loads):.1f}" if loads else ""]
        print("| " + " | ".join(cells) + " |")

if __name__ == "__main__":
    main()
