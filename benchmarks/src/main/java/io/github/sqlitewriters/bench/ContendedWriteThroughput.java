package io.github.sqlitewriters.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: how many single-row write transactions per second does each strategy commit when
 * many threads write at once, and how many fail?
 *
 * Expected: under synchronous=FULL each COMMIT waits for the disk, so strategies that give every
 * write its own COMMIT (single-connection, immediate, serialized-writer) stay near the one-
 * connection limit however many threads write, while group-commit shares one COMMIT among all
 * waiting writers and grows with the thread count. The deferred strategies lose throughput to
 * SQLite's busy handler, and deferred-no-timeout fails most writes outright.
 *
 * Throughput is the `committed` counter (committed writes per second); JMH's primary score also
 * counts failed calls. `busyFailures` and `otherFailures` count failures per iteration.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar ContendedWriteThroughput -t 8 \
 *        -p journalMode=WAL -p synchronous=FULL
 * (the Sweep runner repeats it for each thread count: JMH's -t takes one number per run)
 *
 * Virtual-thread callers (JDK 21+; the Sweep forks its cells into such a JDK): JMH runs its
 * benchmark threads as virtual threads with -jvmArgsAppend -Djmh.executor=VIRTUAL, e.g. -t 1000.
 * Leave out the strategies that wait inside SQLite's busy handler: their waiters hold the carriers
 * (see BlockingWorkCallers and the README).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ContendedWriteThroughput extends EveryStrategy {

  @Param({"WAL", "DELETE"})
  public String journalMode;

  @Param({"NORMAL", "FULL"})
  public String synchronous;

  private ExecutorState state;

  @Setup(Level.Trial)
  public void open() {
    state = new ExecutorState(strategy, journalMode, synchronous);
  }

  @TearDown(Level.Trial)
  public void close() {
    state.close();
  }

  @Benchmark
  public void insertOneRow(Committed committed, Failures failures) {
    state.write(Rows.INSERT_ONE, committed, failures);
  }
}
