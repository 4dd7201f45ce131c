#!/bin/bash
# Issue 25's figures: FrameworkTransactions with group-commit-data-source, immediate-data-source
# and hikari-pool in one JMH run per thread count and synchronous mode, the whole plan run twice
# (pass 1, pass 2) so that each ratio is seen in two runs minutes apart. Each cell runs the
# throughput method (`transaction`, the committed counter) and the latency method
# (`transactionLatency`, JMH's sample mode: p0.999 is the p99.9). Run from the repository root
# after `mvn -B -ntp package -DskipTests`; writes pass*-*.json here and prints the table
# (table.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=benchmarks/target/benchmarks.jar
for pass in 1 2; do
  for sync in FULL NORMAL; do
    for threads in 8 32 64; do
      java -jar $jar FrameworkTransactions -t $threads -p synchronous=$sync -si false \
        -rf json -rff "$here/pass$pass-$sync-t$threads.json"
    done
  done
done
python3 "$here/table.py" "$here"/pass*.json
