#!/bin/bash
# usage: ab.sh rounds jar...   prints: round jar cell benchmark score
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit $F 2>&1 | grep -E "submitWindow " | awk -v n=$n -v r=$r '{print r, n, "async", $1, $(NF-3)}'
  for s in NORMAL FULL; do
   java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 8 -p strategy=group-commit -p journalMode=WAL -p synchronous=$s $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v c=t8$s -v r=$r '{print r, n, c, $1, $(NF-3)}'
  done
 done
done
