package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqlWork;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Question: the original bug's workload. Two background loops flush batches of buffered rows, one
 * into an audit log and one into a usage table, every few milliseconds, while request threads
 * write single rows. Which strategies keep both the requests and the flushes going, and which
 * fail flushes (the lost writes of the original bug)?
 *
 * Expected: the deferred strategies fail some flushes and requests with SQLITE_BUSY
 * (flushFailures, busyFailures); the safe strategies fail none, and group-commit folds requests
 * and flushes into shared COMMITs.
 *
 * The group runs 1 audit flusher, 1 usage flusher and 6 request threads; each flusher writes
 * FLUSH_ROWS rows in one transaction, then pauses PAUSE_MS.
 * Run: java -jar benchmarks/target/benchmarks.jar FlushLoops -p synchronous=FULL
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Group)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FlushLoops extends EveryStrategy {
  static final int FLUSH_ROWS = 100;
  static final long PAUSE_MS = 5;

  @Param({"WAL"})
  public String journalMode;

  @Param({"NORMAL", "FULL"})
  public String synchronous;

  private ExecutorState state;

  /** Flushes, counted apart from the request writes. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Flushes {
    public long flushesCommitted;
    public long flushFailures;

    @Setup(Level.Iteration)
    public void reset() {
      flushesCommitted = 0;
      flushFailures = 0;
    }
  }

  @Setup(Level.Trial)
  public void open() {
    state = new ExecutorState(strategy, journalMode, synchronous);
  }

  @TearDown(Level.Trial)
  public void close() {
    state.close();
  }

  @Benchmark
  @Group("flushLoops")
  @GroupThreads(6)
  public void request(Committed committed, Failures failures) {
    state.write(Rows.INSERT_ONE, committed, failures);
  }

  @Benchmark
  @Group("flushLoops")
  @GroupThreads(1)
  public void auditFlush(Flushes flushes) throws InterruptedException {
    flush("INSERT INTO audit_log(source, event) VALUES (?, 'request served')", flushes);
  }

  @Benchmark
  @Group("flushLoops")
  @GroupThreads(1)
  public void usageFlush(Flushes flushes) throws InterruptedException {
    flush("INSERT INTO usage(source, units) VALUES (?, 1)", flushes);
  }

  private void flush(String sql, Flushes flushes) throws InterruptedException {
    SqlWork<int[]> batch =
        connection -> {
          try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int i = 0; i < FLUSH_ROWS; i++) {
              insert.setInt(1, i);
              insert.addBatch();
            }
            return insert.executeBatch();
          }
        };
    try {
      state.executor.write(batch);
      flushes.flushesCommitted++;
    } catch (Exception e) {
      flushes.flushFailures++;
    }
    Thread.sleep(PAUSE_MS);
  }
}
