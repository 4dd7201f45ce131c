package io.github.sqlitewriters.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Question: how long does one write wait, from call to committed, at the median and in the tail,
 * when 8 or 32 threads write at once?
 *
 * Expected: SQLite's busy handler polls waiters in no order, sleeping up to 100 ms between tries,
 * so the strategies that wait inside SQLite (the deferred ones) have a long tail, approaching
 * seconds at p99.9 under FULL. immediate's callers take turns on a fair Java lock, and the
 * writer-thread strategies queue callers in FIFO order, so their tail stays within a queue of
 * COMMITs; group-commit's COMMITs are shared, so its tail is shortest. Failed calls are timed too (they return early); their count is printed at the end
 * of each trial.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar CommitLatency -t 32 -p synchronous=FULL
 *
 * Virtual-thread callers (JDK 21+; the Sweep forks its cells into such a JDK): JMH runs its
 * benchmark threads as virtual threads with -jvmArgsAppend -Djmh.executor=VIRTUAL, e.g. -t 1000.
 * Leave out the strategies that wait inside SQLite's busy handler: their waiters hold the carriers
 * (see BlockingWorkCallers and the README).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CommitLatency extends EveryStrategy {

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL", "FULL"})
  public String synchronous;

  private ExecutorState state;
  private final LongAdder failed = new LongAdder();

  @Setup(Level.Trial)
  public void open() {
    state = new ExecutorState(strategy, journalMode, synchronous);
  }

  @TearDown(Level.Trial)
  public void close() {
    System.out.printf("%n[%s] %d calls failed during the trial%n", strategy, failed.sum());
    state.close();
  }

  @Benchmark
  public void insertOneRow() {
    try {
      state.executor.write(Rows.INSERT_ONE);
    } catch (Exception e) {
      failed.increment();
    }
  }
}
