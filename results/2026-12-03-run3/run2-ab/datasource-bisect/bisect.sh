#!/bin/bash
# bisect.sh OUT ROUNDS JAR...: ImmediateDataSource and the pool at 32 threads, WAL + FULL, one-INSERT
# JdbcTemplate transactions, each jar in turn per round
out=$1 rounds=$2; shift 2
mkdir -p $out
for r in $(seq 1 $rounds); do for jar in "$@"; do
  l=$(basename $jar .jar)
  if java -jar $jar -l 2>/dev/null | grep -q 'FrameworkTransactions.transaction$'; then
    sel=('FrameworkTransactions.transaction$' -p workload=insert)
  else
    sel=('FrameworkTransactions.insertOneRow$')
  fi
  java -jar $jar "${sel[@]}" -t 32 -p dataSource=immediate-data-source,hikari-pool -p journalMode=WAL -p synchronous=FULL -f 1 -wi 2 -w 1 -i 3 -r 2 -si false -rf json -rff $out/$l-r$r.json > /dev/null 2>&1
  python3 -c "
import json;d=json.load(open('$out/$l-r$r.json'));v={b['params']['dataSource']:b['secondaryMetrics']['committed']['score'] for b in d}
print('$l r$r ids %.0f pool %.0f ratio %.2f'%(v['immediate-data-source'],v['hikari-pool'],v['immediate-data-source']/v['hikari-pool']))"
done; done
