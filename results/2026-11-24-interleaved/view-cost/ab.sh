#!/bin/bash
# usage: ab.sh rounds jarA jarB ...
rounds=$1; shift
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit -si false -wi 2 -w 1 -i 5 -r 2 -f 1 2>&1 | grep -E "submitWindow " | awk -v n=$n '{print n, "async", $1, $(NF-3)}'
  java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 8 -p strategy=group-commit -p journalMode=WAL -p synchronous=NORMAL -si false -wi 2 -w 1 -i 5 -r 2 -f 1 2>&1 | grep -E "insertOneRow " | awk -v n=$n '{print n, "t8N", $1, $(NF-3)}'
 done
done
