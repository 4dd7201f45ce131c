package io.github.sqlitewriters.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/*
 * Question: should a service that writes from many threads move from SQLite to PostgreSQL? How
 * many single-row write transactions per second does a real PostgreSQL server on the same disk
 * commit, against the SQLite strategies a user would adopt?
 *
 * Expected: with durable commits on both sides (SQLite WAL + synchronous=FULL; PostgreSQL fsync,
 * full_page_writes and synchronous_commit on), PostgreSQL's backends already share WAL flushes, so
 * it grows with clients like group-commit does, but every transaction also pays a network round
 * trip, a backend process switch and MVCC bookkeeping on 2 cores: group-commit ahead at 32
 * clients (2.7x measured by hand), immediate and single-connection near the one-connection limit.
 * With synchronous=NORMAL (PostgreSQL: synchronous_commit off) nobody waits for the disk and the
 * per-transaction CPU cost decides. commit_delay (PostgreSQL's own group-commit knob) trades
 * fsyncs for latency; on 2 cores it was measured to cost throughput.
 *
 * One connection per client thread for PostgreSQL (HikariCP sized to -t); the SQLite systems are
 * the strategies of ContendedWriteThroughput on WAL. postgres-commit-delay runs under FULL only.
 * Throughput is the `committed` counter. The server starts in the trial's setup (about 3 s, not
 * measured); a machine where it cannot start fails these cells with the reason, and the Sweep skips
 * them with one line.
 *
 * Run: java -jar benchmarks/target/benchmarks.jar PostgresComparison -t 32 -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PostgresComparison {
  static final String POSTGRES = "postgres";
  static final String POSTGRES_COMMIT_DELAY = "postgres-commit-delay";

  /** PostgreSQL's commit_delay in the commit-delay cell: the value measured by hand. */
  static final int COMMIT_DELAY_MICROS = 1_000;

  @Param({"group-commit", "immediate", "single-connection", POSTGRES, POSTGRES_COMMIT_DELAY})
  public String system;

  /** SQLite's synchronous; for PostgreSQL, FULL is synchronous_commit=on and NORMAL is off. */
  @Param({"FULL"})
  public String synchronous;

  private ExecutorState sqlite;
  private PostgresServer server;
  private HikariDataSource pool;

  @Setup(Level.Trial)
  public void open(BenchmarkParams params) {
    if (!system.startsWith(POSTGRES)) {
      sqlite = new ExecutorState(system, "WAL", synchronous);
      return;
    }
    boolean durable = synchronous.equals("FULL");
    if (system.equals(POSTGRES_COMMIT_DELAY) && !durable) {
      throw new IllegalArgumentException(
          POSTGRES_COMMIT_DELAY + " delays a durable commit's flush: run it with synchronous=FULL");
    }
    int delay = system.equals(POSTGRES_COMMIT_DELAY) ? COMMIT_DELAY_MICROS : 0;
    server = PostgresServer.start(PostgresServer.settings(durable, delay));
    try {
      pool = server.pool(params.getThreads());
    } catch (RuntimeException e) {
      // JMH runs no tear-down after a failed set-up: the server would outlive the trial.
      server.close();
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    if (sqlite != null) {
      sqlite.close();
      return;
    }
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet count = statement.executeQuery("SELECT count(*) FROM t")) {
      count.next();
      System.out.printf("%n[%s] %d rows committed%n", system, count.getLong(1));
    } finally {
      try {
        pool.close();
      } finally {
        server.close();
      }
    }
  }

  @Benchmark
  public void insertOneRow(Committed committed, Failures failures) {
    if (sqlite != null) {
      sqlite.write(Rows.INSERT_ONE, committed, failures);
      return;
    }
    // Auto-commit: the INSERT is its own transaction, as a single-row write is in the SQLite cells.
    try (Connection connection = pool.getConnection()) {
      Rows.INSERT_ONE.run(connection);
      committed.committed++;
    } catch (SQLException e) {
      failures.count(e);
    }
  }
}
