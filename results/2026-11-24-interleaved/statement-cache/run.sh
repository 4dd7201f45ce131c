#!/bin/bash
OLD=/tmp/jar-final.jar
NEW=/tmp/jar-cache.jar
O="-si false -wi 2 -w 1 -i 4 -r 2 -f 1 -rf json"
for round in 1 2; do
  java -Dbench.dir=/tmp/bench9 -jar $NEW GroupCommitReferenceAsync $O -rff ref-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench9 -jar $OLD AsyncSubmitters -p strategy=group-commit $O -rff old-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench9 -jar $NEW AsyncSubmitters -p strategy=group-commit $O -rff new-async-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench9 -jar $NEW "GroupCommitReference\\.insertOneRow" -t 32 -p synchronous=FULL $O -rff ref-t32-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench9 -jar $OLD ContendedWriteThroughput -t 32 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $O -rff old-t32-$round.json > /dev/null 2>&1
  java -Dbench.dir=/tmp/bench9 -jar $NEW ContendedWriteThroughput -t 32 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $O -rff new-t32-$round.json > /dev/null 2>&1
done
echo done
