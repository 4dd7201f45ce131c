#!/bin/bash
B=/work/main/benchmarks/target/benchmarks.jar
for round in 1 2 3; do
  java -Dbench.dir=/tmp/bench2 -jar $B ContendedWriteThroughput -t 32 -p strategy=immediate,single-connection -p journalMode=WAL -p synchronous=FULL -si false -wi 2 -w 1 -i 5 -r 2 -f 1 -rf json -rff thr2-$round.json > thr2-$round.log 2>&1
done
echo done
