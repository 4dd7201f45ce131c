#!/bin/bash
# Interleaved rounds: the previous commit's jar (A) and this change's jar (B), same cells.
A=/tmp/oldmain/benchmarks/target/benchmarks.jar
B=/work/main/benchmarks/target/benchmarks.jar
for round in 1 2 3; do
  for v in A B; do
    jar=${!v}
    java -Dbench.dir=/tmp/bench -jar $jar AsyncSubmitters -p strategy=group-commit -si false -wi 2 -w 1 -i 3 -r 2 -f 1 -rf json -rff async-$v-$round.json > async-$v-$round.log 2>&1
    java -Dbench.dir=/tmp/bench -jar $jar ContendedWriteThroughput -t 32 -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL -si false -wi 2 -w 1 -i 3 -r 2 -f 1 -rf json -rff t32-$v-$round.json > t32-$v-$round.log 2>&1
  done
done
echo done
