#!/bin/bash
# immediate's latency before (A, previous commit) and after (B, the fair turn), interleaved;
# single-connection in the same runs as the throughput and latency reference.
A=/tmp/oldmain/benchmarks/target/benchmarks.jar
B=/work/main/benchmarks/target/benchmarks.jar
for v in A B; do
  jar=${!v}
  for t in 8 32; do
    java -Dbench.dir=/tmp/bench2 -jar $jar CommitLatency -t $t -p strategy=immediate,single-connection -si false -f 1 -rf json -rff lat-$v-t$t.json > lat-$v-t$t.log 2>&1
  done
  java -Dbench.dir=/tmp/bench2 -jar $jar ContendedWriteThroughput -t 32 -p strategy=immediate,single-connection -p journalMode=WAL -p synchronous=FULL -si false -wi 2 -w 1 -i 3 -r 2 -f 1 -rf json -rff thr-$v.json > thr-$v.log 2>&1
done
echo done
