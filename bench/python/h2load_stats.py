"""Reads h2load results for bench/run.sh.

  h2load_stats.py run H2LOAD_OUTPUT REQUEST_LOG REQUEST_FRAME VMHWM_KB CPU_TICKS CLK_TCK LOADAVG ALLOC_PER_REQUEST
      prints one run as JSON; exits 1 unless every request succeeded and every response carried the echoed frame
      (REQUEST_FRAME may instead be a number: the DATA bytes of one response, for calls other than the echo)
  h2load_stats.py line RUN_JSON
      prints one run on one line
  h2load_stats.py table RESULTS_DIR SERVER...
      prints the markdown table: per server the median of the runs (peak memory: the largest of the runs)
"""
import glob
import json
import os
import re
import statistics
import sys

LABELS = {
    "bare": "(a) bare Kestrel HTTP/2 (ceiling)",
    "grpc": "(b) Grpc.AspNetCore (product host)",
    "node": "(c) @grpc/grpc-js",
    "python": "(d) grpcio (Python, 32 workers)",
}


def label(server):
    """The table's name for a server; grpc+NAME=VALUE+... is (b) with those host settings changed."""
    if server.startswith("grpc+"):
        return "(b) Grpc.AspNetCore, " + ", ".join(server[len("grpc+"):].split("+"))
    return LABELS.get(server, server)


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def parse_run(h2load_path, log_path, frame_path, vmhwm_kb, cpu_ticks, clk_tck, loadavg):
    text = open(h2load_path, encoding="utf-8").read()
    finished = re.search(r"finished in ([\d.]+)(m?s), ([\d.]+) req/s", text)
    requests = re.search(
        r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout",
        text)
    traffic = re.search(r"\((\d+)\) data", text)
    if not (finished and requests and traffic):
        raise SystemExit(f"{h2load_path}: unexpected h2load output")
    total, _, done, succeeded, failed, errored, timeout = (int(g) for g in requests.groups())
    data_bytes = int(traffic.group(1))
    # The echo passes its request frame (echoed back whole); other calls pass the byte count of one response.
    frame_bytes = int(frame_path) if frame_path.isdigit() else os.path.getsize(frame_path)

    problems = []
    if not (done == succeeded == total and failed == errored == timeout == 0):
        problems.append(f"requests: {total} total, {succeeded} succeeded, {failed} failed, {errored} errored, "
                        f"{timeout} timeout")
    if data_bytes != total * frame_bytes:
        problems.append(f"response data {data_bytes} bytes, expected {total} x {frame_bytes}")

    durations = []
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            _, status, micros = line.split("\t")
            if status != "200":
                problems.append(f"HTTP status {status} in request log")
                break
            durations.append(int(micros))
    durations.sort()
    if len(durations) != total:
        problems.append(f"request log has {len(durations)} lines, expected {total}")
    if problems:
        print(f"{h2load_path}: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)

    cpu_seconds = cpu_ticks / clk_tck
    return {
        "requests": total,
        "seconds": float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1),
        "rps": float(finished.group(3)),
        "p50_ms": percentile(durations, 0.50) / 1000,
        "p99_ms": percentile(durations, 0.99) / 1000,
        "max_ms": durations[-1] / 1000,
        "vmhwm_mib": vmhwm_kb / 1024,
        "server_cpu_us_per_request": cpu_seconds * 1e6 / total,
        "server_cpu_cores": cpu_seconds / (float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1)),
        "loadavg_1min_after": loadavg,
    }


def table(results_dir, servers):
    rows = {}
    for server in servers:
        runs = [json.load(open(path)) for path in sorted(glob.glob(os.path.join(results_dir, f"{server}-[0-9]*.json")))]
        if not runs:
            continue
        rows[server] = {
            "runs": len(runs),
            "rps": statistics.median(r["rps"] for r in runs),
            "rps_all": [r["rps"] for r in runs],
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "vmhwm_mib": max(r["vmhwm_mib"] for r in runs),
            "cpu_us": statistics.median(r["server_cpu_us_per_request"] for r in runs),
            "cores": statistics.median(r["server_cpu_cores"] for r in runs),
            "alloc": (statistics.median(r["allocated_bytes_per_request"] for r in runs)
                      if all(r.get("allocated_bytes_per_request") is not None for r in runs) else None),
        }
    bare = rows.get("bare", {}).get("rps")
    lines = [
        "| server | req/s (median) | runs (req/s) | vs (a) | p50 ms | p99 ms | peak RSS MiB | server CPU µs/req | server cores busy | .NET alloc B/req |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for server, row in rows.items():
        ratio = f"{row['rps'] / bare:.0%}" if bare else "n/a"
        runs = ", ".join(f"{v:.0f}" for v in row["rps_all"])
        lines.append(f"| {label(server)} | {row['rps']:.0f} | {runs} | {ratio} | {row['p50_ms']:.2f} | "
                     f"{row['p99_ms']:.2f} | {row['vmhwm_mib']:.0f} | {row['cpu_us']:.1f} | {row['cores']:.2f} | "
                     f"{'n/a' if row['alloc'] is None else round(row['alloc'])} |")
    print("\n".join(lines))
    if "grpc" in rows and bare:
        grpc = rows["grpc"]["rps"]
        verdicts = [f"(b)/(a) = {grpc / bare:.1%} (target >= 75%: {'met' if grpc >= 0.75 * bare else 'MISSED'})"]
        for other in ("node", "python"):
            if other in rows:
                ahead = grpc > rows[other]["rps"]
                verdicts.append(f"(b) vs {LABELS[other][:3]} = {grpc / rows[other]['rps']:.2f}x ({'ahead' if ahead else 'BEHIND'})")
        print()
        print("; ".join(verdicts))


def main():
    if sys.argv[1] == "run":
        h2load_path, log_path, frame_path, vmhwm_kb, ticks, clk_tck, loadavg, allocated = sys.argv[2:10]
        run = parse_run(h2load_path, log_path, frame_path, int(vmhwm_kb), int(ticks), int(clk_tck), float(loadavg))
        run["allocated_bytes_per_request"] = int(allocated) if allocated else None
        print(json.dumps(run, indent=1))
        return 0
    if sys.argv[1] == "line":
        r = json.load(open(sys.argv[2]))
        print(f"{r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, peak RSS {r['vmhwm_mib']:.0f} MiB, "
              f"server {r['server_cpu_cores']:.2f} cores, load {r['loadavg_1min_after']}")
        return 0
    if sys.argv[1] == "table":
        table(sys.argv[2], sys.argv[3:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
