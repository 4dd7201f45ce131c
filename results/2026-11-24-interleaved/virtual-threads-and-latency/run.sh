#!/bin/bash
J=/tmp/jar-final.jar
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$J25 --enable-native-access=ALL-UNNAMED -Dbench.dir=/tmp/bench8 -jar $J BlockingWorkCallers -si false -rf json -rff blocking.json > blocking.log 2>&1
java -Dbench.dir=/tmp/bench8 -jar $J CommitLatency -t 32 -p strategy=group-commit,immediate -p synchronous=FULL -si false -rf json -rff latency.json > latency.log 2>&1
echo done
