#!/bin/bash
J=/tmp/jar-exp2.jar
O="-si false -wi 2 -w 1 -i 4 -r 2 -f 1 -rf json"
for round in 1 2; do
  for sync in NORMAL FULL; do
    for t in 8 32; do
      java -Dbench.dir=/tmp/bench6 -jar $J ContendedWriteThroughput -t $t -p strategy=group-commit -p journalMode=WAL -p synchronous=$sync $O -rff park-$sync-t$t-$round.json > /dev/null 2>&1
      java -Dbench.dir=/tmp/bench6 -jar $J ContendedWriteThroughput -t $t -p strategy=group-commit -p journalMode=WAL -p synchronous=$sync $O -jvmArgsAppend -Dsw.spinlinger=true -rff spin-$sync-t$t-$round.json > /dev/null 2>&1
      java -Dbench.dir=/tmp/bench6 -jar $J ContendedWriteThroughput -t $t -p strategy=group-commit -p journalMode=WAL -p synchronous=$sync $O -jvmArgsAppend -Dsw.nolinger=true -rff off-$sync-t$t-$round.json > /dev/null 2>&1
      java -Dbench.dir=/tmp/bench6 -jar $J "GroupCommitReference\\.insertOneRow" -t $t -p synchronous=$sync $O -rff ref-$sync-t$t-$round.json > /dev/null 2>&1
    done
  done
done
echo done
