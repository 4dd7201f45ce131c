#!/usr/bin/env python3
"""Issue 25's table from FrameworkTransactions JSON files: per pass, synchronous mode, threads and
workload, each DataSource's committed transactions per second, failures, p99.9, and the ratios of
group-commit-data-source to the other two in the same run."""
import json
import re
import sys
from collections import defaultdict

GROUP, IMMEDIATE, HIKARI = "group-commit-data-source", "immediate-data-source", "hikari-pool"
cells = defaultdict(dict)
for path in sys.argv[1:]:
    run = re.search(r"pass(\d+)-", path).group(1)
    for result in json.load(open(path)):
        p = result["params"]
        key = (p["synchronous"], result["threads"], p["workload"], run)
        ds = p["dataSource"]
        cell = cells[key].setdefault(ds, {})
        secondary = result["primaryMetric"] if False else result["secondaryMetrics"]
        if result["benchmark"].endswith(".transaction"):
            cell["tps"] = secondary["committed"]["score"]
            cell["failed"] = (
                secondary["busyFailures"]["score"] + secondary["otherFailures"]["score"]
            )
        else:
            cell["p999"] = result["primaryMetric"]["scorePercentiles"]["99.9"] / 1000.0


def fmt(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


print("| sync | threads | workload | pass | group tx/s | immediate tx/s | hikari tx/s |"
      " hikari failed/s | group / immediate | group / hikari | p99.9 ms group | immediate |"
      " hikari |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for key in sorted(cells, key=lambda k: (k[0], k[1], k[2], k[3])):
    sync, threads, workload, run = key
    c = cells[key]
    g, i, h = c.get(GROUP, {}), c.get(IMMEDIATE, {}), c.get(HIKARI, {})

    def ratio(a, b):
        return None if not a.get("tps") or not b.get("tps") else a["tps"] / b["tps"]

    print(f"| {sync} | {threads} | {workload} | {run} | {fmt(g.get('tps'))} | {fmt(i.get('tps'))} |"
          f" {fmt(h.get('tps'))} | {fmt(h.get('failed'))} | {fmt(ratio(g, i), 2)}x |"
          f" {fmt(ratio(g, h), 2)}x | {fmt(g.get('p999'), 1)} | {fmt(i.get('p999'), 1)} |"
          f" {fmt(h.get('p999'), 1)} |")
    if g.get("failed") or i.get("failed"):
        print(f"|  | failures: group {fmt(g.get('failed'), 1)}/s, immediate"
              f" {fmt(i.get('failed'), 1)}/s |")
