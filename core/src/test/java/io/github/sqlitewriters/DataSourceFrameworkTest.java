package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ImmediateDataSource} and {@link GroupCommitDataSource} under the clients users write with:
 * Spring's {@code JdbcTemplate} with {@code DataSourceTransactionManager}, and Jdbi's {@code
 * inTransaction}. The workloads are the ones that lose writes on a plain pool: a transaction that
 * counts and then inserts (it reads first, so a deferred transaction must upgrade its lock, which
 * SQLite refuses), and a read-modify-write counter. The same workload on sqlite-jdbc behind
 * HikariCP's defaults is the negative control: it must fail, or this test proves nothing.
 */
class DataSourceFrameworkTest {
  private static final int THREADS = 16;
  private static final int TRANSACTIONS_PER_THREAD = 25;

  @TempDir Path dir;

  private static ExecutorOptions options() {
    return ExecutorOptions.builder().maxConnections(THREADS).build();
  }

  private static void createTables(DataSource dataSource) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, k INTEGER UNIQUE, v TEXT)");
    jdbc.execute("CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER)");
    jdbc.update("INSERT OR IGNORE INTO counter VALUES (1, 0)");
  }

  /** Runs {@code transaction(i)} on 16 threads, 25 times each; returns how many threw. */
  private static int onThreads(IntConsumer transaction) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < TRANSACTIONS_PER_THREAD; i++) {
                    try {
                      transaction.accept(next.getAndIncrement());
                    } catch (RuntimeException e) {
                      failures.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }
    return failures.get();
  }

  /** Spring: count, then insert with the count; and counter = counter + 1 read first. */
  private static int springWorkload(DataSource dataSource) throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    return onThreads(
        i ->
            tx.executeWithoutResult(
                status -> {
                  Long rows = jdbc.queryForObject("SELECT count(*) FROM t", Long.class);
                  jdbc.update("INSERT INTO t(k, v) VALUES (?, ?)", i, "seen " + rows);
                  long n = jdbc.queryForObject("SELECT n FROM counter WHERE id = 1", Long.class);
                  jdbc.update("UPDATE counter SET n = ? WHERE id = 1", n + 1);
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void springTransactionsThatReadFirstAllCommitInOrder(String name) throws Exception {
    try (PoolDataSource dataSource = TestDb.dataSource(name, TestDb.settings(dir), options())) {
      createTables(dataSource);
      long before = dataSource.pool.stats().tasksCommitted();
      assertEquals(0, springWorkload(dataSource));
      long committed = dataSource.pool.stats().tasksCommitted() - before;
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      int total = THREADS * TRANSACTIONS_PER_THREAD;
      assertEquals(total, jdbc.queryForObject("SELECT count(*) FROM t", Long.class));
      assertEquals(total, jdbc.queryForObject("SELECT n FROM counter", Long.class));
      // Serial: each transaction saw exactly the rows committed before it, 0 .. total-1.
      assertEquals(
          total,
          jdbc.queryForObject("SELECT count(DISTINCT v) FROM t", Long.class),
          "two transactions saw the same count");
      assertEquals(total, committed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void jdbiTransactionsThatReadFirstAllCommit(String name) throws Exception {
    try (PoolDataSource dataSource = TestDb.dataSource(name, TestDb.settings(dir), options())) {
      createTables(dataSource);
      Jdbi jdbi = Jdbi.create(dataSource);
      int failures =
          onThreads(
              i ->
                  jdbi.useTransaction(
                      handle -> {
                        long n =
                            handle
                                .createQuery("SELECT n FROM counter WHERE id = 1")
                                .mapTo(Long.class)
                                .one();
                        handle.execute("UPDATE counter SET n = ? WHERE id = 1", n + 1);
                        handle.execute("INSERT INTO t(k, v) VALUES (?, 'jdbi')", i);
                      }));
      assertEquals(0, failures);
      long total = THREADS * TRANSACTIONS_PER_THREAD;
      long counted =
          jdbi.withHandle(h -> h.createQuery("SELECT n FROM counter").mapTo(Long.class).one());
      long rows =
          jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM t").mapTo(Long.class).one());
      assertEquals(total, counted);
      assertEquals(total, rows);
    }
  }

  /** Negative control: sqlite-jdbc with HikariCP's defaults loses these transactions. */
  @Test
  void theSameSpringWorkloadFailsOnAPlainHikariPool() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("test.db"));
    config.setMaximumPoolSize(THREADS);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      createTables(hikari);
      int failures = springWorkload(hikari);
      assertTrue(failures > 0, "the unsafe setup lost nothing: the workload proves nothing");
      long committed = new JdbcTemplate(hikari).queryForObject("SELECT n FROM counter", Long.class);
      assertEquals(THREADS * TRANSACTIONS_PER_THREAD - failures, committed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void aReadOnlyTransactionThatWritesGetsAClearError(String name) throws Exception {
    try (PoolDataSource dataSource = TestDb.dataSource(name, TestDb.settings(dir), options())) {
      createTables(dataSource);
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      TransactionTemplate readOnly =
          new TransactionTemplate(new DataSourceTransactionManager(dataSource));
      readOnly.setReadOnly(true);
      DataAccessException e =
          assertThrows(
              DataAccessException.class,
              () ->
                  readOnly.executeWithoutResult(
                      s -> jdbc.update("INSERT INTO t(k, v) VALUES (1, 'x')")));
      assertInstanceOf(WriteInReadException.class, e.getCause(), e.toString());
      assertEquals(0L, jdbc.queryForObject("SELECT count(*) FROM t", Long.class));
      // The connection went back writable: the next transaction writes.
      new TransactionTemplate(new DataSourceTransactionManager(dataSource))
          .executeWithoutResult(s -> jdbc.update("INSERT INTO t(k, v) VALUES (2, 'y')"));
      assertEquals(1L, jdbc.queryForObject("SELECT count(*) FROM t", Long.class));
      // A read-only transaction takes no turn: it reads while a writer holds the lock.
      Long seen = readOnly.execute(s -> jdbc.queryForObject("SELECT count(*) FROM t", Long.class));
      assertEquals(1L, seen);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void generatedKeysAndNestedTransactionsWorkThroughSpring(String name) throws Exception {
    try (PoolDataSource dataSource = TestDb.dataSource(name, TestDb.settings(dir), options())) {
      createTables(dataSource);
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      KeyHolder keys = new GeneratedKeyHolder();
      jdbc.update(
          c -> {
            var insert =
                c.prepareStatement(
                    "INSERT INTO t(k, v) VALUES (7, 'key')",
                    java.sql.Statement.RETURN_GENERATED_KEYS);
            return insert;
          },
          keys);
      assertEquals(
          jdbc.queryForObject("SELECT id FROM t WHERE k = 7", Long.class),
          keys.getKey().longValue());

      DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
      TransactionTemplate outer = new TransactionTemplate(manager);
      TransactionTemplate nested = new TransactionTemplate(manager);
      nested.setPropagationBehavior(TransactionTemplate.PROPAGATION_NESTED);
      outer.executeWithoutResult(
          s -> {
            jdbc.update("INSERT INTO t(k, v) VALUES (8, 'outer')");
            try {
              nested.executeWithoutResult(
                  n -> {
                    jdbc.update("INSERT INTO t(k, v) VALUES (9, 'nested')");
                    throw new IllegalStateException("undo the nested part only");
                  });
            } catch (IllegalStateException expected) {
              // The savepoint was rolled back to; the outer transaction goes on.
            }
          });
      assertEquals(1L, jdbc.queryForObject("SELECT count(*) FROM t WHERE k = 8", Long.class));
      assertEquals(0L, jdbc.queryForObject("SELECT count(*) FROM t WHERE k = 9", Long.class));
    }
  }
}
