#!/bin/bash
B=/work/main/benchmarks/target/benchmarks.jar
for round in 1 2; do
  for s in single-connection immediate; do
  java -Dbench.dir=/tmp/bench2 -jar $B ContendedWriteThroughput -t 32 -p strategy=$s -p journalMode=WAL -p synchronous=FULL -si false -wi 2 -w 1 -i 5 -r 2 -f 1 -rf json -rff thr4-$round-$s.json > thr4-$round-$s.log 2>&1
  done
done
echo done
