#!/bin/bash
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in 1 2; do
 for v in none x.nofilecheck x.nolinger; do
  java -jar /tmp/s3/probe.jar 'ContendedWriteThroughput.insertOneRow|GroupCommitReference.insertOneRow' -t 8 -p strategy=group-commit -p journalMode=WAL -p synchronous=NORMAL $F -jvmArgsAppend "-D$v=true" 2>&1 | grep -E "insertOneRow " | awk -v n=$v -v r=$r '{print r, n, $1, $(NF-3)}'
 done
done
