#!/bin/bash
# soak-ab.sh RUN2_JAR RUN3_JAR ROUNDS MINUTES OUT
# WalSoak's serialized-writer cells (policy, off, no-readers) at MINUTES per cell: run 3's code
# with turns across processes on (the default), run 2's jar (no turns), and run 3's code with
# turns off (-Dsoak.noTurns=true, read by this experiment's WalSoak only), in turn.
set -euo pipefail
old=$1 new=$2 rounds=$3 minutes=$4 out=$5
for r in $(seq 1 "$rounds"); do
  for label in run3-turns-on run2 run3-turns-off; do
    case $label in
      run2) cmd=(java -cp "$old") ;;
      run3-turns-on) cmd=(java -cp "$new") ;;
      run3-turns-off) cmd=(java -Dsoak.noTurns=true -cp "$new") ;;
    esac
    echo "round $r: $label, $(date -u +%T)"
    "${cmd[@]}" io.github.sqlitewriters.bench.WalSoak --minutes "$minutes" \
      --strategies serialized-writer --out "$out/$label-r$r" | grep '^\[soak\] serialized-writer [a-z-]*:'
  done
done
