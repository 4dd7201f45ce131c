package io.github.sqlitewriters.harness.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteBusyException;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Expectations;
import io.github.sqlitewriters.harness.Harness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A DEFERRED transaction that reads first and writes later must upgrade its lock. If another
 * connection wrote in between, or holds the write lock, SQLite refuses the upgrade at once, because
 * waiting could deadlock: the busy timeout does not help. The strategies that take the write lock
 * first, or that never let two of their own writers meet, have no upgrade to fail.
 */
class LockUpgradeTest {
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  private SqliteSettings settings() throws SQLException {
    SqliteSettings settings =
        SqliteSettings.builder(dir.resolve("upgrade.db")).busyTimeout(BUSY_TIMEOUT).build();
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    return settings;
  }

  /** Another connection commits between our read and our write: SQLITE_BUSY_SNAPSHOT, at once. */
  @Test
  void deferredBusyTimeoutFailsAtOnceWhenAnotherWriterCommittedAfterItsRead() throws Exception {
    SqliteSettings settings = settings();
    try (WriteExecutor executor = Strategies.open(Strategies.DEFERRED_BUSY_TIMEOUT, settings);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + settings.path())) {
      SqliteBusyException busy =
          readThenWriteAround(executor, () -> execute(other, "INSERT INTO t(v) VALUES ('other')"));
      assertEquals(SqliteBusyException.Code.BUSY_SNAPSHOT, busy.code());
      assertEquals(517, busy.resultCode());
      assertFailedLongBeforeTheTimeout(busy);
      assertEquals(1, Harness.queryLong(settings.path(), "SELECT count(*) FROM t"));
    }
  }

  /** Another connection holds the write lock when we try to upgrade: SQLITE_BUSY, at once. */
  @Test
  void deferredBusyTimeoutFailsAtOnceWhileAnotherWriterHoldsTheLock() throws Exception {
    SqliteSettings settings = settings();
    try (WriteExecutor executor = Strategies.open(Strategies.DEFERRED_BUSY_TIMEOUT, settings);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + settings.path())) {
      SqliteBusyException busy =
          readThenWriteAround(
              executor,
              () -> {
                execute(other, "BEGIN IMMEDIATE");
                execute(other, "INSERT INTO t(v) VALUES ('other')");
              });
      execute(other, "COMMIT");
      assertTrue(
          busy.code() == SqliteBusyException.Code.BUSY
              || busy.code() == SqliteBusyException.Code.BUSY_SNAPSHOT,
          "code " + busy.code());
      assertFailedLongBeforeTheTimeout(busy);
    }
  }

  /** Callers each read a count and insert it, in one transaction. */
  private static final Expectations READ_THEN_WRITE = Harness.readThenWrite("read-then-write");

  /**
   * Many callers each reading then writing in one transaction: the strategies that take the write
   * lock first lose nothing; {@code deferred-busy-timeout} fails many of them, each one visibly.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.harness.Harness#strategies")
  void concurrentReadThenWriteTransactions(String strategy) throws Exception {
    SqliteSettings settings =
        Harness.settings(dir, JournalMode.WAL, Synchronous.NORMAL).withBusyTimeout(BUSY_TIMEOUT);
    Harness.setUp(settings, "CREATE TABLE t(id INTEGER PRIMARY KEY, seen INTEGER)");
    int threads = 8;
    int perThread = Harness.STRESS ? 2000 : 100;
    Harness.Tally tally;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      tally =
          Harness.runCallers(
              executor,
              threads,
              perThread,
              (writer, thread, index) ->
                  writer.write(
                      c -> {
                        long seen;
                        try (Statement statement = c.createStatement();
                            ResultSet result = statement.executeQuery("SELECT count(*) FROM t")) {
                          result.next();
                          seen = result.getLong(1);
                        }
                        try (Statement statement = c.createStatement()) {
                          return statement.executeUpdate(
                              "INSERT INTO t(seen) VALUES (" + seen + ")");
                        }
                      }));
    }
    long rows = Harness.queryLong(settings.path(), "SELECT count(*) FROM t");
    Harness.report(
        String.format(
            "read-then-write %dx%d %s: %d of %d rows kept, %s",
            threads, perThread, strategy, rows, threads * perThread, tally));
    assertEquals(tally.committed(), rows, "every acknowledged write is there, no failed one is");
    assertEquals(threads * perThread, tally.committed() + tally.failed());
    READ_THEN_WRITE.check(strategy, tally, threads * perThread);
  }

  /**
   * Runs a deferred read-then-write transaction through the executor, with {@code between} done by
   * another connection after the read and before the write, and returns the failure.
   */
  private static SqliteBusyException readThenWriteAround(WriteExecutor executor, SqlAction between)
      throws Exception {
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch interfered = new CountDownLatch(1);
    CompletableFuture<Object> transaction =
        executor.submit(
            c -> {
              try (Statement statement = c.createStatement();
                  ResultSet result = statement.executeQuery("SELECT count(*) FROM t")) {
                result.next();
              }
              read.countDown();
              awaitQuietly(interfered);
              execute(c, "INSERT INTO t(v) VALUES ('mine')");
              return null;
            });
    assertTrue(read.await(10, TimeUnit.SECONDS));
    between.run();
    interfered.countDown();
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> transaction.get(30, TimeUnit.SECONDS));
    assertTrue(
        failure.getCause() instanceof SqliteBusyException,
        "expected SqliteBusyException, got " + failure.getCause());
    return (SqliteBusyException) failure.getCause();
  }

  private static void assertFailedLongBeforeTheTimeout(SqliteBusyException busy) {
    assertEquals(1, busy.attempts());
    assertTrue(
        busy.waited().compareTo(BUSY_TIMEOUT.dividedBy(5)) < 0,
        "failed after " + busy.waited().toMillis() + " ms, with a busy timeout of 5000 ms");
  }

  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) throws SQLException {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(e);
    }
  }
}
