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
 * Question: ContendedWriteThroughput again, with each caller's row as a statement task
 * (write(sql, parameters...)) instead of a lambda: do waiting callers gain, and does the tail hold?
 *
 * Expected: with callers that wait for each write, a batch holds at most one task per caller, so
 * the gain over lambdas is smaller than for asynchronous submitters; it must not be a loss.
 *
 * Throughput (writes/s), and with -bm sample the latency from call to committed:
 *   java -jar benchmarks/target/benchmarks.jar \
 *     'ContendedStatementWrites|ContendedWriteThroughput.insertOneRow' -t 64 \
 *     -p strategy=group-commit -p journalMode=WAL -p synchronous=FULL
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ContendedStatementWrites extends EveryStrategy {
  @Param({"WAL"})
  public String journalMode;

  @Param({"FULL"})
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
    state.write(Rows.insertOneStatement(), committed, failures);
  }
}
