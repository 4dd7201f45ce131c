#!/bin/bash
# Before (previous published code path: the issue-11 jar) vs after (this session's end) vs the
# bare reference, same cells, interleaved rounds.
OLD=/tmp/jar-issue11.jar
NEW=/tmp/jar-final.jar
O="-si false -wi 2 -w 1 -i 4 -r 2 -f 1 -rf json"
for round in 1 2; do
  for cell in "8 NORMAL" "8 FULL" "32 FULL" "64 FULL"; do
    set -- $cell
    java -Dbench.dir=/tmp/bench7 -jar $NEW "GroupCommitReference\\.insertOneRow" -t $1 -p synchronous=$2 $O -rff ref-t$1-$2-$round.json > /dev/null 2>&1
    java -Dbench.dir=/tmp/bench7 -jar $OLD ContendedWriteThroughput -t $1 -p strategy=group-commit -p journalMode=WAL -p synchronous=$2 $O -rff old-t$1-$2-$round.json > /dev/null 2>&1
    java -Dbench.dir=/tmp/bench7 -jar $NEW ContendedWriteThroughput -t $1 -p strategy=group-commit,single-connection -p journalMode=WAL -p synchronous=$2 $O -rff new-t$1-$2-$round.json > /dev/null 2>&1
  done
  java -Dbench.dir=/tmp/bench7 -jar $NEW GroupCommitReferenceAsync $O -rff ref-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench7 -jar $OLD AsyncSubmitters -p strategy=group-commit $O -rff old-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench7 -jar $NEW AsyncSubmitters -p strategy=group-commit $O -rff new-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench7 -jar $NEW Limits -p journalMode=WAL -p synchronous=NORMAL $O -rff limits-$round.json > /dev/null 2>&1
done
echo done
