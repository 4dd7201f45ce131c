package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.WriteInterruptedException.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Interrupted callers and busy failures: typed errors, and never half a transaction. */
class InterruptAndBusyTest {
  @TempDir Path dir;

  /** A caller thread that records what its write ended with and whether it kept its interrupt. */
  static final class Caller {
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile boolean interruptFlagKept;
    final Thread thread;

    Caller(WriteExecutor executor, SqlWork<?> work) {
      thread =
          new Thread(
              () -> {
                try {
                  executor.write(work);
                } catch (Throwable e) {
                  error.set(e);
                }
                interruptFlagKept = Thread.currentThread().isInterrupted();
              });
      thread.start();
    }

    WriteInterruptedException interruptAfter(long millis) throws InterruptedException {
      Thread.sleep(millis);
      thread.interrupt();
      thread.join(10_000);
      assertFalse(thread.isAlive(), "the interrupted caller returned");
      assertTrue(interruptFlagKept, "the caller keeps its interrupt flag");
      assertTrue(
          error.get() instanceof WriteInterruptedException,
          "expected WriteInterruptedException, got " + error.get());
      return (WriteInterruptedException) error.get();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#writerThread")
  void callerInterruptedWhileQueuedTakesItsTaskBack(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      WriterThreadTest.Gate gate = new WriterThreadTest.Gate();
      gate.holdWriter(executor);
      WriteInterruptedException error = new Caller(executor, TestDb.insert(1)).interruptAfter(100);
      assertEquals(Outcome.NOT_COMMITTED, error.outcome());
      assertTrue(error.completion().isDone());
      gate.open();
      executor.write(TestDb.insert(2));
      assertFalse(TestDb.hasKey(settings, 1), "a withdrawn task never runs");
      assertTrue(TestDb.hasKey(settings, 2));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#writerThread")
  void callerInterruptedWhileItsWorkRunsLearnsTheOutcomeLater(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      Caller caller =
          new Caller(
              executor,
              c -> {
                TestDb.insert(1).run(c);
                running.countDown();
                TestDb.await(finish, 30_000);
                return null;
              });
      assertTrue(running.await(10, TimeUnit.SECONDS));
      WriteInterruptedException error = caller.interruptAfter(0);
      assertEquals(Outcome.UNKNOWN, error.outcome());
      finish.countDown();
      error.completion().get(10, TimeUnit.SECONDS);
      assertTrue(TestDb.hasKey(settings, 1), "the work that ran on committed whole");
    }
  }

  @Test
  void singleConnectionCallerInterruptedWhileWaitingForTheLock() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.SINGLE_CONNECTION, settings)) {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> holder =
          executor.submit(
              c -> {
                holding.countDown();
                TestDb.await(release, 30_000);
                return null;
              });
      assertTrue(holding.await(10, TimeUnit.SECONDS));
      WriteInterruptedException error = new Caller(executor, TestDb.insert(1)).interruptAfter(100);
      assertEquals(Outcome.NOT_COMMITTED, error.outcome());
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      assertFalse(TestDb.hasKey(settings, 1));
    }
  }

  @Test
  void immediateCallerInterruptedWhileRetryingABusyLock() throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("t.db")).busyTimeout(Duration.ofMillis(20)).build());
    try (WriteExecutor executor = Strategies.open(Strategies.IMMEDIATE, settings);
        Connection foreign = holdWriteLock(settings)) {
      WriteInterruptedException error = new Caller(executor, TestDb.insert(1)).interruptAfter(300);
      assertEquals(Outcome.NOT_COMMITTED, error.outcome());
      foreign.createStatement().execute("ROLLBACK");
      executor.write(TestDb.insert(2));
      assertFalse(TestDb.hasKey(settings, 1));
      assertTrue(executor.stats().busyRetries() > 0);
    }
  }

  /**
   * Another connection holds the write lock past the deadline: the safe strategies give up at their
   * deadline with a typed error, commit nothing, and serve again once the lock is gone.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"immediate", "serialized-writer", "group-commit", "deferred-retry"})
  void foreignLockPastTheDeadlineFailsWithSqliteBusyException(String strategy) throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("t.db"))
                .busyTimeout(Duration.ofMillis(100))
                .build());
    ExecutorOptions options =
        ExecutorOptions.builder().busyDeadline(Duration.ofMillis(600)).build();
    try (WriteExecutor executor = Strategies.open(strategy, settings, options)) {
      try (Connection foreign = holdWriteLock(settings)) {
        long start = System.nanoTime();
        SqliteBusyException busy =
            assertThrows(SqliteBusyException.class, () -> executor.write(TestDb.insert(1)));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(strategy, busy.strategy());
        assertEquals(SqliteBusyException.Code.BUSY, busy.code());
        assertEquals(5, busy.getErrorCode());
        assertTrue(busy.attempts() > 1, "retried: " + busy.attempts());
        assertTrue(
            tookMillis >= 550 && tookMillis < 3_000, "gave up at the deadline: " + tookMillis);
        assertTrue(busy.getMessage().contains(strategy), busy.getMessage());
        foreign.createStatement().execute("ROLLBACK");
      }
      assertEquals(0, TestDb.count(settings), "nothing partial was committed");
      executor.write(TestDb.insert(2));
      assertTrue(TestDb.hasKey(settings, 2), "the executor serves again once the lock is gone");
      assertEquals(1, executor.stats().busyFailures());
    }
  }

  @Test
  void deferredNoTimeoutFailsAtOnceOnALock() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.DEFERRED_NO_TIMEOUT, settings);
        Connection foreign = holdWriteLock(settings)) {
      long start = System.nanoTime();
      SqliteBusyException busy =
          assertThrows(SqliteBusyException.class, () -> executor.write(TestDb.insert(1)));
      assertTrue((System.nanoTime() - start) < TimeUnit.MILLISECONDS.toNanos(1_000));
      assertEquals(1, busy.attempts());
      assertEquals(Strategies.DEFERRED_NO_TIMEOUT, busy.strategy());
      foreign.createStatement().execute("ROLLBACK");
    }
  }

  @Test
  void deferredBusyTimeoutWaitsTheTimeoutThenFails() throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("t.db"))
                .busyTimeout(Duration.ofMillis(300))
                .build());
    try (WriteExecutor executor = Strategies.open(Strategies.DEFERRED_BUSY_TIMEOUT, settings);
        Connection foreign = holdWriteLock(settings)) {
      SqliteBusyException busy =
          assertThrows(SqliteBusyException.class, () -> executor.write(TestDb.insert(1)));
      assertTrue(busy.waited().toMillis() >= 250, "waited " + busy.waited());
      assertEquals(1, busy.attempts());
      foreign.createStatement().execute("ROLLBACK");
    }
  }

  /** A plain connection outside any executor that takes and keeps the write lock. */
  static Connection holdWriteLock(SqliteSettings settings) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + settings.path());
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      statement.execute("INSERT INTO t(k, v) VALUES (-1, 'foreign')");
    }
    return connection;
  }
}
