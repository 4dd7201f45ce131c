#!/bin/bash
# One process, turns on against off, interleaved: does taking turns cost a process that writes
# alone? Three rounds; in each, JMH runs on then off for every cell. Run from the repository root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for round in 1 2 3; do
  java -jar benchmarks/target/benchmarks.jar SeveralProcesses -p strategy=group-commit,immediate \
    -p processes=1 -p threadsPerProcess=8,32 -p turns=on,off -p journalMode=WAL \
    -p synchronous=FULL -w 3s -r 10s -si false -rf json -rff "$here/ab-WAL-$round.json" > /dev/null
  java -jar benchmarks/target/benchmarks.jar SeveralProcesses -p strategy=group-commit \
    -p processes=1 -p threadsPerProcess=8 -p turns=on,off -p journalMode=DELETE \
    -p synchronous=NORMAL -w 3s -r 10s -si false -rf json -rff "$here/ab-DELETE-$round.json" > /dev/null
done
for round in 1 2 3; do
  echo "round $round"
  python3 "$here/table.py" "$here/ab-WAL-$round.json" "$here/ab-DELETE-$round.json"
done
