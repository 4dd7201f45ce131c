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
 * Question: do reads through read() keep going while writers write, and what does each strategy's
 * write side cost the readers?
 *
 * Expected: in WAL mode readers never wait for the writer, so read throughput stays high for
 * every strategy; in DELETE mode a COMMIT excludes readers, so reads slow down and can fail.
 *
 * The group runs 2 writer and 2 reader threads; readers look up a random row among the first 1000.
 * Run: java -jar benchmarks/target/benchmarks.jar ReadersDuringWrites -p journalMode=WAL
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Group)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReadersDuringWrites extends EveryStrategy {

  @Param({"WAL", "DELETE"})
  public String journalMode;

  @Param({"NORMAL"})
  public String synchronous;

  private ExecutorState state;

  /** Reads, counted apart from writes. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Reads {
    public long reads;
    public long readFailures;

    @Setup(Level.Iteration)
    public void reset() {
      reads = 0;
      readFailures = 0;
    }
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    state = new ExecutorState(strategy, journalMode, synchronous);
    SqlWork<int[]> thousandRows =
        connection -> {
          try (PreparedStatement insert = connection.prepareStatement(Rows.INSERT)) {
            for (int i = 0; i < 1_000; i++) {
              insert.setLong(1, i);
              insert.setString(2, Rows.VALUE);
              insert.addBatch();
            }
            return insert.executeBatch();
          }
        };
    state.executor.write(thousandRows);
  }

  @TearDown(Level.Trial)
  public void close() {
    state.close();
  }

  @Benchmark
  @Group("readWrite")
  @GroupThreads(2)
  public void write(Committed committed, Failures failures) {
    state.write(Rows.INSERT_ONE, committed, failures);
  }

  @Benchmark
  @Group("readWrite")
  @GroupThreads(2)
  public long read(Reads reads) {
    try {
      long k = state.executor.read(Rows.READ_ONE);
      reads.reads++;
      return k;
    } catch (Exception e) {
      reads.readFailures++;
      return -1;
    }
  }
}
