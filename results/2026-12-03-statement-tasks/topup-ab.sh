#!/bin/bash
# usage: BEFORE=a.jar AFTER=b.jar topup-ab.sh rounds
# per round and mode: B A L L A B  (B = statement tasks, jar before; A = after; L = executeBatch limit)
rounds=$1
F="-wi 2 -w 1 -i 5 -r 2 -f 1"
for r in $(seq $rounds); do
 for s in NORMAL FULL; do
  for b in B A L L A B; do
   case $b in B) jar=${BEFORE:?jar of the code before}; pat=AsyncStatementSubmitters;; A) jar=${AFTER:?jar of the code after}; pat=AsyncStatementSubmitters;; L) jar=${AFTER}; pat=Limits.executeBatch1000;; esac
   java -jar $jar "$pat" -p strategy=group-commit -p journalMode=WAL -p synchronous=$s $F 2>&1 | grep -E "submitWindow |executeBatch1000RowsPerTransaction " | sed "s/^/r$r $s $b /"
  done
 done
done
