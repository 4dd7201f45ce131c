package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statement tasks ({@code write(sql, parameters...)}, {@code submit}, {@code insert}): the same
 * results under every strategy; under {@code group-commit}, consecutive ones with the same SQL run
 * as one executeBatch, and each caller still gets the outcome it would have had alone, whatever the
 * position of the failing rows; what cannot be a statement task is refused before it is queued.
 */
class StatementTaskTest {
  private static final String INSERT = "INSERT INTO t(k, v) VALUES (?, ?)";

  /** The batch of GroupCommitBatchTest, whose failing positions these tests reuse. */
  private static final int BATCH = GroupCommitBatchTest.BATCH;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void statementTasksWriteUnderEveryStrategy(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      assertEquals(1, executor.write(INSERT, 1L, "a"));
      assertEquals(1, executor.submit(INSERT, 2, "b").get(10, TimeUnit.SECONDS));
      long id = executor.insert(INSERT, 3L, "c");
      assertEquals(TestDb.queryLong(settings.path(), "SELECT id FROM t WHERE k = 3"), id);
      assertEquals(2, executor.write("UPDATE t SET v = ? WHERE k >= ?", "z", 2L));
      assertEquals(1, executor.write("DELETE FROM t WHERE k = ?", 1));
      assertEquals(2, TestDb.count(settings));
      SQLException noRow =
          assertThrows(
              SQLException.class,
              () -> executor.insert("INSERT OR IGNORE INTO t(k, v) VALUES (?, ?)", 3L, "d"));
      assertTrue(noRow.getMessage().contains("inserted 0 rows"), noRow.getMessage());
      SQLException unique = assertThrows(SQLException.class, () -> executor.write(INSERT, 3L, "e"));
      assertTrue(unique.getMessage().contains("UNIQUE"), unique.getMessage());
      SQLException count = assertThrows(SQLException.class, () -> executor.write(INSERT, 9L));
      assertTrue(count.getMessage().contains("2 parameters, the task 1"), count.getMessage());
      assertEquals(2, TestDb.count(settings));
    }
  }

  /**
   * One after another, statement tasks reuse the executor's prepared statement, run as work or in a
   * batch: the parameter count a task checks is read from the lent statement without closing it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void statementTasksReuseTheCachedStatement(String strategy) throws Exception {
    try (WriteExecutor executor = Strategies.open(strategy, TestDb.tableIn(dir))) {
      executor.write(INSERT, 1, "a");
      long before = executor.stats().statementsReused();
      executor.write(INSERT, 2, "b");
      executor.write(INSERT, 3, "c");
      assertEquals(2, executor.stats().statementsReused() - before, executor.stats().toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "INSERT INTO t(k) VALUES (1); DELETE FROM t",
        "PRAGMA synchronous=OFF",
        "CREATE TABLE u(x)",
        "ATTACH DATABASE 'x.db' AS x",
        "SELECT k FROM t",
        "WITH c(x) AS (SELECT ?) SELECT x FROM c",
        "WITH c(x) AS (SELECT ?) INSERT INTO t(k) SELECT x FROM c",
        "INSERT INTO t(k) VALUES (?) RETURNING id",
        "SAVEPOINT a"
      })
  void whatCannotBeAStatementTaskIsRefusedBeforeItIsQueued(String sql) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      NotAStatementTaskException thrown =
          assertThrows(NotAStatementTaskException.class, () -> executor.write(sql, 1));
      assertTrue(thrown.getMessage().contains(sql), thrown.getMessage());
      CompletableFuture<Integer> submitted = executor.submit(sql, 1);
      ExecutionException failed = assertThrows(ExecutionException.class, submitted::get);
      assertInstanceOf(NotAStatementTaskException.class, failed.getCause());
      ExecutorStats stats = executor.stats();
      assertEquals(0, stats.tasksCommitted() + stats.tasksFailed(), "nothing was queued");
      assertEquals(0, TestDb.count(settings));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"COMMIT", "BEGIN IMMEDIATE", "ROLLBACK", "END TRANSACTION"})
  void transactionControlIsRefusedAsInsideWork(String sql) throws Exception {
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, TestDb.tableIn(dir))) {
      assertThrows(TransactionControlException.class, () -> executor.write(sql));
      assertEquals(0, executor.stats().tasksCommitted() + executor.stats().tasksFailed());
    }
  }

  @Test
  void aParameterSqliteCannotBindIsRefusedByPosition() throws Exception {
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, TestDb.tableIn(dir))) {
      NotAStatementTaskException thrown =
          assertThrows(
              NotAStatementTaskException.class,
              () -> executor.write(INSERT, 1L, UUID.randomUUID()));
      assertTrue(
          thrown.getMessage().contains("parameter 2 is a java.util.UUID"), thrown.getMessage());
    }
  }

  /** insert() returns the key of the one row it inserted, or fails and writes nothing. */
  @Test
  void insertRefusesWhatHasNoKeyOfItsOwn() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      executor.insert(INSERT, 1, "a");
      executor.insert(INSERT, 2, "b");
      assertThrows(
          NotAStatementTaskException.class,
          () ->
              executor.insert(
                  "INSERT INTO t(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
                  1,
                  "z"));
      SQLException several =
          assertThrows(
              SQLException.class,
              () -> executor.insert("INSERT INTO t(k, v) SELECT k + 10, v FROM t WHERE k < ?", 9));
      assertTrue(several.getMessage().contains("inserted 2 rows"), several.getMessage());
      assertEquals(2, TestDb.count(settings), "the failed insert() wrote nothing");
    }
  }

  /**
   * A task keeps the values it was given: a caller may reuse its byte array or date at once; small
   * integer types are bound as integers, as a caller comparing them with numbers expects.
   */
  @Test
  void parametersAreCopiedAndBoundAsTheirNumbers() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (java.sql.Connection c = settings.openConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE b(id INTEGER PRIMARY KEY, x)");
    }
    String insert = "INSERT INTO b(id, x) VALUES (?, ?)";
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      byte[] buffer = {1, 2, 3};
      java.util.Date when = new java.util.Date(1000);
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      futures.add(executor.submit(insert, 1, buffer));
      futures.add(executor.submit(insert, 2, when));
      futures.add(executor.submit(insert, 3, (byte) 5));
      futures.add(executor.submit(insert, 4, (short) 5));
      buffer[0] = 99;
      when.setTime(424242);
      hold.release();
      for (CompletableFuture<Integer> future : futures) {
        assertEquals(1, future.get(10, TimeUnit.SECONDS));
      }
    }
    assertEquals(
        1,
        TestDb.queryLong(settings.path(), "SELECT x = x'010203' FROM b WHERE id = 1"),
        "the bytes as submitted");
    assertEquals(1000, TestDb.queryLong(settings.path(), "SELECT x FROM b WHERE id = 2"));
    assertEquals(
        2, TestDb.queryLong(settings.path(), "SELECT count(*) FROM b WHERE x = 5"), "integers");
  }

  /** A task with the wrong number of parameters fails alone, before it runs: no rollback. */
  @Test
  void aWrongParameterCountFailsAloneWithoutARollback() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      CompletableFuture<Integer> before = executor.submit(INSERT, 1, "a");
      CompletableFuture<Integer> wrong = executor.submit(INSERT, 2);
      CompletableFuture<Integer> after = executor.submit(INSERT, 3, "c");
      hold.release();
      assertEquals(1, before.get(10, TimeUnit.SECONDS));
      assertEquals(1, after.get(10, TimeUnit.SECONDS));
      ExecutionException failed = assertThrows(ExecutionException.class, wrong::get);
      assertInstanceOf(NotAStatementTaskException.class, failed.getCause());
      assertEquals(0, executor.stats().transactionsRolledBack(), executor.stats().toString());
      assertEquals(2, TestDb.count(settings));
    }
  }

  /**
   * Rows that break a UNIQUE constraint, at every position of one batch: each fails its own caller
   * alone, and every other row of the batch commits.
   */
  @ParameterizedTest(name = "failing at {0}")
  @MethodSource("io.github.sqlitewriters.GroupCommitBatchTest#failingPositions")
  void everyRowGetsTheOutcomeItWouldHaveHadAlone(Set<Integer> failing) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      for (int p : failing) {
        executor.write(INSERT, 100 + p, "there before");
      }
      TestDb.Hold hold = TestDb.hold(executor);
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int p = 0; p < BATCH; p++) {
        futures.add(executor.submit(INSERT, 100 + p, "batch"));
      }
      hold.release();
      for (int p = 0; p < BATCH; p++) {
        CompletableFuture<Integer> future = futures.get(p);
        if (failing.contains(p)) {
          ExecutionException failure =
              assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
          assertTrue(
              failure.getCause().getMessage().contains("UNIQUE"), failure.getCause().getMessage());
        } else {
          assertEquals(1, future.get(10, TimeUnit.SECONDS), "row " + p);
        }
        assertEquals(
            failing.contains(p) ? "there before" : "batch", valueOf(settings, 100 + p), "row " + p);
      }
      assertEquals(BATCH, TestDb.count(settings));
      assertEquals(failing.size(), executor.stats().tasksFailed());
    }
  }

  /**
   * One batch of statement tasks, lambda tasks, other SQL and a task with too few parameters, in
   * turn: each keeps its own outcome.
   */
  @Test
  void mixedTasksInOneBatchKeepTheirOwnOutcomes() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      SQLException thrown = new SQLException("the lambda fails");
      CompletableFuture<Integer> first = executor.submit(INSERT, 1, "s");
      CompletableFuture<Integer> second = executor.submit(INSERT, 2, "s");
      CompletableFuture<Long> lambda = executor.submit(TestDb.insert(3));
      CompletableFuture<Integer> tooFew = executor.submit(INSERT, 4);
      CompletableFuture<Integer> afterTooFew = executor.submit(INSERT, 5, "s");
      CompletableFuture<Integer> otherSql = executor.submit("INSERT INTO t(k) VALUES (?)", 6);
      CompletableFuture<Object> failingLambda =
          executor.submit(
              c -> {
                TestDb.insert(7).run(c);
                throw thrown;
              });
      CompletableFuture<Integer> updateNothing =
          executor.submit("UPDATE t SET v = ? WHERE k = ?", "x", 999);
      CompletableFuture<Integer> last = executor.submit(INSERT, 8, "s");
      hold.release();
      assertEquals(1, first.get(10, TimeUnit.SECONDS));
      assertEquals(1, second.get(10, TimeUnit.SECONDS));
      assertEquals(3L, lambda.get(10, TimeUnit.SECONDS));
      ExecutionException count = assertThrows(ExecutionException.class, tooFew::get);
      assertTrue(count.getCause().getMessage().contains("parameters"), count.getMessage());
      assertEquals(1, afterTooFew.get(10, TimeUnit.SECONDS));
      assertEquals(1, otherSql.get(10, TimeUnit.SECONDS));
      ExecutionException own = assertThrows(ExecutionException.class, failingLambda::get);
      assertEquals(thrown, own.getCause());
      assertEquals(0, updateNothing.get(10, TimeUnit.SECONDS));
      assertEquals(1, last.get(10, TimeUnit.SECONDS));
      for (long k : new long[] {1, 2, 3, 5, 6, 8}) {
        assertTrue(TestDb.hasKey(settings, k), "row " + k);
      }
      assertEquals(6, TestDb.count(settings));
    }
  }

  /**
   * Consecutive statement tasks with the same SQL run through one prepared statement per batch, not
   * one lent statement per task: the statement cache is asked once, not fifty times.
   */
  @Test
  void aRunOfStatementTasksIsOneExecuteBatch() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int k = 0; k < 50; k++) {
        futures.add(executor.submit(INSERT, k, "batch"));
      }
      long reusedBefore = executor.stats().statementsReused();
      long committedBefore = executor.stats().transactionsCommitted();
      hold.release();
      for (CompletableFuture<Integer> future : futures) {
        assertEquals(1, future.get(10, TimeUnit.SECONDS));
      }
      assertEquals(50, TestDb.count(settings));
      assertTrue(
          executor.stats().statementsReused() - reusedBefore <= 1,
          "statement cache asked per task: " + executor.stats());
      assertTrue(executor.stats().transactionsCommitted() - committedBefore <= 2);
    }
  }

  /**
   * A row whose deferred foreign key fails the batch's COMMIT: the batch is halved until that row
   * fails alone, and every other row of the batch commits.
   */
  @Test
  void aDeferredForeignKeyFailsOnlyItsOwnRow() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (java.sql.Connection c = settings.openConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
      s.execute("INSERT INTO parent(id) VALUES (1)");
      s.execute(
          "CREATE TABLE child(id INTEGER PRIMARY KEY,"
              + " parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
    }
    String child = "INSERT INTO child(id, parent) VALUES (?, ?)";
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      TestDb.Hold hold = TestDb.hold(executor);
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int p = 0; p < BATCH; p++) {
        futures.add(executor.submit(child, p, p == 6 ? 424242 : 1));
      }
      hold.release();
      for (int p = 0; p < BATCH; p++) {
        CompletableFuture<Integer> future = futures.get(p);
        if (p == 6) {
          ExecutionException failure = assertThrows(ExecutionException.class, future::get);
          assertTrue(failure.getCause().getMessage().contains("FOREIGN KEY"), failure.toString());
        } else {
          assertEquals(1, future.get(10, TimeUnit.SECONDS), "row " + p);
        }
      }
      assertEquals(
          BATCH - 1, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child"), "committed");
      assertEquals(0, TestDb.queryLong(settings.path(), "SELECT count(*) FROM child WHERE id = 6"));
    }
  }

  /**
   * A real full file system under batches of statement tasks: every caller told its write committed
   * finds it in the database, every caller told it failed does not, and once space is freed the
   * executor writes again. Needs root (a 3 MiB tmpfs); skipped elsewhere.
   */
  @Test
  void aFullDiskTellsEveryRowTheTruth() throws Exception {
    Path small = java.nio.file.Files.createDirectory(dir.resolve("small"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FullDiskTest.mountTmpfs(small), "needs root to mount a small tmpfs");
    try {
      java.nio.file.Files.write(small.resolve("filler"), new byte[768 * 1024]);
      SqliteSettings settings = TestDb.tableIn(small);
      String big = "x".repeat(3000);
      List<Long> acknowledged = new ArrayList<>();
      List<Long> failed = new ArrayList<>();
      try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
        for (long first = 1; first <= 5000 && failed.size() < 20; first += 50) {
          List<CompletableFuture<Integer>> window = new ArrayList<>();
          for (long k = first; k < first + 50; k++) {
            window.add(executor.submit(INSERT, k, big));
          }
          for (int i = 0; i < window.size(); i++) {
            try {
              window.get(i).get(30, TimeUnit.SECONDS);
              acknowledged.add(first + i);
            } catch (ExecutionException e) {
              failed.add(first + i);
            }
          }
        }
        assertTrue(failed.size() > 0, "the file system filled up");
        java.nio.file.Files.delete(small.resolve("filler"));
        executor.write("DELETE FROM t WHERE k < ?", 0);
        for (long k = 100_000; k < 100_020; k++) {
          assertEquals(1, executor.write(INSERT, k, "small"), "writes again once space is freed");
          acknowledged.add(k);
        }
      }
      for (long k : acknowledged) {
        assertTrue(TestDb.hasKey(settings, k), "acknowledged key " + k + " is in the database");
      }
      for (long k : failed) {
        assertTrue(!TestDb.hasKey(settings, k), "failed key " + k + " is not");
      }
    } finally {
      TestDb.run("umount", small.toString());
    }
  }

  private static String valueOf(SqliteSettings settings, long k) throws SQLException {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + settings.path());
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet r = s.executeQuery("SELECT v FROM t WHERE k = " + k)) {
      return r.next() ? r.getString(1) : null;
    }
  }
}
