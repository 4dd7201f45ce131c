package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link GroupCommitDataSource} adds to {@link ImmediateDataSource}'s contract (which {@link
 * GroupCommitDataSourceContractTest} runs against it): transactions that share COMMITs, each {@code
 * commit()} returning only once its writes are committed, a rollback that undoes one transaction
 * alone, a failed COMMIT failing every commit() it held, and nothing one transaction does failing
 * another's COMMIT.
 *
 * <p>Most tests set up the same order by hand: a first transaction writes, a second waits for the
 * turn, the first calls {@code commit()} (which hands the turn over and waits), and the second then
 * decides what the shared COMMIT meets.
 */
class GroupCommitDataSourceTest {
  @TempDir Path dir;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private GroupCommitDataSource dataSource;

  @AfterEach
  void close() {
    threads.shutdownNow();
    if (dataSource != null) {
      dataSource.close();
    }
  }

  private GroupCommitDataSource open(SqliteSettings settings, Duration deadline)
      throws SQLException {
    dataSource =
        GroupCommitDataSource.open(
            settings, ExecutorOptions.builder().busyDeadline(deadline).maxConnections(16).build());
    return dataSource;
  }

  @Test
  void transactionsFromSixteenThreadsShareCommitsAndEveryWriteIsKept() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(10));
    try (Connection c = dataSource.getConnection()) {
      TestDb.execute(c, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER)");
      TestDb.execute(c, "INSERT INTO counter VALUES (1, 0)");
    }
    long setUp = dataSource.stats().tasksCommitted();
    int perThread = 40;
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      writers.add(
          threads.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    long n;
                    try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT n FROM counter WHERE id = 1")) {
                      r.next();
                      n = r.getLong(1);
                    }
                    try (PreparedStatement insert =
                        c.prepareStatement("INSERT INTO t(k, v) VALUES (?, ?)")) {
                      insert.setLong(1, thread * 1000L + i);
                      insert.setString(2, "counter was " + n);
                      insert.executeUpdate();
                    }
                    TestDb.execute(c, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1");
                    c.commit();
                  }
                }
                return null;
              }));
    }
    for (Future<?> writer : writers) {
      writer.get(60, TimeUnit.SECONDS);
    }
    long total = 16L * perThread;
    assertEquals(total, TestDb.count(settings));
    // Each transaction read the counter and wrote it back: one lost or overlapping update shows.
    assertEquals(total, TestDb.queryLong(settings.path(), "SELECT n FROM counter"));
    ExecutorStats stats = dataSource.stats();
    assertEquals(0, stats.tasksFailed(), stats.toString());
    assertEquals(total, stats.tasksCommitted() - setUp, stats.toString());
    assertTrue(stats.tasksPerTransaction() > 1.0, "no COMMIT was shared: " + stats);
  }

  @Test
  void aCommitReturnsOnlyWithTheSharedCommitAndTheNextTransactionSeesItsWrites() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      // The second transaction has the turn and runs inside the first one's SQLite transaction.
      assertEquals(1L, count(second, "SELECT count(*) FROM t WHERE k = 1"));
      assertFalse(TestDb.hasKey(settings, 1), "committed before the shared COMMIT");
      assertThrows(TimeoutException.class, () -> firstCommit.get(200, TimeUnit.MILLISECONDS));
      TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
      second.commit();
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
    ExecutorStats stats = dataSource.stats();
    assertEquals(1, stats.transactionsCommitted(), stats.toString());
    assertEquals(2, stats.tasksCommitted(), stats.toString());
  }

  @Test
  void aRollbackUndoesThatTransactionAloneAndTheOtherCommits() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
      second.rollback();
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertFalse(TestDb.hasKey(settings, 2));
  }

  @Test
  void aSharedCommitThatFailsFailsEveryCommitItHeld() throws Exception {
    // A rollback journal's COMMIT waits for readers; this one reads until the deadline has passed.
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("test.db"))
                .journalMode(SqliteSettings.JournalMode.DELETE)
                .build());
    open(settings, Duration.ofMillis(500));
    try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + settings.path());
        Statement read = reader.createStatement()) {
      read.execute("BEGIN");
      read.executeQuery("SELECT count(*) FROM t").close();
      try (Connection first = dataSource.getConnection();
          Connection second = dataSource.getConnection()) {
        first.setAutoCommit(false);
        TestDb.execute(first, "INSERT INTO t(k) VALUES (1)");
        Future<?> firstCommit = commitOnceSecondWaits(first, second);
        TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
        SQLException secondFailed = assertThrows(SQLException.class, second::commit);
        ExecutionException firstFailed =
            assertThrows(ExecutionException.class, () -> firstCommit.get(5, TimeUnit.SECONDS));
        assertInstanceOf(SQLException.class, firstFailed.getCause());
        assertTrue(
            firstFailed.getCause().getMessage().contains("none of them was committed"),
            firstFailed.getCause().getMessage());
        assertTrue(secondFailed.getMessage().contains(GroupCommitDataSource.NAME));
      }
      read.execute("COMMIT");
    }
    assertFalse(TestDb.hasKey(settings, 1));
    assertFalse(TestDb.hasKey(settings, 2));
    try (Connection later = dataSource.getConnection()) {
      later.setAutoCommit(false);
      TestDb.execute(later, "INSERT INTO t(k) VALUES (3)");
      later.commit();
    }
    assertTrue(TestDb.hasKey(settings, 3));
  }

  @Test
  void deferredForeignKeysInTheSchemaMakeEachTransactionCommitAlone() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      TestDb.execute(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
      TestDb.execute(
          c,
          "CREATE TABLE child(id INTEGER PRIMARY KEY,"
              + " p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    }
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      first.setAutoCommit(false);
      TestDb.execute(first, "INSERT INTO parent VALUES (1)");
      TestDb.execute(first, "INSERT INTO child VALUES (1, 1)");
      Future<?> firstCommit = commitOnceSecondWaits(first, second);
      TestDb.execute(second, "INSERT INTO child VALUES (2, 99)");
      SQLException violation = assertThrows(SQLException.class, second::commit);
      assertTrue(violation.getMessage().contains("FOREIGN KEY"), violation.getMessage());
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertEquals(1L, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child WHERE id = 1"));
    assertEquals(0L, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child WHERE id = 2"));
  }

  @Test
  void aTransactionThatDefersItsForeignKeysLateFailsAlone() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      TestDb.execute(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
      TestDb.execute(
          c, "CREATE TABLE child(id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id))");
      TestDb.execute(c, "INSERT INTO parent VALUES (1)");
    }
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      first.setAutoCommit(false);
      TestDb.execute(first, "INSERT INTO child VALUES (1, 1)");
      Future<?> firstCommit = commitOnceSecondWaits(first, second);
      TestDb.execute(second, "INSERT INTO child VALUES (2, 1)");
      TestDb.execute(second, "PRAGMA defer_foreign_keys = ON");
      TestDb.execute(second, "INSERT INTO child VALUES (3, 99)");
      SQLException violation = assertThrows(SQLException.class, second::commit);
      assertEquals("23000", violation.getSQLState(), violation.getMessage());
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertEquals(1L, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child"));
    assertEquals(1L, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child WHERE id = 1"));
  }

  @Test
  void aTransactionThatBeginsWithDdlRunsAfterThePendingCommit() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      TestDb.execute(second, "CREATE TABLE made(x INTEGER)");
      // The first transaction's COMMIT ran before the DDL: it returns while the second is open.
      firstCommit.get(5, TimeUnit.SECONDS);
      assertTrue(TestDb.hasKey(settings, 1));
      TestDb.execute(second, "INSERT INTO made VALUES (1)");
      second.commit();
    }
    assertEquals(1L, TestDb.queryLong(settings.path(), "SELECT count(*) FROM made"));
  }

  @Test
  void orRollbackIsRefusedBeforeItRuns() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      assertThrows(
          TransactionControlException.class,
          () -> c.prepareStatement("INSERT OR ROLLBACK INTO t(k) VALUES (1)"));
      assertThrows(
          TransactionControlException.class,
          () -> TestDb.execute(c, "RELEASE sqlite_writers_member"));
      TestDb.execute(c, "INSERT OR IGNORE INTO t(k) VALUES (1)");
      c.commit();
    }
    assertTrue(TestDb.hasKey(settings, 1));
  }

  @Test
  void aStatementRunsOnlyInsideTheWriteTransactionItWasPreparedIn() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection();
        PreparedStatement before = c.prepareStatement("INSERT INTO t(k) VALUES (?)")) {
      c.setAutoCommit(false);
      before.setLong(1, 1);
      SQLException outside = assertThrows(SQLException.class, before::executeUpdate);
      assertTrue(outside.getMessage().contains("prepared before"), outside.getMessage());
      PreparedStatement inside = c.prepareStatement("INSERT INTO t(k) VALUES (?)");
      inside.setLong(1, 2);
      inside.executeUpdate();
      c.commit();
      SQLException ended = assertThrows(SQLException.class, () -> inside.setLong(1, 3));
      assertTrue(ended.getMessage().contains("has ended"), ended.getMessage());
      assertThrows(SQLException.class, inside::executeUpdate);
      // cancel() on it must not reach the shared connection, which runs other transactions now.
      assertThrows(java.sql.SQLFeatureNotSupportedException.class, inside::cancel);
    }
    assertFalse(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
    assertFalse(TestDb.hasKey(settings, 3));
  }

  @Test
  void aTransactionThatBeginsWithDdlLeavesNothingOnTheSharedConnection() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      TestDb.execute(second, "CREATE TEMP TABLE scratch(x)");
      TestDb.execute(second, "INSERT INTO scratch VALUES (1)");
      second.commit();
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    try (Connection later = dataSource.getConnection()) {
      later.setAutoCommit(false);
      assertEquals(0L, count(later, "SELECT count(*) FROM sqlite_temp_master"));
      later.commit();
    }
  }

  @Test
  void ddlAndPragmasInABatchAreRefused() throws Exception {
    open(TestDb.tableIn(dir), Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        SQLException refused =
            assertThrows(SQLException.class, () -> s.addBatch("PRAGMA defer_foreign_keys = ON"));
        assertTrue(refused.getMessage().contains("not in a batch"), refused.getMessage());
        s.addBatch("INSERT INTO t(k) VALUES (1)");
        s.executeBatch();
      }
      c.commit();
    }
  }

  @Test
  void aForeignKeyCheckThatFailsRefusesThatTransactionAlone() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      TestDb.execute(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT)");
    }
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
      // A foreign key to a column that is not unique: PRAGMA foreign_key_check fails on it.
      TestDb.execute(second, "CREATE TABLE child(p TEXT REFERENCES parent(name))");
      assertThrows(SQLException.class, second::commit);
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertFalse(TestDb.hasKey(settings, 2));
  }

  @Test
  void ddlThatCouldRollBackTheSharedTransactionIsRefusedAfterOtherStatements() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
      assertThrows(
          TransactionControlException.class,
          () -> TestDb.execute(second, "CREATE TEMP TABLE u(x UNIQUE ON CONFLICT ROLLBACK)"));
      assertThrows(
          TransactionControlException.class,
          () -> TestDb.execute(second, "INSERT OR/* hidden */ROLLBACK INTO t(k) VALUES (2)"));
      TestDb.execute(second, "INSERT INTO t(k) VALUES (3)");
      second.commit();
      firstCommit.get(5, TimeUnit.SECONDS);
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 3));
  }

  @Test
  void cancellingAWriteTransactionsStatementIsRefused() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO t(k) VALUES (1)")) {
        assertThrows(java.sql.SQLFeatureNotSupportedException.class, insert::cancel);
        insert.executeUpdate();
      }
      c.commit();
    }
    assertTrue(TestDb.hasKey(settings, 1));
  }

  @Test
  void aCommitWaitingPastTheDeadlineForAnotherTransactionSaysItsOutcomeIsUnknown()
      throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofMillis(500));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      Future<?> firstCommit = firstCommitsWithOneRow(first, second);
      // The second transaction keeps the write connection past the deadline, doing nothing.
      ExecutionException unknown =
          assertThrows(ExecutionException.class, () -> firstCommit.get(5, TimeUnit.SECONDS));
      assertInstanceOf(WriteOutcomeUnknownException.class, unknown.getCause());
      TestDb.execute(second, "INSERT INTO t(k) VALUES (2)");
      second.commit();
    }
    // It was committed after all, with the second: "unknown" was the honest answer.
    assertTrue(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
  }

  /**
   * An orderly shutdown: close() queues for the turn behind a transaction, and the transactions
   * that called commit() before it get their COMMIT, not a failure.
   */
  @Test
  void closingTheDataSourceCommitsWhatWasCommittedBeforeIt() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    open(settings, Duration.ofSeconds(5));
    try (Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection()) {
      first.setAutoCommit(false);
      TestDb.execute(first, "INSERT INTO t(k) VALUES (1)");
      second.setAutoCommit(false);
      Future<?> secondWrites =
          threads.submit(
              () -> {
                TestDb.execute(second, "INSERT INTO t(k) VALUES (2)"); // waits for the turn
                second.commit();
                return null;
              });
      awaitWaiting(1);
      Future<?> closing =
          threads.submit(
              () -> {
                dataSource.close();
                return null;
              });
      awaitWaiting(2);
      first.commit(); // the turn goes to the second, then to close()
      secondWrites.get(5, TimeUnit.SECONDS);
      closing.get(5, TimeUnit.SECONDS);
    }
    assertTrue(TestDb.hasKey(settings, 1));
    assertTrue(TestDb.hasKey(settings, 2));
  }

  private void awaitWaiting(int callers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (dataSource.pool.waiting() < callers) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(callers + " callers never waited for the turn");
      }
      Thread.sleep(1);
    }
  }

  /** The usual start: the first transaction inserts the row with key 1 and commits, pending. */
  private Future<?> firstCommitsWithOneRow(Connection first, Connection second) throws Exception {
    first.setAutoCommit(false);
    TestDb.execute(first, "INSERT INTO t(k) VALUES (1)");
    return commitOnceSecondWaits(first, second);
  }

  /**
   * Starts the second connection's transaction so that it waits for the turn the first holds, then
   * commits the first on another thread: its commit() hands the turn over and waits for the shared
   * COMMIT, which the test makes the second transaction run.
   */
  private Future<?> commitOnceSecondWaits(Connection first, Connection second) throws Exception {
    second.setAutoCommit(false);
    CountDownLatch secondHasTurn = new CountDownLatch(1);
    Future<?> secondBegins =
        threads.submit(
            () -> {
              // Preparing the first statement begins the write transaction: it waits for the turn.
              second.prepareStatement("SELECT 1").close();
              secondHasTurn.countDown();
              return null;
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (dataSource.pool.waiting() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second transaction never waited for the turn");
      }
      Thread.sleep(1);
    }
    Future<?> firstCommit =
        threads.submit(
            () -> {
              first.commit();
              return null;
            });
    assertTrue(secondHasTurn.await(5, TimeUnit.SECONDS), "the turn was not handed over");
    secondBegins.get();
    return firstCommit;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
