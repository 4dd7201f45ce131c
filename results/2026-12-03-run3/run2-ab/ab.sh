#!/bin/bash
# Run 2's benchmarks.jar (880303c) against run 3's (6a3c226), interleaved A B per round, on the
# cells whose ratio inside the run moved most between the two runs: group-commit, single-connection
# and the bare reference at 32 threads under WAL + NORMAL, and ImmediateDataSource against the
# HikariCP pool (one-INSERT JdbcTemplate transactions) at 32 threads under WAL + FULL.
# Usage: ab.sh RUN2_JAR RUN3_JAR ROUNDS OUT_DIR
set -euo pipefail
old=$1 new=$2 rounds=$3 out=$4
mkdir -p "$out"
timing=(-f 1 -wi 2 -w 1 -i 3 -r 2 -si false)
cells() { # jar label round framework-method framework-extra-params
  local jar=$1 label=$2 round=$3 method=$4
  shift 4
  java -jar "$jar" ContendedWriteThroughput -t 32 -p strategy=group-commit,single-connection \
    -p journalMode=WAL -p synchronous=NORMAL "${timing[@]}" \
    -rf json -rff "$out/$label-r$round-contended.json" > /dev/null
  java -jar "$jar" GroupCommitReference -t 32 -p journalMode=WAL -p synchronous=NORMAL \
    "${timing[@]}" -rf json -rff "$out/$label-r$round-reference.json" > /dev/null
  java -jar "$jar" "FrameworkTransactions.$method\$" -t 32 \
    -p dataSource=immediate-data-source,hikari-pool -p journalMode=WAL -p synchronous=FULL "$@" \
    "${timing[@]}" -rf json -rff "$out/$label-r$round-framework.json" > /dev/null
}
for round in $(seq 1 "$rounds"); do
  echo "round $round: run 2's jar, $(date -u +%T)"
  cells "$old" run2 "$round" insertOneRow
  echo "round $round: run 3's jar, $(date -u +%T)"
  cells "$new" run3 "$round" transaction -p workload=insert
done
