#!/bin/bash
rounds=$1; shift
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for jar in "$@"; do
  n=$(basename $jar .jar)
  for c in 8:NORMAL 8:FULL 32:NORMAL 32:FULL 64:FULL; do t=${c%%:*}; s=${c##*:}
   java -jar $jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t $t -p strategy=group-commit -p journalMode=WAL -p synchronous=$s $F 2>&1 | grep -E "insertOneRow " | awk -v n=$n -v c=t$t$s -v r=$r '{print r, n, c, $1, $3, $(NF-3)}'
  done
 done
done
