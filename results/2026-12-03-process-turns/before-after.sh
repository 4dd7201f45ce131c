#!/bin/bash
# Before (a benchmarks.jar built at a919872, before turns) and after (this commit's, turns on),
# interleaved A B A B, 4 processes x 8 threads, each product strategy, WAL + FULL and DELETE +
# NORMAL. Usage, from the repository root: before-after.sh BEFORE_JAR AFTER_JAR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
before=$1 after=$2
cells=(-p strategy=group-commit,immediate,serialized-writer -p processes=4 -p threadsPerProcess=8
  -w 3s -r 15s -si false)
for round in 1 2; do
  for mode in "WAL FULL" "DELETE NORMAL"; do
    set -- $mode
    java -jar "$before" SeveralProcesses "${cells[@]}" -p journalMode=$1 -p synchronous=$2 \
      -rf json -rff "$here/ba-before-$1-round$round.json" > /dev/null
    java -jar "$after" SeveralProcesses "${cells[@]}" -p journalMode=$1 -p synchronous=$2 \
      -p turns=on -rf json -rff "$here/ba-after-$1-round$round.json" > /dev/null
  done
done
python3 "$here/table.py" "$here"/ba-*.json
