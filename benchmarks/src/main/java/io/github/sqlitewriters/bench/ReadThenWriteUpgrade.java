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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: what happens to transactions that read before they write (the Rails metadata case:
 * look something up, then insert) when several threads run them at once?
 *
 * Expected: under DEFERRED transactions the write must upgrade a read lock, and SQLite refuses the
 * upgrade at once when another writer got there first; the busy timeout does not help, so
 * deferred-busy-timeout and hikari-pool fail a large share of calls (busyFailures), deferred-retry
 * succeeds at the cost of reruns, and the strategies that take the write lock first fail none.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar ReadThenWriteUpgrade -t 8
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(8)
@Fork(1)
public class ReadThenWriteUpgrade extends EveryStrategy {

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL"})
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
  public void readThenInsert(Committed committed, Failures failures) {
    state.write(Rows.READ_THEN_INSERT, committed, failures);
  }
}
