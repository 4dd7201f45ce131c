#!/bin/bash
F="-si false -wi 2 -w 1 -i 5 -r 2 -f 1"
for r in 1 2; do for jar in "$@"; do n=$(basename $jar .jar)
 java -jar $jar 'AsyncSubmitters|GroupCommitReferenceAsync' -p strategy=group-commit $F 2>&1 | grep -E "submitWindow " | awk -v n=$n -v r=$r '{print r, n, "async", $1, $(NF-3)}'
done; done
