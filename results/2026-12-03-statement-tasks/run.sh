#!/bin/bash
# Statement tasks (issue 26) against lambda tasks and the limits, each round one JMH run per shape,
# so every ratio comes from one state of the machine; rounds repeat it (the machine drifts).
# usage: run.sh rounds [jar]   prints JMH's result lines, prefixed with the round
rounds=$1
jar=${2:-benchmarks/target/benchmarks.jar}
F="-wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq "$rounds"); do
  java -jar "$jar" 'AsyncStatementSubmitters|AsyncSubmitters|GroupCommitReferenceAsync|Limits.executeBatch' \
    -p strategy=group-commit -p journalMode=WAL -p synchronous=NORMAL,FULL $F 2>&1 |
    grep -E "submitWindow |executeBatch1000RowsPerTransaction " | sed "s/^/$r async /"
  java -jar "$jar" 'ContendedStatementWrites|ContendedWriteThroughput.insertOneRow$' -t 64 \
    -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 |
    grep -E "insertOneRow " | sed "s/^/$r t64 /"
  java -jar "$jar" 'ContendedStatementWrites|ContendedWriteThroughput.insertOneRow$' -t 32 -bm sample \
    -tu us -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL $F 2>&1 |
    grep -E "insertOneRow(:p0.50|:p0.99|:p0.999) " | sed "s/^/$r t32-latency /"
done
