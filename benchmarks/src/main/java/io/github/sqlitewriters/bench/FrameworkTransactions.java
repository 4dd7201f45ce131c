package io.github.sqlitewriters.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.ImmediateDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/*
 * Question: what does a Spring application get when it swaps its DataSource: the same single-row
 * transactions through JdbcTemplate and TransactionTemplate, on ImmediateDataSource versus on a
 * HikariCP pool of sqlite-jdbc connections with HikariCP's defaults (the hikari-pool setup)?
 *
 * Expected: the pool's deferred transactions meet SQLite's busy handler, which wakes its sleepers
 * by timer, and some wait past the 3 s busy timeout and fail; ImmediateDataSource's writers take
 * turns in arrival order and none fails. Each COMMIT still waits for the disk on its own, so
 * neither goes past the one-connection limit of a COMMIT per fsync.
 *
 * Throughput is the `committed` counter; `busyFailures` and `otherFailures` count failed
 * transactions (a busy failure is an SqliteBusyException or SQLite's own SQLITE_BUSY anywhere in the
 * cause chain Spring wraps).
 *
 * Run: java -jar benchmarks/target/benchmarks.jar FrameworkTransactions -t 8 -si false
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FrameworkTransactions {
  @Param({ImmediateDataSource.NAME, "hikari-pool"})
  public String dataSource;

  @Param({"WAL"})
  public String journalMode;

  @Param({"FULL"})
  public String synchronous;

  private BenchDatabase database;
  private AutoCloseable pool;
  private JdbcTemplate jdbc;
  private TransactionTemplate transactions;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    database = BenchDatabase.create(journalMode, synchronous);
    DataSource source;
    if (dataSource.equals(ImmediateDataSource.NAME)) {
      ImmediateDataSource immediate =
          ImmediateDataSource.open(
              database.settings(), ExecutorOptions.builder().maxConnections(64).build());
      pool = immediate;
      source = immediate;
    } else if (dataSource.equals("hikari-pool")) {
      HikariConfig config = new HikariConfig();
      config.setDataSource(new SettingsDataSource(database));
      HikariDataSource hikari = new HikariDataSource(config);
      pool = hikari;
      source = hikari;
    } else {
      throw new IllegalArgumentException(
          "unknown dataSource "
              + dataSource
              + "; use "
              + ImmediateDataSource.NAME
              + " or hikari-pool");
    }
    jdbc = new JdbcTemplate(source);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(source));
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    try {
      pool.close();
      if (pool instanceof ImmediateDataSource) {
        System.out.printf("%n[%s] %s%n", dataSource, ((ImmediateDataSource) pool).stats());
      }
    } finally {
      database.close();
    }
  }

  @Benchmark
  public void insertOneRow(Committed committed, Failures failures) {
    try {
      transactions.executeWithoutResult(
          status -> jdbc.update(Rows.INSERT, ThreadLocalRandom.current().nextLong(), Rows.VALUE));
      committed.committed++;
    } catch (RuntimeException e) {
      failures.countWrapped(e);
    }
  }

  /** Connections opened by the benchmark's settings, every PRAGMA applied, for HikariCP. */
  private static final class SettingsDataSource implements DataSource {
    private final BenchDatabase database;

    SettingsDataSource(BenchDatabase database) {
      this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return database.settings().openConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
