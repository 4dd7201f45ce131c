#!/bin/bash
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 32 -p strategy=group-commit,single-connection -p journalMode=WAL -p synchronous=FULL $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v r=$r '{print r, n, "t32FULL", $1, $3, $(NF-3)}'
  java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 64 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v r=$r '{print r, n, "t64FULL", $1, $3, $(NF-3)}'
 done
done
