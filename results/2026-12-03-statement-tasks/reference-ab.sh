#!/bin/bash
# usage: results/2026-12-03-statement-tasks/reference-ab.sh rounds [threads]
# Per round and mode, in the order L R S S R L, so that drift falls on both sides:
#   L = Limits.executeBatch1000RowsPerTransaction (one thread, 1,000 rows per transaction)
#   R = GroupCommitReferenceAsync.submitWindowAsOneBatch (the bare group commit, each batch one
#       executeBatch, callers submitting windows of 256 rows and waiting for them)
#   S = AsyncStatementSubmitters (group-commit, statement tasks, the same callers)
# R and S run with `threads` submitters (default 4, the benchmarks' own).
rounds=$1
threads=${2:-4}
jar=benchmarks/target/benchmarks.jar
F="-wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq "$rounds"); do
  for s in NORMAL FULL; do
    for b in L R S S R L; do
      case $b in
        L) pat='Limits.executeBatch1000RowsPerTransaction'; t=1 ;;
        R) pat='GroupCommitReferenceAsync.submitWindowAsOneBatch'; t=$threads ;;
        S) pat='AsyncStatementSubmitters'; t=$threads ;;
      esac
      java -jar $jar "$pat" -t $t -p strategy=group-commit -p journalMode=WAL -p synchronous=$s $F 2>&1 \
        | grep -E "^(Limits|GroupCommitReferenceAsync|AsyncStatementSubmitters)\.[a-zA-Z0-9]+ |tasks in" \
        | sed "s/^/r$r $s $b /"
    done
  done
done
