#!/bin/bash
# The last build against the bare reference (now reading keys on request too), same runs.
J=/tmp/jar-last.jar
O="-si false -wi 2 -w 1 -i 4 -r 2 -f 1 -rf json"
for round in 1 2; do
  java -Dbench.dir=/tmp/bench10 -jar $J GroupCommitReferenceAsync $O -rff ref-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench10 -jar $J AsyncSubmitters -p strategy=group-commit $O -rff gc-async-$round.json > /dev/null 2>&1
  for cell in "8 NORMAL" "32 FULL"; do
    set -- $cell
    java -Dbench.dir=/tmp/bench10 -jar $J "GroupCommitReference\\.insertOneRow" -t $1 -p synchronous=$2 $O -rff ref-t$1-$2-$round.json > /dev/null 2>&1
    java -Dbench.dir=/tmp/bench10 -jar $J ContendedWriteThroughput -t $1 -p strategy=group-commit -p journalMode=WAL -p synchronous=$2 $O -rff gc-t$1-$2-$round.json > /dev/null 2>&1
  done
done
java -Dbench.dir=/tmp/bench10 -jar $J Limits -p journalMode=WAL -p synchronous=NORMAL $O -rff limits.json > /dev/null 2>&1
echo done
