"""Prints SeveralProcesses results (JMH JSON files) as one table: turns on, off, and "before"
(a benchmarks.jar built before turns existed, which has no turns parameter). A file whose name
holds "-round" adds a round number to the row, for interleaved runs."""
import json
import sys

rows = {}
for name in sys.argv[1:]:
    for b in json.load(open(name)):
        p, s = b["params"], b["secondaryMetrics"]
        key = (p["journalMode"] + " " + p["synchronous"], p["strategy"],
               p["processes"] + " x " + p["threadsPerProcess"])
        label = p.get("turns", "before")
        if "-round" in name:
            label += " (round " + name.split("-round")[1].split(".")[0] + ")"
        rows.setdefault(key, {})[label] = {
            k: s[k]["score"] for k in
            ("committed", "slowestProcessPercent", "p999Micros", "longestWaitMillis",
             "busyFailures", "otherFailures")}

print("| mode | strategy | processes x threads | turns | writes/s | slowest process, % of average"
      " | p99.9 | longest wait | failures |")
print("|---|---|---|---|---|---|---|---|---|")
for key in sorted(rows):
    for turns in sorted(rows[key], key=lambda t: ({"before": 0, "off": 1, "on": 2}[t.split()[0]], t)):
        r = rows[key][turns]
        print("| %s | %s | %s | %s | %.0f | %.0f %% | %.1f ms | %.0f ms | %.0f |" % (
            key[0], key[1], key[2], turns, r["committed"], r["slowestProcessPercent"],
            r["p999Micros"] / 1000, r["longestWaitMillis"],
            r["busyFailures"] + r["otherFailures"]))
