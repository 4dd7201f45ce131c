package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the writer-thread strategies add: order, batching with savepoints, a bounded queue. */
class WriterThreadTest {
  @TempDir Path dir;

  /** Holds the writer thread inside a task until {@link #open()}. */
  static final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    CompletableFuture<Object> holdWriter(WriteExecutor executor) throws InterruptedException {
      CompletableFuture<Object> held =
          executor.submit(
              c -> {
                entered.countDown();
                TestDb.await(released, 30_000);
                return null;
              });
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the writer took the gate task");
      return held;
    }

    void open() {
      released.countDown();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#writerThread")
  void tasksRunInTheOrderTheyWereSubmitted(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      Gate gate = new Gate();
      gate.holdWriter(executor);
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (long k = 1; k <= 200; k++) {
        futures.add(executor.submit(TestDb.insert(k)));
      }
      gate.open();
      for (CompletableFuture<Long> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
      List<Long> keysByRowid =
          executor.read(
              c -> {
                List<Long> keys = new ArrayList<>();
                try (Statement statement = c.createStatement();
                    ResultSet result = statement.executeQuery("SELECT k FROM t ORDER BY id")) {
                  while (result.next()) {
                    keys.add(result.getLong(1));
                  }
                }
                return keys;
              });
      List<Long> expected = new ArrayList<>();
      for (long k = 1; k <= 200; k++) {
        expected.add(k);
      }
      assertEquals(expected, keysByRowid, "rows were inserted in submission order");
    }
  }

  @Test
  void serializedWriterCommitsEachTaskOnItsOwn() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.SERIALIZED_WRITER, settings)) {
      Gate gate = new Gate();
      gate.holdWriter(executor);
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (long k = 1; k <= 50; k++) {
        futures.add(executor.submit(TestDb.insert(k)));
      }
      gate.open();
      for (CompletableFuture<Long> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
      assertEquals(1.0, executor.stats().tasksPerTransaction());
    }
  }

  /**
   * A batch whose middle task fails: only that task is rolled back, only its caller sees the error,
   * and the rest of the batch commits in one transaction.
   */
  @Test
  void groupCommitRollsBackOnlyTheFailingTaskOfABatch() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings)) {
      Gate gate = new Gate();
      gate.holdWriter(executor);
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (long k = 1; k <= 30; k++) {
        futures.add(executor.submit(TestDb.insert(k)));
      }
      SQLException planned = new SQLException("task 31 fails after writing");
      CompletableFuture<Object> failing =
          executor.submit(
              c -> {
                TestDb.insert(31).run(c);
                TestDb.insert(32).run(c);
                throw planned;
              });
      CompletableFuture<Object> violating = executor.submit(c -> TestDb.insert(5).run(c));
      CompletableFuture<Object> erroring =
          executor.submit(
              c -> {
                TestDb.insert(33).run(c);
                throw new AssertionError("an Error inside one task");
              });
      for (long k = 34; k <= 60; k++) {
        futures.add(executor.submit(TestDb.insert(k)));
      }
      long transactionsBefore = executor.stats().transactionsCommitted();
      gate.open();
      for (CompletableFuture<Long> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
      ExecutionException failed = assertThrows(ExecutionException.class, failing::get);
      assertEquals(planned, failed.getCause());
      ExecutionException constraint = assertThrows(ExecutionException.class, violating::get);
      assertTrue(constraint.getCause().getMessage().contains("UNIQUE"), constraint.getMessage());
      assertInstanceOf(
          AssertionError.class, assertThrows(ExecutionException.class, erroring::get).getCause());

      assertEquals(57, TestDb.count(settings), "every task but the three failing ones committed");
      assertFalse(TestDb.hasKey(settings, 31));
      assertFalse(TestDb.hasKey(settings, 32));
      assertFalse(TestDb.hasKey(settings, 33));
      ExecutorStats stats = executor.stats();
      assertEquals(
          2,
          stats.transactionsCommitted() - transactionsBefore,
          "one COMMIT for the gate task, one shared by all 63 tasks queued behind it");
      assertEquals(3, stats.tasksFailed());
      executor.write(TestDb.insert(100));
      assertTrue(TestDb.hasKey(settings, 100), "the writer keeps serving after an Error");
    }
  }

  @Test
  void groupCommitBatchesNoMoreThanItsMaximum() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    ExecutorOptions options = ExecutorOptions.builder().maxBatchSize(8).build();
    try (WriteExecutor executor = Strategies.open(Strategies.GROUP_COMMIT, settings, options)) {
      Gate gate = new Gate();
      gate.holdWriter(executor);
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (long k = 1; k <= 64; k++) {
        futures.add(executor.submit(TestDb.insert(k)));
      }
      gate.open();
      for (CompletableFuture<Long> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
      // The gate task committed alone; the 64 others filled exactly 8 batches of 8.
      assertEquals(9, executor.stats().transactionsCommitted());
      assertEquals(65, executor.stats().tasksCommitted());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#writerThread")
  void aFullQueueRefusesWorkAfterTheSubmitTimeout(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    ExecutorOptions options =
        ExecutorOptions.builder().queueCapacity(4).submitTimeout(Duration.ofMillis(200)).build();
    try (WriteExecutor executor = Strategies.open(strategy, settings, options)) {
      Gate gate = new Gate();
      gate.holdWriter(executor);
      List<CompletableFuture<Long>> accepted = new ArrayList<>();
      for (long k = 1; k <= 4; k++) {
        accepted.add(executor.submit(TestDb.insert(k)));
      }
      long start = System.nanoTime();
      CompletableFuture<Long> refused = executor.submit(TestDb.insert(5));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      ExecutionException error = assertThrows(ExecutionException.class, refused::get);
      assertInstanceOf(WriteQueueFullException.class, error.getCause());
      assertTrue(error.getCause().getMessage().contains(strategy));
      assertTrue(waitedMillis >= 150, "the submitter waited for a place first: " + waitedMillis);
      assertThrows(WriteQueueFullException.class, () -> executor.write(TestDb.insert(6)));
      gate.open();
      for (CompletableFuture<Long> future : accepted) {
        future.get(30, TimeUnit.SECONDS);
      }
      assertEquals(4, TestDb.count(settings), "accepted work committed, refused work never ran");
      executor.write(TestDb.insert(7));
      assertEquals(5, TestDb.count(settings));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void closeFinishesEveryAcceptedTask(String strategy) throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    WriteExecutor executor = Strategies.open(strategy, settings);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (long k = 1; k <= 300; k++) {
      futures.add(executor.submit(TestDb.insert(k)));
    }
    executor.close();
    long committed = 0;
    for (CompletableFuture<Long> future : futures) {
      assertTrue(future.isDone(), "no future is left hanging after close");
      if (!future.isCompletedExceptionally()) {
        committed++;
      }
    }
    assertEquals(committed, TestDb.count(settings), "every successful future has its row");
    if (Strategies.runs(strategy) != Strategies.Runs.CALLER_THREAD_CONCURRENT) {
      assertEquals(300, committed, "strategies that serialize writers complete every task");
    }
  }

  @SuppressWarnings("try") // close() inside the try is the point of the test
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#writerThread")
  void closeFromInsideWorkIsRefusedInsteadOfDeadlocking(String strategy) throws Exception {
    try (WriteExecutor executor = Strategies.open(strategy, TestDb.tableIn(dir))) {
      assertThrows(
          IllegalStateException.class,
          () ->
              executor.write(
                  c -> {
                    executor.close();
                    return null;
                  }));
      executor.write(TestDb.insert(1));
    }
  }
}
