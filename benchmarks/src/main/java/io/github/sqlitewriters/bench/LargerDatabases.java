package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Question: does the ranking of the strategies hold as the table grows to millions of rows with
 * secondary indexes, once the database is far larger than SQLite's page cache?
 *
 * Expected: every COMMIT gets dearer as the table grows (more B-tree levels, and each insert into
 * the random-key index touches a leaf that is rarely cached, so a commit writes more pages and
 * reads some back from the OS). The strategies with one COMMIT per write pay that per write;
 * group-commit pays it once per batch, and pages touched by several writes of one batch are
 * written once, so its lead over single-connection should hold or grow at 10 million rows.
 *
 * The table is PreloadedTemplates' big(id, k, ts, v) with indexes on k (random) and ts (growing);
 * each trial writes into a fresh copy of a template with `rows` rows (building a template is not
 * measured; the first trial of a size builds it, about 25 s for 10 million rows; the Sweep deletes the templates at its end; run
 * directly, delete -Dbench.dir/sqlite-writers-templates yourself). One operation
 * inserts one row in its own transaction; throughput is the `committed` counter.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar LargerDatabases -t 32 -si false -p rows=10000000
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LargerDatabases {

  @Param({"0", "1000000", "10000000"})
  public long rows;

  @Param({"single-connection", "immediate", "serialized-writer", "group-commit"})
  public String strategy;

  @Param({"WAL"})
  public String journalMode;

  @Param({"FULL"})
  public String synchronous;

  private final AtomicLong ts = new AtomicLong();
  private Path directory;
  private WriteExecutor executor;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    directory = BenchDatabase.newDirectory("sqlite-writers-larger-");
    try {
      Path file = directory.resolve("big.db");
      PreloadedTemplates.copy(rows, file);
      ts.set(rows);
      SqliteSettings settings = BenchDatabase.settings(file, journalMode, synchronous);
      executor = Strategies.open(strategy, settings);
    } catch (SQLException | RuntimeException e) {
      // JMH runs no tear-down after a failed set-up: the 1 GB copy would stay behind.
      BenchDatabase.delete(directory);
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    try {
      executor.close();
    } finally {
      BenchDatabase.delete(directory);
    }
  }

  @Benchmark
  public void insertOneRow(Committed committed, Failures failures) {
    try {
      executor.write(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(PreloadedTemplates.INSERT)) {
              insert.setLong(1, ThreadLocalRandom.current().nextLong());
              insert.setLong(2, ts.incrementAndGet());
              insert.setString(3, Rows.VALUE);
              return insert.executeUpdate();
            }
          });
      committed.committed++;
    } catch (Exception e) {
      failures.count(e);
    }
  }
}
