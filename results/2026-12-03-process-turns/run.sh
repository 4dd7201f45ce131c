#!/bin/bash
# Issue 24's before/after: SeveralProcesses with turns on and off in one run, beside the
# one-process figures, under WAL + FULL and DELETE + NORMAL. 15 s iterations (the full Sweep's
# are 30 s). Run from the repository root after `mvn -B -ntp package -DskipTests`; writes
# part-*.json here and prints the table (table.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=benchmarks/target/benchmarks.jar
timing=(-w 3s -r 15s -si false)
for mode in "WAL FULL" "DELETE NORMAL"; do
  set -- $mode
  jm=$1 sync=$2
  common=(-p journalMode=$jm -p synchronous=$sync "${timing[@]}")
  java -jar $jar SeveralProcesses -p strategy=group-commit,immediate,serialized-writer \
    -p processes=2,4 -p threadsPerProcess=8 -p turns=on,off "${common[@]}" \
    -rf json -rff "$here/part-$jm-x8.json"
  java -jar $jar SeveralProcesses -p strategy=group-commit,immediate,serialized-writer \
    -p processes=4 -p threadsPerProcess=4 -p turns=on,off "${common[@]}" \
    -rf json -rff "$here/part-$jm-4x4.json"
  java -jar $jar SeveralProcesses -p strategy=group-commit,immediate,serialized-writer \
    -p processes=1 -p threadsPerProcess=8 -p turns=on,off "${common[@]}" \
    -rf json -rff "$here/part-$jm-1x8.json"
done
java -jar $jar SeveralProcesses -p strategy=mixed -p processes=4 -p threadsPerProcess=4 \
  -p turns=on,off -p journalMode=WAL -p synchronous=FULL "${timing[@]}" \
  -rf json -rff "$here/part-mixed.json"
java -jar $jar SeveralProcesses -p strategy=immediate -p processes=1 -p threadsPerProcess=32 \
  -p turns=on,off -p journalMode=WAL -p synchronous=FULL "${timing[@]}" \
  -rf json -rff "$here/part-immediate-1x32.json"
python3 "$here/table.py" "$here"/part-*.json
