package io.github.sqlitewriters.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.GroupCommitDataSource;
import io.github.sqlitewriters.ImmediateDataSource;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
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
 * Question: what does an application written with Spring or Hibernate get when it swaps its
 * DataSource: GroupCommitDataSource (transactions share COMMITs), ImmediateDataSource (each
 * transaction commits alone, in turn) or a HikariCP pool of sqlite-jdbc connections with HikariCP's
 * defaults (the hikari-pool setup)?
 *
 * Two workloads: `insert`, one JdbcTemplate INSERT in a TransactionTemplate transaction; `jpa`, a
 * Hibernate ORM transaction that finds an entity, modifies it and persists a new one (a SELECT, an
 * INSERT and an UPDATE, with Hibernate's own work between them).
 *
 * Expected: the pool's deferred transactions meet SQLite's busy handler, which wakes its sleepers
 * by timer, and some wait past the 3 s busy timeout and fail. ImmediateDataSource's writers take
 * turns in arrival order and none fails, but each COMMIT waits for the disk on its own.
 * GroupCommitDataSource's share one COMMIT per group, so under synchronous=FULL they pass the
 * one-COMMIT-per-fsync limit; where a transaction holds the turn mostly for the framework's own
 * work (jpa), less.
 *
 * Throughput is the `committed` counter of `transaction`; `busyFailures` and `otherFailures`
 * count failed transactions (a busy failure is an SqliteBusyException or SQLite's own SQLITE_BUSY
 * anywhere in the cause chain the framework wraps). `transactionLatency` runs the same transaction
 * in JMH's latency mode, for its percentiles (p0.999 is the p99.9).
 *
 * Run: java -jar benchmarks/target/benchmarks.jar FrameworkTransactions -t 32 -p workload=insert
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FrameworkTransactions {
  @Param({GroupCommitDataSource.NAME, ImmediateDataSource.NAME, "hikari-pool"})
  public String dataSource;

  @Param({"insert", "jpa"})
  public String workload;

  @Param({"WAL"})
  public String journalMode;

  @Param({"FULL"})
  public String synchronous;

  /**
   * Hibernate logs every failed statement (two lines each, hundreds of thousands a run on the
   * pool); the failures are counted here instead. Held, so that the setting is not collected.
   */
  private static final Logger HIBERNATE_LOG = Logger.getLogger("org.hibernate");

  /** Rows the jpa workload finds and modifies, chosen at random. */
  private static final int ITEMS = 1_000;

  private BenchDatabase database;
  private DataSource source;
  private AutoCloseable pool;
  private JdbcTemplate jdbc;
  private TransactionTemplate transactions;
  private SessionFactory sessions;

  /** An entity as a service maps it. */
  @Entity(name = "BenchItem")
  @Table(name = "item")
  public static class Item {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Integer id;

    String name;
    int quantity;
  }

  @Setup(Level.Trial)
  public void open() throws SQLException {
    if (!workload.equals("insert") && !workload.equals("jpa")) {
      throw new IllegalArgumentException("unknown workload " + workload + "; use insert or jpa");
    }
    database = BenchDatabase.create(journalMode, synchronous);
    ExecutorOptions options = ExecutorOptions.builder().maxConnections(128).build();
    if (dataSource.equals(GroupCommitDataSource.NAME)) {
      GroupCommitDataSource group = GroupCommitDataSource.open(database.settings(), options);
      pool = group;
      source = group;
    } else if (dataSource.equals(ImmediateDataSource.NAME)) {
      ImmediateDataSource immediate = ImmediateDataSource.open(database.settings(), options);
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
              + GroupCommitDataSource.NAME
              + ", "
              + ImmediateDataSource.NAME
              + " or hikari-pool");
    }
    jdbc = new JdbcTemplate(source);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(source));
    if (workload.equals("jpa")) {
      sessions = openSessions();
    }
  }

  /** The item table as a migration leaves it, seeded, and Hibernate validating against it. */
  private SessionFactory openSessions() {
    HIBERNATE_LOG.setLevel(java.util.logging.Level.OFF);
    jdbc.execute(
        "CREATE TABLE item(id INTEGER PRIMARY KEY, name VARCHAR(255), quantity INTEGER NOT NULL)");
    transactions.executeWithoutResult(
        status -> {
          for (int i = 0; i < ITEMS; i++) {
            jdbc.update("INSERT INTO item(name, quantity) VALUES (?, 0)", "seed " + i);
          }
        });
    Configuration configuration =
        new Configuration()
            .addAnnotatedClass(Item.class)
            .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
            .setProperty("hibernate.hbm2ddl.auto", "validate");
    configuration.getProperties().put("hibernate.connection.datasource", source);
    return configuration.buildSessionFactory();
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    try {
      if (sessions != null) {
        sessions.close();
      }
      pool.close();
      if (pool instanceof ImmediateDataSource) {
        System.out.printf("%n[%s] %s%n", dataSource, ((ImmediateDataSource) pool).stats());
      } else if (pool instanceof GroupCommitDataSource) {
        System.out.printf("%n[%s] %s%n", dataSource, ((GroupCommitDataSource) pool).stats());
      }
    } finally {
      database.close();
    }
  }

  @Benchmark
  public void transaction(Committed committed, Failures failures) {
    try {
      runOne();
      committed.committed++;
    } catch (RuntimeException e) {
      failures.countWrapped(e);
    }
  }

  /** The same transaction, timed by JMH's latency mode. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void transactionLatency(Failures failures) {
    try {
      runOne();
    } catch (RuntimeException e) {
      failures.countWrapped(e);
    }
  }

  private void runOne() {
    if (sessions == null) {
      transactions.executeWithoutResult(
          status -> jdbc.update(Rows.INSERT, ThreadLocalRandom.current().nextLong(), Rows.VALUE));
      return;
    }
    sessions.inTransaction(
        session -> {
          Item found = session.find(Item.class, 1 + ThreadLocalRandom.current().nextInt(ITEMS));
          found.quantity++;
          Item made = new Item();
          made.name = Rows.VALUE;
          session.persist(made);
        });
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
