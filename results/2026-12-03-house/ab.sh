#!/bin/bash
# Interleaved before/after run for the package split (issue 23): A B A B.
# usage: ab.sh rounds jar...   prints: round jar cell benchmark score(ops/s)
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $(dirname $(dirname $(dirname $jar))))
  java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit $F 2>&1 | grep -E "submitWindow " | awk -v n=$n -v r=$r '{print r, n, "async-WAL-NORMAL", $1, $(NF-3)}'
  java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 32 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v r=$r '{print r, n, "t32-WAL-FULL", $1, $(NF-3)}'
 done
done
