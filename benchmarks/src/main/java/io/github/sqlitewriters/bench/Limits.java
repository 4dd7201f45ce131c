package io.github.sqlitewriters.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Question: what can one thread on one connection do, with no executor at all, on this machine?
 * These are the ceilings every strategy is measured against, taken in the same run.
 *
 * Expected: single-row autocommit pays a COMMIT per row (tens of thousands per second in WAL with
 * NORMAL, a few thousand with FULL, fewer in DELETE mode); executeBatch of 1000 rows per
 * transaction spreads one COMMIT over 1000 rows and reaches a million or more rows per second.
 *
 * One operation is one row.
 * Run: java -jar benchmarks/target/benchmarks.jar Limits
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@Fork(1)
public class Limits {
  static final int BATCH = 1000;

  @Param({"WAL", "DELETE"})
  public String journalMode;

  @Param({"NORMAL", "FULL"})
  public String synchronous;

  private BenchDatabase database;
  private Connection connection;
  private PreparedStatement insert;
  private Statement control;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    database = BenchDatabase.create(journalMode, synchronous);
    connection = database.settings().openConnection();
    insert = connection.prepareStatement(Rows.INSERT);
    control = connection.createStatement();
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    connection.close();
    database.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int[] executeBatch1000RowsPerTransaction() throws SQLException {
    control.execute("BEGIN");
    for (int i = 0; i < BATCH; i++) {
      insert.setLong(1, ThreadLocalRandom.current().nextLong());
      insert.setString(2, Rows.VALUE);
      insert.addBatch();
    }
    int[] counts = insert.executeBatch();
    control.execute("COMMIT");
    return counts;
  }

  @Benchmark
  public int singleRowAutocommit() throws SQLException {
    insert.setLong(1, ThreadLocalRandom.current().nextLong());
    insert.setString(2, Rows.VALUE);
    return insert.executeUpdate();
  }
}
