#!/bin/bash
# usage: final.sh rounds jar...   prints: round jar cell benchmark strategy score
# group-commit and the bare reference in one JMH run per cell; single-connection beside them at
# 32 threads WAL+FULL; 64 threads WAL+FULL alone (absolute rate).
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit $F 2>&1 | grep -E "submitWindow " | awk -v n=$n -v r=$r '{print r, n, "async", $1, "group-commit", $(NF-3)}'
  for t in 8 32; do for s in NORMAL FULL; do
   st=group-commit; [ $t = 32 ] && [ $s = FULL ] && st=group-commit,single-connection
   java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t $t -p strategy=$st -p journalMode=WAL -p synchronous=$s $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v c=t$t$s -v r=$r '{s=($1 ~ /Reference/) ? "reference" : $3; print r, n, c, $1, s, $(NF-3)}'
  done; done
  java -jar $jar 'ContendedWriteThroughput.insertOneRow' -t 64 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v r=$r '{print r, n, "t64FULL", $1, $3, $(NF-3)}'
 done
done
