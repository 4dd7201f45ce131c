#!/bin/bash
# usage: final.sh rounds jar...
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit $F 2>&1 | grep -E "submitWindow " | awk -v n=$n -v r=$r '{print r, n, "async", $1, $3, $(NF-3)}'
  for t in 8 32; do for s in NORMAL FULL; do
   java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t $t -p strategy=group-commit,single-connection -p journalMode=WAL -p synchronous=$s $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v c=t$t$s -v r=$r '{print r, n, c, $1, $3, $(NF-3)}'
  done; done
  java -jar $jar 'ContendedWriteThroughput.insertOneRow' -t 64 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -r=$r -v r=$r '{print r, n, "t64FULL", $1, $3, $(NF-3)}'
 done
done
